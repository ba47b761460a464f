/**
 * The command line: the only module that reads argv, prints, and decides the exit code. Each
 * command is one call into src/commands.ts (the library), whose result is printed here.
 * Exit codes: 0 ok; 1 invalid definitions, --check found drift, or a file-system problem; 2 usage
 * error; 70 internal error (a bug: the stack trace is printed to report it).
 */
import yargs from 'yargs';
import type { Options, PositionalOptions, Argv as YargsParser } from 'yargs';
import packageJson from '../package.json' with { type: 'json' };
import type * as Commands from './commands.js';
import type { Diagnostic } from './diagnostics.js';
import { UserError, formatDiagnostic, quote, sortDiagnostics } from './diagnostics.js';
import type { EmitReport } from './emit/emit.js';
import type { ListKind } from './present/list.js';
import type { FormatId } from './render/artifacts.js';
import type { OutputMode } from './definitions/types.js';

// Start-up: a command loads the modules it runs when it runs (dynamic import(): esbuild keeps such modules
// uninitialised in dist/cli.cjs until then), so `tlsgen build` does not initialise the presenters and
// `tlsgen list` does not initialise the renderers' templates.

export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  readonly color: boolean;
}

export function processIO(): CliIO {
  // A reader that stops early (`tlsgen explain … --json | head -1`) closes the pipe: end quietly.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    // Read when a diagnostic is printed: a run that prints none does not open process.stderr.
    get color() {
      return Boolean(process.stderr.isTTY) && !('NO_COLOR' in process.env);
    },
  };
}

/** Options that take one value: given twice, yargs would join them ("o1,o2"), so that is a usage error. */
const SINGLE_VALUE_OPTIONS = ['definitions', 'out', 'mode', 'cert', 'key', 'chain', 'timestamp', 'from', 'today'] as const;

function usageProblem(argv: Record<string, unknown>): string | null {
  for (const name of SINGLE_VALUE_OPTIONS) {
    if (Array.isArray(argv[name])) return `--${name} was given ${(argv[name] as unknown[]).length} times; give it once`;
  }
  for (const name of ['definitions', 'out'] as const) {
    if (typeof argv[name] === 'string' && (argv[name] as string).trim() === '') return `--${name} must name a folder`;
  }
  if (argv.today !== undefined && !isRealDay(String(argv.today))) return `--today must be a date as YYYY-MM-DD, found ${quote(String(argv.today))}`;
  if ((argv._ as unknown[])[0] === 'explain') return explainUsageProblem(argv);
  return null;
}

function isRealDay(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const day = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === text;
}

/** `explain PROFILE`, `explain --compare A B` or `explain A --compare B`. */
function explainUsageProblem(argv: Record<string, unknown>): string | null {
  const profiles = explainedProfiles(argv);
  if (argv.compare === undefined) return profiles.length === 1 ? null : 'name the profile to explain';
  return profiles.length === 2 ? null : `--compare compares two profiles (--compare A B, or explain A --compare B); ${profiles.length} given`;
}

function explainedProfiles(argv: { readonly profile?: unknown; readonly compare?: unknown }): string[] {
  return [...(argv.profile === undefined ? [] : [String(argv.profile)]), ...((argv.compare as unknown[] | undefined) ?? []).map(String)];
}

const COMMAND_NAMES = ['build', 'validate', 'lint', 'list', 'explain', 'sign', 'init'] as const;
type CommandName = (typeof COMMAND_NAMES)[number];

function isCommandName(name: string | undefined): name is CommandName {
  return (COMMAND_NAMES as readonly (string | undefined)[]).includes(name);
}

/** One command: its usage line (with positionals), description, positionals in order, and options in help order. */
interface CommandSpec {
  readonly usage: string;
  readonly describe: string;
  readonly positionals: readonly (readonly [string, PositionalOptions])[];
  readonly options: Readonly<Record<string, Options>>;
}

/** `formats`: the --format choices (src/render/artifacts.ts), loaded only when build's options are needed. */
function commandSpec(name: CommandName, formats: readonly FormatId[] = []): CommandSpec {
  const definitions = { type: 'string', default: 'definitions', describe: 'folder holding the YAML definitions' } as const;
  const mode = { choices: ['explicit', 'minimal'] as const, describe: "output mode; overrides the profile's own" } as const;
  const strict = { type: 'boolean', default: false, describe: 'lint warnings refuse too (exit 1)' } as const;
  const today = { type: 'string', describe: 'the day lint dates exceptions against (YYYY-MM-DD; default: today, UTC)' } as const;
  const json = { type: 'boolean', default: false, describe: 'machine-readable output' } as const;
  switch (name) {
    case 'build':
      return {
        usage: 'build',
        describe: 'generate the artifacts into the output folder',
        positionals: [],
        options: {
          definitions,
          out: { type: 'string', default: 'out', describe: 'output folder' },
          profile: { type: 'string', array: true, describe: 'only these profiles (repeatable)' },
          target: { type: 'string', array: true, describe: 'only files for these Windows targets (repeatable)' },
          format: { choices: formats, array: true, describe: 'only these formats (repeatable)' },
          mode,
          check: { type: 'boolean', default: false, describe: 'write nothing; exit 1 if the output folder differs' },
          strict,
          today,
        },
      };
    case 'validate':
      return {
        usage: 'validate',
        describe: 'check the definitions and lint the profiles; report every problem',
        positionals: [],
        options: { definitions, strict, today },
      };
    case 'lint':
      return {
        usage: 'lint',
        describe: 'report known breakage and policy problems in the profiles (rules TG001-TG009)',
        positionals: [],
        options: { definitions, profile: { type: 'string', array: true, describe: 'only these profiles (repeatable)' }, strict, today, json },
      };
    case 'list':
      return {
        usage: 'list [what]',
        describe: 'list profiles, targets or settings',
        positionals: [['what', { choices: ['profiles', 'targets', 'settings'] as const, default: 'profiles' }]],
        options: { definitions, json },
      };
    case 'explain':
      return {
        usage: 'explain [profile]',
        describe: 'show what a profile does on each Windows target, and why; or what differs between two profiles',
        positionals: [['profile', { type: 'string' }]],
        options: {
          compare: {
            type: 'string',
            array: true,
            describe: 'compare two profiles (`--compare A B`, or `explain A --compare B`): what B adds, removes and changes',
          },
          definitions,
          target: { type: 'string', array: true, describe: 'only these Windows targets (repeatable)' },
          mode,
          json,
        },
      };
    case 'sign':
      return {
        usage: 'sign',
        describe:
          'Authenticode-sign the .ps1/.psd1 files tlsgen generated (the output folder, or one profile folder in it) with osslsigncode, then rewrite their SHA256SUMS',
        positionals: [],
        options: {
          cert: { type: 'string', demandOption: true, describe: 'code-signing certificate (PEM or DER)' },
          key: { type: 'string', demandOption: true, describe: 'its private key (never copied or printed)' },
          chain: { type: 'string', describe: 'intermediate certificates to embed' },
          timestamp: { type: 'string', describe: 'RFC 3161 timestamp server URL' },
          out: { type: 'string', default: 'out', describe: 'output folder to sign' },
        },
      };
    case 'init':
      return {
        usage: 'init <name>',
        describe: 'scaffold a profile that extends another, in DIR/profiles/NAME.yaml',
        positionals: [['name', { type: 'string', demandOption: true, describe: 'id of the new profile' }]],
        options: { from: { type: 'string', demandOption: true, describe: 'the profile it extends' }, definitions },
      };
  }
}

async function formatIds(): Promise<readonly FormatId[]> {
  return (await import('./render/artifacts.js')).FORMAT_IDS;
}

/** Every command, help and version: what answers --help, --version and every command line with a problem. */
function fullParser(formats: readonly FormatId[]): YargsParser {
  let parser = yargs()
    .scriptName('tlsgen')
    .usage('$0 <command> [options]\n\nTurns YAML definitions of Windows TLS registry settings into .reg files and more.');
  for (const name of COMMAND_NAMES) {
    const spec = commandSpec(name, formats);
    parser = parser.command(spec.usage, spec.describe, (y) =>
      spec.positionals.reduce((p, [key, options]) => p.positional(key, options), y).options(spec.options),
    );
  }
  return parser
    .demandCommand(1, 'name a command: build, validate, lint, list, explain, init or sign')
    .strict()
    .version(packageJson.version)
    .help()
    .exitProcess(false);
}

/**
 * One command's options and nothing else: no help or version, no layout of usage text. yargs lays out a
 * command's whole help text each time it runs the command (to have it ready should the command fail), which
 * costs more than parsing; this parser has no command to run. Positionals are left in `_`, as given.
 */
function commandParser(spec: CommandSpec): YargsParser {
  return yargs()
    .options(spec.options)
    .strict()
    .help(false)
    .version(false)
    .showHelpOnFail(false)
    .parserConfiguration({ 'parse-positional-numbers': false })
    .exitProcess(false);
}

interface Parsed {
  readonly error: Error | null;
  readonly argv: Record<string, unknown>;
  readonly output: string;
}

function parseWith(parser: YargsParser, args: readonly string[]): Promise<Parsed> {
  return new Promise((resolve) => {
    parser.parse([...args], {}, (error, argv, output) => resolve({ error: error ?? null, argv: argv as Record<string, unknown>, output }));
  });
}

/**
 * A command line that names a command, asks for neither help nor version and parses cleanly with that
 * command's parser gets the arguments the full parser would give, without building every command or laying
 * out help. Anything else (an error, an extra or missing positional, a choice not offered, `--`) goes to the
 * full parser, so what is printed then is exactly yargs' own.
 */
async function quickParse(args: readonly string[]): Promise<Record<string, unknown> | null> {
  const [name, ...rest] = args;
  if (!isCommandName(name) || rest.includes('--')) return null;
  const spec = commandSpec(name, name === 'build' ? await formatIds() : []);
  const parsed = await parseWith(commandParser(spec), rest);
  if (parsed.error || parsed.output) return null;
  const given = (parsed.argv._ as unknown[]).map(String);
  if (given.length > spec.positionals.length) return null;
  const argv: Record<string, unknown> = { ...parsed.argv, _: [name] };
  for (const [i, [key, options]] of spec.positionals.entries()) {
    const value = given[i] ?? options.default;
    if (value === undefined) {
      if (options.demandOption) return null;
      continue;
    }
    if (options.choices !== undefined && !(options.choices as readonly unknown[]).includes(value)) return null;
    argv[key] = value;
  }
  return argv;
}

async function parseArgs(args: readonly string[]): Promise<Parsed> {
  const argv = await quickParse(args);
  return argv ? { error: null, argv, output: '' } : parseWith(fullParser(await formatIds()), args);
}

/** Runs one command line; returns the exit code. Never throws for user errors. */
export async function run(args: readonly string[], io: CliIO = processIO()): Promise<number> {
  const parsed = await parseArgs(args);
  if (parsed.error) {
    io.stderr((parsed.output ? parsed.output + '\n' : '') + (parsed.output.includes(parsed.error.message) ? '' : parsed.error.message + '\n'));
    return 2;
  }
  if (parsed.output) {
    io.stdout(parsed.output + '\n');
    return 0;
  }
  const problem = usageProblem(parsed.argv);
  if (problem) {
    io.stderr(`tlsgen: ${problem}\n`);
    return 2;
  }
  try {
    return await dispatch(parsed.argv as unknown as Argv, io);
  } catch (error) {
    if (error instanceof UserError) {
      io.stderr(`tlsgen: ${error.message}\n`);
      return error.exitCode;
    }
    io.stderr(`tlsgen: internal error, this is a bug in tlsgen; please report it with the output below.\n${(error as Error).stack ?? String(error)}\n`);
    return 70;
  }
}

/** What yargs hands over, typed: every option of every command (each command reads its own). */
interface Argv {
  readonly _: readonly (string | number)[];
  readonly definitions: string;
  readonly out: string;
  readonly profile?: string | string[];
  readonly compare?: string[];
  readonly name?: string;
  readonly from?: string;
  readonly target?: string[];
  readonly format?: FormatId[];
  readonly mode?: OutputMode;
  readonly check?: boolean;
  readonly strict?: boolean;
  readonly today?: string;
  readonly json?: boolean;
  readonly what?: ListKind;
  readonly cert?: string;
  readonly key?: string;
  readonly chain?: string;
  readonly timestamp?: string;
}

async function dispatch(argv: Argv, io: CliIO): Promise<number> {
  const command = String(argv._[0]);
  if (!isCommandName(command)) throw new UserError(`unknown command ${command}`, 2);
  const commands = await import('./commands.js');
  switch (command) {
    case 'build':
      return buildCommand(commands, argv, io);
    case 'validate':
      return validateCommand(commands, argv, io);
    case 'lint':
      return lintCommand(commands, argv, io);
    case 'list':
      return listCommand(commands, argv, io);
    case 'explain':
      return explainCommand(commands, argv, io);
    case 'init':
      return initCommand(commands, argv, io);
    case 'sign':
      return signCommand(commands, argv, io);
  }
}

/** Prints warnings (and errors); a refusal ends the command with exit 1. */
function refused(outcome: { ok: boolean; diagnostics: Diagnostic[] }, io: CliIO): boolean {
  printDiagnostics(outcome.diagnostics, io);
  if (outcome.ok) return false;
  const errors = outcome.diagnostics.filter((d) => d.severity === 'error').length;
  // No error means --strict refused on lint warnings.
  io.stderr(
    errors > 0
      ? `tlsgen: the definitions have ${errors} error(s); nothing was written\n`
      : `tlsgen: ${outcome.diagnostics.length} lint warning(s) (refused: --strict); nothing was written\n`,
  );
  return true;
}

async function buildCommand(commands: typeof Commands, argv: Argv, io: CliIO): Promise<number> {
  const outcome = await commands.build({
    definitionsDir: argv.definitions,
    outDir: argv.out,
    profiles: asList(argv.profile),
    targets: argv.target,
    formats: argv.format,
    mode: argv.mode,
    check: argv.check ?? false,
    lint: { strict: argv.strict, today: argv.today },
    onWait: (holder) => io.stderr(`tlsgen: waiting for another build of ${argv.out} (${holder})\n`),
  });
  if (refused(outcome, io) || !outcome.ok) return 1;
  return argv.check ? reportCheck(outcome.report, argv.out, io) : reportBuild(outcome.report, argv.out, io);
}

function reportBuild(report: EmitReport, out: string, io: CliIO): number {
  const total = report.written.length + report.unchanged.length;
  io.stdout(`${out}: ${total} file(s): ${report.written.length} written, ${report.unchanged.length} unchanged, ${report.removed.length} removed\n`);
  for (const path of report.removed) io.stdout(`  removed ${path}\n`);
  if (report.kept.length > 0) {
    io.stdout(`  kept ${report.kept.length} item(s) inside generated folders that tlsgen did not generate:\n`);
    for (const path of report.kept) io.stdout(`    ${path}\n`);
  }
  return 0;
}

function reportCheck(report: EmitReport, out: string, io: CliIO): number {
  const drift = [
    ...report.interrupted.map((p) => `  interrupted build: ${p} (run tlsgen build to finish it)`),
    ...report.missing.map((p) => `  missing  ${p}`),
    ...report.changed.map((p) => `  changed  ${p}`),
    ...report.extra.map((p) => `  extra    ${p}`),
  ];
  if (drift.length === 0) {
    io.stdout(`${out} is up to date (${report.unchanged.length} file(s))\n`);
    return 0;
  }
  io.stderr(`${out} differs from what the definitions produce; run tlsgen build:\n${drift.join('\n')}\n`);
  return 1;
}

function validateCommand(commands: typeof Commands, argv: Argv, io: CliIO): number {
  const outcome = commands.validate(argv.definitions, { strict: argv.strict, today: argv.today });
  if (refused(outcome, io) || !outcome.ok) return 1;
  const s = outcome.summary;
  io.stdout(
    `definitions are valid: ${s.profiles} profile(s), ${s.targets} Windows target(s), ${s.settings} setting(s), ` +
      `${s.sources} source(s); ${s.plans} target plan(s) resolve\n`,
  );
  return 0;
}

async function lintCommand(commands: typeof Commands, argv: Argv, io: CliIO): Promise<number> {
  const outcome = commands.lint({ definitionsDir: argv.definitions, profiles: asList(argv.profile), strict: argv.strict, today: argv.today });
  if (refused(outcome, io) || !outcome.ok) return 1;
  if (argv.json) io.stdout(JSON.stringify(outcome.findings, null, 2) + '\n');
  else {
    const { lintDiagnostics, lintSummary } = await import('./lint/findings.js');
    printDiagnostics(lintDiagnostics(outcome.findings), io);
    (outcome.refuses ? io.stderr : io.stdout)(`tlsgen lint: ${lintSummary(outcome.findings, { strict: argv.strict })}\n`);
  }
  return outcome.refuses ? 1 : 0;
}

async function listCommand(commands: typeof Commands, argv: Argv, io: CliIO): Promise<number> {
  const kind = argv.what ?? 'profiles';
  const outcome = commands.list(argv.definitions, kind);
  if (refused(outcome, io) || !outcome.ok) return 1;
  if (argv.json) {
    const { jsonSafe } = await import('./present/explain.js');
    io.stdout(JSON.stringify(outcome.rows, jsonSafe, 2) + '\n');
  } else io.stdout((await import('./present/list.js')).listText(outcome.checked.catalog, kind));
  return 0;
}

async function explainCommand(commands: typeof Commands, argv: Argv, io: CliIO): Promise<number> {
  if (argv.compare !== undefined) return compareCommand(commands, argv, io);
  const outcome = commands.explain({ definitionsDir: argv.definitions, profile: String(argv.profile), targets: argv.target, mode: argv.mode });
  if (refused(outcome, io) || !outcome.ok) return 1;
  const { explainJson, explainText } = await import('./present/explain.js');
  io.stdout(argv.json ? explainJson(outcome.plan, outcome.targets) : explainText(outcome.plan, outcome.targets));
  return 0;
}

async function compareCommand(commands: typeof Commands, argv: Argv, io: CliIO): Promise<number> {
  const [a, b] = explainedProfiles(argv) as [string, string];
  const outcome = commands.compare({ definitionsDir: argv.definitions, profiles: [a, b], targets: argv.target, mode: argv.mode });
  if (refused(outcome, io) || !outcome.ok) return 1;
  const { compareJson, compareText } = await import('./present/compare.js');
  io.stdout(argv.json ? compareJson(outcome.comparison) : compareText(outcome.comparison));
  return 0;
}

function initCommand(commands: typeof Commands, argv: Argv, io: CliIO): number {
  const outcome = commands.init({ definitionsDir: argv.definitions, name: String(argv.name), from: String(argv.from) });
  if (refused(outcome, io) || !outcome.ok) return 1;
  const definitions = argv.definitions === 'definitions' ? '' : ` --definitions ${argv.definitions}`;
  io.stdout(
    [
      `wrote ${outcome.path}: profile ${outcome.id}, extends ${outcome.parent}`,
      'Next:',
      `  edit it: uncomment and adapt the examples (remove, overrides, exceptions, policy), say why in summary`,
      `  tlsgen validate${definitions}`,
      `  tlsgen explain --compare ${outcome.parent} ${outcome.id}${definitions}`,
      `  tlsgen build --profile ${outcome.id}${definitions}`,
    ].join('\n') + '\n',
  );
  return 0;
}

function signCommand(commands: typeof Commands, argv: Argv, io: CliIO): number {
  const report = commands.sign({ outDir: argv.out, cert: argv.cert!, key: argv.key!, chain: argv.chain, timestampUrl: argv.timestamp });
  for (const path of report.signed) io.stdout(`  signed ${path}\n`);
  io.stdout(
    `${argv.out}: ${report.signed.length} script(s) signed (SHA-256, osslsigncode ${report.osslsigncodeVersion}); rewrote ${report.checksumFiles.join(', ')}\n`,
  );
  return 0;
}

function asList(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function printDiagnostics(diagnostics: readonly Diagnostic[], io: CliIO): void {
  for (const d of sortDiagnostics(diagnostics)) {
    const text = formatDiagnostic(d);
    io.stderr((io.color ? text.replace(/ (error|warning) /, (_match, s: string) => ` \u001b[${s === 'error' ? 31 : 33}m${s}\u001b[0m `) : text) + '\n');
  }
}

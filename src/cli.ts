/**
 * The command line: the only module that reads argv, prints, and decides the exit code. Each
 * command is one call into src/commands.ts (the library), whose result is printed here.
 * Exit codes: 0 ok; 1 invalid definitions, --check found drift, or a file-system problem; 2 usage
 * error; 70 internal error (a bug: the stack trace is printed to report it).
 */
import yargs from 'yargs';
import type { Argv as YargsParser } from 'yargs';
import packageJson from '../package.json' with { type: 'json' };
import * as commands from './commands.js';
import { lintDiagnostics } from './lint/findings.js';
import type { Diagnostic } from './diagnostics.js';
import { UserError, formatDiagnostic, sortDiagnostics } from './diagnostics.js';
import type { EmitReport } from './emit/emit.js';
import { compareJson, compareText } from './present/compare.js';
import { explainJson, explainText, jsonSafe } from './present/explain.js';
import { listText } from './present/list.js';
import type { ListKind } from './present/list.js';
import { FORMAT_IDS } from './render/artifacts.js';
import type { FormatId } from './render/artifacts.js';
import type { OutputMode } from './definitions/types.js';

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
    color: Boolean(process.stderr.isTTY) && !('NO_COLOR' in process.env),
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
  if (argv.today !== undefined && !isRealDay(String(argv.today))) return `--today must be a date as YYYY-MM-DD, found "${String(argv.today)}"`;
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

function buildParser(): YargsParser {
  const definitions = { type: 'string', default: 'definitions', describe: 'folder holding the YAML definitions' } as const;
  const mode = { choices: ['explicit', 'minimal'] as const, describe: "output mode; overrides the profile's own" } as const;
  const strict = { type: 'boolean', default: false, describe: 'lint warnings refuse too (exit 1)' } as const;
  const today = { type: 'string', describe: 'the day lint dates exceptions against (YYYY-MM-DD; default: today, UTC)' } as const;
  return yargs()
    .scriptName('tlsgen')
    .usage('$0 <command> [options]\n\nTurns YAML definitions of Windows TLS registry settings into .reg files and more.')
    .command('build', 'generate the artifacts into the output folder', (y) =>
      y
        .option('definitions', definitions)
        .option('out', { type: 'string', default: 'out', describe: 'output folder' })
        .option('profile', { type: 'string', array: true, describe: 'only these profiles (repeatable)' })
        .option('target', { type: 'string', array: true, describe: 'only files for these Windows targets (repeatable)' })
        .option('format', { choices: FORMAT_IDS, array: true, describe: 'only these formats (repeatable)' })
        .option('mode', mode)
        .option('check', { type: 'boolean', default: false, describe: 'write nothing; exit 1 if the output folder differs' })
        .option('strict', strict)
        .option('today', today),
    )
    .command('validate', 'check the definitions and lint the profiles; report every problem', (y) =>
      y.option('definitions', definitions).option('strict', strict).option('today', today),
    )
    .command('lint', 'report known breakage and policy problems in the profiles (rules TG001-TG009)', (y) =>
      y
        .option('definitions', definitions)
        .option('profile', { type: 'string', array: true, describe: 'only these profiles (repeatable)' })
        .option('strict', strict)
        .option('today', today)
        .option('json', { type: 'boolean', default: false, describe: 'machine-readable output' }),
    )
    .command('list [what]', 'list profiles, targets or settings', (y) =>
      y
        .positional('what', { choices: ['profiles', 'targets', 'settings'] as const, default: 'profiles' })
        .option('definitions', definitions)
        .option('json', { type: 'boolean', default: false, describe: 'machine-readable output' }),
    )
    .command('explain [profile]', 'show what a profile does on each Windows target, and why; or what differs between two profiles', (y) =>
      y
        .positional('profile', { type: 'string' })
        .option('compare', {
          type: 'string',
          array: true,
          describe: 'compare two profiles (`--compare A B`, or `explain A --compare B`): what B adds, removes and changes',
        })
        .option('definitions', definitions)
        .option('target', { type: 'string', array: true, describe: 'only these Windows targets (repeatable)' })
        .option('mode', mode)
        .option('json', { type: 'boolean', default: false, describe: 'machine-readable output' }),
    )
    .command(
      'sign',
      'Authenticode-sign the .ps1/.psd1 files tlsgen generated (the output folder, or one profile folder in it) with osslsigncode, then rewrite their SHA256SUMS',
      (y) =>
        y
          .option('cert', { type: 'string', demandOption: true, describe: 'code-signing certificate (PEM or DER)' })
          .option('key', { type: 'string', demandOption: true, describe: 'its private key (never copied or printed)' })
          .option('chain', { type: 'string', describe: 'intermediate certificates to embed' })
          .option('timestamp', { type: 'string', describe: 'RFC 3161 timestamp server URL' })
          .option('out', { type: 'string', default: 'out', describe: 'output folder to sign' }),
    )
    .command('init <name>', 'scaffold a profile that extends another, in DIR/profiles/NAME.yaml', (y) =>
      y
        .positional('name', { type: 'string', demandOption: true, describe: 'id of the new profile' })
        .option('from', { type: 'string', demandOption: true, describe: 'the profile it extends' })
        .option('definitions', definitions),
    )
    .demandCommand(1, 'name a command: build, validate, lint, list, explain, init or sign')
    .strict()
    .version(packageJson.version)
    .help()
    .exitProcess(false);
}

/** Runs one command line; returns the exit code. Never throws for user errors. */
export async function run(args: readonly string[], io: CliIO = processIO()): Promise<number> {
  const parsed = await new Promise<{ error: Error | null; argv: Record<string, unknown>; output: string }>((resolve) => {
    buildParser().parse([...args], {}, (error, argv, output) => resolve({ error: error ?? null, argv: argv as Record<string, unknown>, output }));
  });
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
    return dispatch(parsed.argv as unknown as Argv, io);
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

function dispatch(argv: Argv, io: CliIO): number {
  switch (String(argv._[0])) {
    case 'build':
      return buildCommand(argv, io);
    case 'validate':
      return validateCommand(argv, io);
    case 'lint':
      return lintCommand(argv, io);
    case 'list':
      return listCommand(argv, io);
    case 'explain':
      return explainCommand(argv, io);
    case 'init':
      return initCommand(argv, io);
    case 'sign':
      return signCommand(argv, io);
    default:
      throw new UserError(`unknown command ${String(argv._[0])}`, 2);
  }
}

/** Prints warnings (and errors); a refusal ends the command with exit 1. */
function refused(outcome: { ok: boolean; diagnostics: Diagnostic[] }, io: CliIO): boolean {
  printDiagnostics(outcome.diagnostics, io);
  if (outcome.ok) return false;
  io.stderr(`tlsgen: the definitions have ${outcome.diagnostics.filter((d) => d.severity === 'error').length} error(s); nothing was written\n`);
  return true;
}

function buildCommand(argv: Argv, io: CliIO): number {
  const outcome = commands.build({
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

function validateCommand(argv: Argv, io: CliIO): number {
  const outcome = commands.validate(argv.definitions, { strict: argv.strict, today: argv.today });
  if (refused(outcome, io) || !outcome.ok) return 1;
  const s = outcome.summary;
  io.stdout(
    `definitions are valid: ${s.profiles} profile(s), ${s.targets} Windows target(s), ${s.settings} setting(s), ` +
      `${s.sources} source(s); ${s.plans} target plan(s) resolve\n`,
  );
  return 0;
}

function lintCommand(argv: Argv, io: CliIO): number {
  const outcome = commands.lint({ definitionsDir: argv.definitions, profiles: asList(argv.profile), strict: argv.strict, today: argv.today });
  if (refused(outcome, io) || !outcome.ok) return 1;
  if (argv.json) io.stdout(JSON.stringify(outcome.findings, null, 2) + '\n');
  else {
    printDiagnostics(lintDiagnostics(outcome.findings), io);
    const errors = outcome.findings.filter((f) => f.severity === 'error').length;
    const summary = `${outcome.findings.length === 0 ? 'no lint findings' : `${errors} error(s), ${outcome.findings.length - errors} warning(s)`}${argv.strict ? ' (--strict: warnings refuse too)' : ''}`;
    (outcome.refuses ? io.stderr : io.stdout)(`tlsgen lint: ${summary}\n`);
  }
  return outcome.refuses ? 1 : 0;
}

function listCommand(argv: Argv, io: CliIO): number {
  const kind = argv.what ?? 'profiles';
  const outcome = commands.list(argv.definitions, kind);
  if (refused(outcome, io) || !outcome.ok) return 1;
  io.stdout(argv.json ? JSON.stringify(outcome.rows, jsonSafe, 2) + '\n' : listText(outcome.checked.catalog, kind));
  return 0;
}

function explainCommand(argv: Argv, io: CliIO): number {
  if (argv.compare !== undefined) return compareCommand(argv, io);
  const outcome = commands.explain({ definitionsDir: argv.definitions, profile: String(argv.profile), targets: argv.target, mode: argv.mode });
  if (refused(outcome, io) || !outcome.ok) return 1;
  io.stdout(argv.json ? explainJson(outcome.plan, outcome.targets) : explainText(outcome.plan, outcome.targets));
  return 0;
}

function compareCommand(argv: Argv, io: CliIO): number {
  const [a, b] = explainedProfiles(argv) as [string, string];
  const outcome = commands.compare({ definitionsDir: argv.definitions, profiles: [a, b], targets: argv.target, mode: argv.mode });
  if (refused(outcome, io) || !outcome.ok) return 1;
  io.stdout(argv.json ? compareJson(outcome.comparison) : compareText(outcome.comparison));
  return 0;
}

function initCommand(argv: Argv, io: CliIO): number {
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

function signCommand(argv: Argv, io: CliIO): number {
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

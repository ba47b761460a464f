/**
 * The command line: the only module that reads argv, prints, and decides the exit code.
 * Exit codes: 0 ok, 1 invalid definitions or --check found drift, 2 usage error.
 */
import yargs from 'yargs';
import type { Argv } from 'yargs';
import packageJson from '../package.json' with { type: 'json' };
import type { Diagnostic } from './diagnostics.js';
import { UserError, formatDiagnostic, hasErrors, sortDiagnostics } from './diagnostics.js';
import { emit } from './emit/emit.js';
import type { EmitReport } from './emit/emit.js';
import { checkDefinitions, resolvePlans } from './pipeline.js';
import type { CheckedDefinitions } from './pipeline.js';
import { explainJson, explainText, jsonSafe } from './present/explain.js';
import { listData, listText } from './present/list.js';
import type { ListKind } from './present/list.js';
import { FORMAT_IDS, renderProfileFiles } from './render/artifacts.js';
import { signOutput } from './sign/sign.js';
import type { FormatId, GeneratedFile } from './render/artifacts.js';
import type { OutputMode } from './validate/definitions.js';
import { variantsOf } from './model/targets.js';

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
const SINGLE_VALUE_OPTIONS = ['definitions', 'out', 'mode', 'cert', 'key', 'chain', 'timestamp'] as const;

function usageProblem(argv: Record<string, unknown>): string | null {
  for (const name of SINGLE_VALUE_OPTIONS) {
    if (Array.isArray(argv[name])) return `--${name} was given ${(argv[name] as unknown[]).length} times; give it once`;
  }
  for (const name of ['definitions', 'out'] as const) {
    if (typeof argv[name] === 'string' && (argv[name] as string).trim() === '') return `--${name} must name a folder`;
  }
  return null;
}

interface CommonArgs {
  definitions: string;
}

function buildParser(): Argv {
  const definitions = { type: 'string', default: 'definitions', describe: 'folder holding the YAML definitions' } as const;
  const mode = { choices: ['explicit', 'minimal'] as const, describe: "output mode; overrides the profile's own" } as const;
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
        .option('check', { type: 'boolean', default: false, describe: 'write nothing; exit 1 if the output folder differs' }),
    )
    .command('validate', 'check the definitions and report every problem', (y) => y.option('definitions', definitions))
    .command('list [what]', 'list profiles, targets or settings', (y) =>
      y
        .positional('what', { choices: ['profiles', 'targets', 'settings'] as const, default: 'profiles' })
        .option('definitions', definitions)
        .option('json', { type: 'boolean', default: false, describe: 'machine-readable output' }),
    )
    .command('explain <profile>', 'show what a profile does on each Windows target, and why', (y) =>
      y
        .positional('profile', { type: 'string', demandOption: true })
        .option('definitions', definitions)
        .option('target', { type: 'string', array: true, describe: 'only these Windows targets (repeatable)' })
        .option('mode', mode)
        .option('json', { type: 'boolean', default: false, describe: 'machine-readable output' }),
    )
    .command('sign', 'Authenticode-sign the .ps1/.psd1 files tlsgen generated (the output folder, or one profile folder in it) with osslsigncode, then rewrite their SHA256SUMS', (y) =>
      y
        .option('cert', { type: 'string', demandOption: true, describe: 'code-signing certificate (PEM or DER)' })
        .option('key', { type: 'string', demandOption: true, describe: 'its private key (never copied or printed)' })
        .option('chain', { type: 'string', describe: 'intermediate certificates to embed' })
        .option('timestamp', { type: 'string', describe: 'RFC 3161 timestamp server URL' })
        .option('out', { type: 'string', default: 'out', describe: 'output folder to sign' }),
    )
    .demandCommand(1, 'name a command: build, validate, list, explain or sign')
    .strict()
    .version(packageJson.version)
    .help()
    .exitProcess(false);
}

/** Runs one command line; returns the exit code. Never throws for user errors. */
export async function run(args: readonly string[], io: CliIO = processIO()): Promise<number> {
  const parsed = await new Promise<{ error: Error | null; argv: Record<string, unknown>; output: string }>((resolve) => {
    buildParser().parse([...args], {}, (error, argv, output) =>
      resolve({ error: error ?? null, argv: argv as Record<string, unknown>, output }),
    );
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
    return dispatch(parsed.argv, io);
  } catch (error) {
    if (error instanceof UserError) {
      io.stderr(`tlsgen: ${error.message}\n`);
      return error.exitCode;
    }
    io.stderr(`tlsgen: internal error, this is a bug in tlsgen; please report it with the output below.\n${(error as Error).stack ?? String(error)}\n`);
    return 70;
  }
}

function dispatch(argv: Record<string, unknown>, io: CliIO): number {
  const command = String((argv._ as unknown[])[0]);
  if (command === 'sign') return sign(argv, io);
  const checked = checkDefinitions(String((argv as unknown as CommonArgs).definitions));
  printDiagnostics(checked.diagnostics, io);
  if (hasErrors(checked.diagnostics)) {
    io.stderr(`tlsgen: the definitions have ${checked.diagnostics.filter((d) => d.severity === 'error').length} error(s); nothing was written\n`);
    return 1;
  }
  switch (command) {
    case 'build':
      return build(checked, argv, io);
    case 'validate':
      return validateCommand(checked, io);
    case 'list':
      return list(checked, argv, io);
    case 'explain':
      return explain(checked, argv, io);
    default:
      throw new UserError(`unknown command ${command}`);
  }
}

function build(checked: CheckedDefinitions, argv: Record<string, unknown>, io: CliIO): number {
  const profiles = (argv.profile as string[] | undefined) ?? [];
  const targets = knownTargets(checked, argv.target as string[] | undefined);
  const formats = (argv.format as FormatId[] | undefined) ?? [];
  const plans = resolvePlans(checked, { profiles, mode: argv.mode as OutputMode | undefined });
  if (plans.length === 0) {
    // A mistyped definitions folder must not look like "remove every profile".
    throw new UserError(`${String(argv.definitions)} defines no profiles; nothing was built and nothing in ${String(argv.out)} was removed`, 1);
  }
  const files = plans.flatMap(renderProfileFiles);
  const check = Boolean(argv.check);
  const report = emit(files, {
    outDir: String(argv.out),
    check,
    select: (file: GeneratedFile) =>
      (file.format === null || formats.length === 0 || formats.includes(file.format)) &&
      (file.targetId === null || targets.length === 0 || targets.includes(file.targetId)),
    allProfiles: profiles.length === 0,
    onWait: (holder) => io.stderr(`tlsgen: waiting for another build of ${String(argv.out)} (${holder})\n`),
  });
  return check ? reportCheck(report, String(argv.out), io) : reportBuild(report, String(argv.out), io);
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

function validateCommand(checked: CheckedDefinitions, io: CliIO): number {
  const plans = resolvePlans(checked, {});
  const { catalog } = checked;
  const files = plans.reduce((n, p) => n + p.targets.length, 0);
  io.stdout(
    `definitions are valid: ${catalog.profiles.size} profile(s), ${catalog.targets.size} Windows target(s), ` +
      `${catalog.settings.size} setting(s), ${catalog.sources.size} source(s); ${files} target plan(s) resolve\n`,
  );
  return 0;
}

function list(checked: CheckedDefinitions, argv: Record<string, unknown>, io: CliIO): number {
  const kind = argv.what as ListKind;
  io.stdout(argv.json ? JSON.stringify(listData(checked.catalog, kind), jsonSafe, 2) + '\n' : listText(checked.catalog, kind));
  return 0;
}

function explain(checked: CheckedDefinitions, argv: Record<string, unknown>, io: CliIO): number {
  const [plan] = resolvePlans(checked, { profiles: [String(argv.profile)], mode: argv.mode as OutputMode | undefined });
  const targets = knownTargets(checked, argv.target as string[] | undefined);
  const selected = plan!.targets.filter((t) => targets.length === 0 || targets.includes(t.variantId));
  if (selected.length === 0) throw new UserError(`profile ${plan!.id} does not cover ${targets.join(', ')}; it covers ${plan!.targets.map((t) => t.variantId).join(', ')}`);
  io.stdout(argv.json ? explainJson(plan!, selected) : explainText(plan!, selected));
  return 0;
}

function sign(argv: Record<string, unknown>, io: CliIO): number {
  const report = signOutput({
    outDir: String(argv.out),
    cert: String(argv.cert),
    key: String(argv.key),
    chain: argv.chain === undefined ? undefined : String(argv.chain),
    timestampUrl: argv.timestamp === undefined ? undefined : String(argv.timestamp),
  });
  for (const path of report.signed) io.stdout(`  signed ${path}\n`);
  io.stdout(`${argv.out}: ${report.signed.length} script(s) signed (SHA-256, osslsigncode ${report.osslsigncodeVersion}); rewrote ${report.checksumFiles.join(', ')}\n`);
  return 0;
}

/**
 * The target variants a --target list selects: a Windows version's id selects all its editions
 * (`win10`: win10 and win10-x86), an edition's id only that edition (`win10-x86`).
 */
function knownTargets(checked: CheckedDefinitions, requested: readonly string[] | undefined): string[] {
  const variants = new Map<string, string[]>();
  for (const [id, target] of checked.catalog.targets) {
    const ids = variantsOf(target.value).map((v) => v.variantId);
    variants.set(id, ids);
    for (const variantId of ids) if (!variants.has(variantId)) variants.set(variantId, [variantId]);
  }
  const ids = requested ?? [];
  const unknown = ids.filter((id) => !variants.has(id));
  if (unknown.length > 0) throw new UserError(`unknown target ${unknown.join(', ')}; known targets: ${[...variants.keys()].join(', ')}`);
  return [...new Set(ids.flatMap((id) => variants.get(id)!))];
}

function printDiagnostics(diagnostics: readonly Diagnostic[], io: CliIO): void {
  for (const d of sortDiagnostics(diagnostics)) {
    const text = formatDiagnostic(d);
    io.stderr((io.color ? text.replace(/ (error|warning) /, (_match, s: string) => ` \u001b[${s === 'error' ? 31 : 33}m${s}\u001b[0m `) : text) + '\n');
  }
}

/**
 * One batch of random cases: definitions → generate() → every artifact → its real consumer → the
 * same values back, compared with what the definition says (test/property/definitions.ts).
 *
 * Consumers, each started once per batch:
 * - Wine reg.exe (one `cmd /c` batch imports every apply file, one export of the root key; then every
 *   rollback file, one export): values compared by key, name, type and bytes;
 * - xmllint with test/schemas/gpp-registry.xsd on every Registry.xml;
 * - PowerShell 7.6.9 (test/powershell/property-inspect.ps1): DSC resources through the Registry
 *   resource's own parsing (dsc-registry-oracle.ps1), the Script resources tlsgen writes for keys a
 *   Registry resource cannot open run on a registry that splits key names at '\' only
 *   (dsc-registry-script.ps1's fake registry), the scripts' literal data tables decoded by
 *   the scripts' own functions, System.Xml for GPP items, and the parser's census of what can run,
 *   compared with a benign twin of the same shape.
 */
import { hiveFormKey } from '../support/registry-outcomes.js';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { generate } from '../../src/pipeline.js';
import { findOnPath } from '../consumers/consumer-policy.js';
import { REPO } from '../support/golden.js';
import { pwshPath } from '../support/powershell.js';
import { refusedOps, allScopes, type CaseSpec, type VariantId } from './arbitraries.js';
import { benignTwin, materialize, ROOT_KEY, type Expected, type Materialized } from './definitions.js';
import { wineBatch } from './wine-batch.js';

export interface Consumers {
  wine: boolean;
  pwsh: boolean;
  xmllint: boolean;
}

export function availableConsumers(): Consumers {
  return { wine: findOnPath('wine') !== null && findOnPath('wineserver') !== null, pwsh: pwshPath() !== null, xmllint: findOnPath('xmllint') !== null };
}

export interface CaseFailure {
  index: number;
  problems: string[];
}

export interface BatchStats {
  valid: number;
  refused: number;
  files: number;
  ms: Record<string, number>;
}

interface Generated {
  index: number;
  spec: CaseSpec;
  m: Materialized;
  out: string;
  twinOut: string;
  files: string[];
}

function listFiles(root: string, rel = ''): string[] {
  return readdirSync(join(root, rel), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(root, join(rel, e.name)) : [join(rel, e.name)]));
}

function writeOut(root: string, files: { path: string; bytes: Uint8Array }[]): void {
  for (const f of files) {
    const p = join(root, f.path);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, f.bytes);
  }
}

const show = (s: string) => JSON.stringify(s.length > 120 ? s.slice(0, 117) + '…' : s);
const sortJson = (xs: unknown[]) => xs.map((x) => JSON.stringify(x)).sort();

function diffLists(label: string, expected: unknown[], actual: unknown[], problems: string[]): void {
  const e = sortJson(expected);
  const a = sortJson(actual);
  const missing = e.filter((x) => !a.includes(x));
  const extra = a.filter((x) => !e.includes(x));
  for (const x of missing.slice(0, 5)) problems.push(`${label}: expected but not found: ${x.slice(0, 400)}`);
  for (const x of extra.slice(0, 5)) problems.push(`${label}: found but not expected: ${x.slice(0, 400)}`);
  if (missing.length === 0 && extra.length === 0 && e.length !== a.length) problems.push(`${label}: ${a.length} entries, expected ${e.length} (duplicates)`);
}

/** Expected outcome of a set or delete, in the shape every consumer comparison uses. */
function want(e: Expected): object {
  return e.action === 'set' ? { op: 'set', key: e.key, name: e.name, type: e.type, hex: e.hex } : { op: 'delete', key: e.key, name: e.name };
}

function union(m: Materialized): Expected[] {
  const seen = new Map<string, Expected>();
  for (const list of m.expected.values()) for (const e of list) seen.set(JSON.stringify(want(e)), e);
  return [...seen.values()];
}

export async function runBatch(cases: CaseSpec[], scratch: string, consumers: Consumers): Promise<{ failures: CaseFailure[]; stats: BatchStats }> {
  const problemsOf = new Map<number, string[]>(cases.map((_, i) => [i, []]));
  const fail = (i: number, p: string) => problemsOf.get(i)!.push(p);
  const ms: Record<string, number> = {};
  const time = async <T>(name: string, fn: () => T | Promise<T>): Promise<T> => {
    const t = performance.now();
    try {
      return await fn();
    } finally {
      ms[name] = (ms[name] ?? 0) + performance.now() - t;
    }
  };

  // ---- generate
  const generated: Generated[] = [];
  let refused = 0;
  await time('generate', () => {
    cases.forEach((spec, index) => {
      const base = join(scratch, `c${index}`);
      const m = materialize(spec, index, join(base, 'definitions'));
      const result = generate({ definitionsDir: m.dir });
      const refusals = refusedOps(spec);
      if (refusals.length > 0) {
        refused++;
        checkRefusal(spec, m, result, (p) => fail(index, p));
        return;
      }
      for (const d of result.diagnostics) fail(index, `generate: unexpected diagnostic ${d.severity} ${d.file}:${d.line}:${d.column} ${d.message}`);
      if (result.files.length === 0) {
        fail(index, 'generate: no files');
        return;
      }
      const out = join(base, 'out');
      writeOut(out, result.files);
      const twin = generate({ definitionsDir: materialize(benignTwin(spec), index, join(base, 'twin-definitions')).dir });
      for (const d of twin.diagnostics) fail(index, `generate (benign twin): unexpected diagnostic ${d.severity} ${d.file}:${d.line}:${d.column} ${d.message}`);
      const twinOut = join(base, 'twin-out');
      writeOut(twinOut, twin.files);
      generated.push({ index, spec, m, out, twinOut, files: listFiles(out) });
    });
  });

  const of = (g: Generated, re: RegExp) => g.files.filter((f) => re.test(f.replaceAll('\\', '/'))).map((f) => join(g.out, f));

  // Wine and PowerShell run at the same time (Wine mostly waits for its server).
  const wineDone = (async () => {
    if (consumers.wine && generated.length > 0) {
      await time('wine', async () => {
        const result = await wineBatch(
          join(scratch, 'wine'),
          generated.map((g) => ({
            id: g.index,
            applyFiles: of(g, /\/reg\/[^/]+(?<!\.rollback)\.reg$/),
            rollbackFiles: of(g, /\/reg\/[^/]+\.rollback\.reg$/),
            expected: union(g.m),
          })),
        );
        for (const [id, problems] of result) for (const p of problems) fail(id, `wine: ${p}`);
      });
    }
  })();

  // ---- xmllint
  if (consumers.xmllint && generated.length > 0) {
    await time('xmllint', () => {
      const all = generated.flatMap((g) => of(g, /Registry\.xml$/).map((path) => ({ g, path })));
      const res = spawnSync('xmllint', ['--noout', '--schema', join(REPO, 'test/schemas/gpp-registry.xsd'), ...all.map((a) => a.path)], {
        encoding: 'utf8',
        maxBuffer: 64 << 20,
      });
      for (const { g, path } of all) {
        if (!res.stderr.includes(`${path} validates`)) {
          const lines = res.stderr.split('\n').filter((l) => l.startsWith(path));
          fail(g.index, `xmllint: ${path.slice(g.out.length + 1)} does not validate against the GPP XSD: ${lines.slice(0, 3).join(' | ')}`);
        }
      }
      if (all.length === 0) for (const g of generated) fail(g.index, 'no Registry.xml generated');
    });
  }

  // ---- PowerShell
  const pwshDone = (async () => {
    if (consumers.pwsh && generated.length > 0) {
      await time('pwsh', async () => {
        const dsc = generated.flatMap((g) => of(g, /\/dsc\/[^/]+\.ps1$/));
        // What a registry Script resource may find before its Set: every value its file deletes (the rollback deletes the set values).
        const dscSeeds = generated.flatMap((g) =>
          of(g, /\/dsc\/[^/]+\.ps1$/).map((path) => ({
            path,
            seed: union(g.m)
              .filter((e) => (e.action === 'set') === path.endsWith('Rollback.ps1'))
              .map((e) => ({ key: e.key, name: e.name })),
          })),
        );
        const scriptItems = generated.flatMap((g) =>
          of(g, /\/(scripts|intune)\/[^/]+\.ps1$/).map((path) => ({
            path,
            expected: flatExpected(g.m)
              .filter((e) => e.action === 'set')
              .map((e) => ({ kind: e.kind, hex: e.hex })),
          })),
        );
        const census = generated.flatMap((g) =>
          g.files
            .filter((f) => f.endsWith('.ps1'))
            .flatMap((f) => [join(g.out, f), join(g.twinOut, f)].map((path) => ({ path, functionShaped: /(^|\/)dsc\//.test(f.replaceAll('\\', '/')) }))),
        );
        const gpp = generated.flatMap((g) => of(g, /Registry\.xml$/));
        const manifest = join(scratch, 'pwsh-manifest.json');
        const output = join(scratch, 'pwsh-report.json');
        writeFileSync(manifest, JSON.stringify({ dsc, dscSeeds, scripts: scriptItems, census, gpp }));
        await runPwsh(join(REPO, 'test/powershell/property-inspect.ps1'), ['-ManifestPath', manifest, '-OutputPath', output]);
        const report = JSON.parse(readFileSync(output, 'utf8')) as PwshReport;
        for (const g of generated) checkPwsh(g, report, (p) => fail(g.index, p));
      });
    }
  })();
  await Promise.all([wineDone, pwshDone]);

  const failures = [...problemsOf].filter(([, p]) => p.length > 0).map(([index, problems]) => ({ index, problems }));
  return { failures, stats: { valid: generated.length, refused, files: generated.reduce((n, g) => n + g.files.length, 0), ms } };
}

function runPwsh(script: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(pwshPath()!, ['-NoProfile', '-NonInteractive', '-File', script, ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, POWERSHELL_TELEMETRY_OPTOUT: '1', POWERSHELL_UPDATECHECK: 'Off' },
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`pwsh ${script} exited ${code}: ${stderr.slice(0, 2000)}`))));
  });
}

function flatExpected(m: Materialized): Expected[] {
  return m.variants.flatMap((v) => m.expected.get(v)!);
}

/** A value no DSC module can write: a located error at its data, nothing else, and no files. */
function checkRefusal(spec: CaseSpec, m: Materialized, result: ReturnType<typeof generate>, fail: (p: string) => void): void {
  if (result.files.length > 0) fail(`refused definition still produced ${result.files.length} files`);
  const scopes = allScopes(spec).filter(({ scope }) => scope.ops.length > 0);
  const pointers = new Set(refusedOps(spec).map((r) => `/settings/${scopes.findIndex((s) => s.name === r.scope)}/values/${r.index}/data`));
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  for (const p of pointers) {
    const d = errors.find((e) => e.pointer === p);
    if (!d)
      fail(
        `no error reported at ${p} (empty REG_BINARY/REG_MULTI_SZ); got: ${errors
          .map((e) => `${e.pointer} ${e.message}`)
          .join('; ')
          .slice(0, 400)}`,
      );
    else if (!d.file.endsWith('random.yaml') || !(d.line! > 0) || !(d.column! > 0)) fail(`error at ${p} is not located: ${d.file}:${d.line}:${d.column}`);
  }
  for (const e of errors) if (!pointers.has(e.pointer ?? '')) fail(`unexpected error ${e.file}:${e.line}:${e.column} ${e.message} (at ${e.pointer})`);
  void m;
}

// ---------------------------------------------------------------------------------------
// PowerShell report

interface OracleResult {
  module: string;
  type: number | null;
  data: string | null;
  tests: boolean;
  error: string | null;
}
/** A registry Script resource's run on the fake registry (property-inspect.ps1, Invoke-PropertyRegistryScript). */
interface ScriptRun {
  testBefore: boolean | null;
  testAfter: boolean | null;
  idempotent: boolean | null;
  written: { key: string; name: string; type: number; hex: string }[];
  removed: { key: string; name: string }[];
  keysRemoved: string[];
  strayKeys: string[];
  error: string | null;
}
interface DscResource {
  kind: string;
  name: string;
  targets: string[] | null;
  properties: Record<string, unknown>;
  problems: string[];
  oracle?: OracleResult[];
  script?: ScriptRun;
}

/** The Script resources of the restart pair (src/render/dsc.ts); every other Script resource does one registry operation. */
const RESTART_SCRIPTS = new Set(['CaptureTlsDrift', 'RestartAfterTlsChange']);

/** What a registry Script resource did, in the outcome shape of the Registry resources: one entry when it did exactly its operation. */
function scriptOutcomes(r: DscResource): object[] {
  const run = r.script;
  if (!run) return [{ op: 'error', resource: r.name, error: 'not run' }];
  if (run.error !== null) return [{ op: 'error', resource: r.name, error: run.error }];
  const wrong: object[] = [];
  if (run.testBefore !== false) wrong.push({ op: 'compliant before Set', resource: r.name });
  if (run.testAfter !== true) wrong.push({ op: 'never-compliant', resource: r.name });
  if (run.idempotent !== true) wrong.push({ op: 'second Set changes the registry', resource: r.name });
  if (run.keysRemoved.length > 0) wrong.push({ op: 'keys removed', resource: r.name, keys: run.keysRemoved });
  if (run.strayKeys.length > 0) wrong.push({ op: 'keys created without a value', resource: r.name, keys: run.strayKeys });
  const done = [
    ...run.written.map((w) => ({ op: 'set', key: w.key, name: w.name, type: w.type, hex: w.hex })),
    ...run.removed.map((d) => ({ op: 'delete', key: d.key, name: d.name })),
  ];
  if (done.length === 0) wrong.push({ op: 'no change', resource: r.name });
  return [...done, ...wrong];
}
interface PwshReport {
  dsc: {
    files: { path: string; errors: unknown[]; functionShapedErrors: { message: string; line: number }[]; resources?: DscResource[]; imports?: string[] }[];
  } | null;
  scripts: {
    path: string;
    errors: string[];
    problems: string[];
    plans: Record<string, Record<string, unknown>[]>;
    texts: string[];
    hasToText: boolean;
    hasFromText: boolean;
    stored: Record<string, ({ type: number; hex: string } | { error: string } | null)[]>;
  }[];
  census: { path: string; errors: string[]; commands: Record<string, number>; variables: Record<string, number>; kinds: Record<string, number> }[];
  gpp: { path: string; items: { properties: Record<string, string>; values: string[] | null }[] }[];
}

function checkPwsh(g: Generated, report: PwshReport, fail: (p: string) => void): void {
  const rel = (p: string) => p.slice(g.out.length + 1);
  const variants = g.m.variants;

  // DSC
  for (const file of (report.dsc?.files ?? []).filter((f) => f.path.startsWith(g.out + '/'))) {
    const name = rel(file.path);
    for (const e of file.functionShapedErrors) fail(`${name}: PowerShell parse error (function-shaped) line ${e.line}: ${e.message}`);
    const pinned = (file.imports ?? [])[0]?.includes("'PSDscResources'") ?? false;
    if (pinned !== g.spec.pinPSDscResources)
      fail(`${name}: imports ${(file.imports ?? []).join(', ')}, expected ${g.spec.pinPSDscResources ? 'PSDscResources' : 'PSDesiredStateConfiguration'}`);
    const modules = pinned ? ['PSDscResources'] : ['inbox-wmf50', 'inbox-wmf51'];
    const rollback = name.endsWith('Rollback.ps1');
    const registry = (file.resources ?? []).filter((r) => r.kind === 'Registry');
    const scripts = (file.resources ?? []).filter((r) => r.kind === 'Script' && !RESTART_SCRIPTS.has(r.name));
    for (const r of [...registry, ...scripts]) for (const p of r.problems) fail(`${name}: resource ${show(r.name)}: ${p}`);
    for (const v of variants) {
      const mine = registry.filter((r) => r.targets === null || r.targets.includes(v));
      // Script resources do not depend on the module: the same run counts under each.
      const scripted = scripts.filter((r) => r.targets === null || r.targets.includes(v)).flatMap(scriptOutcomes);
      const expected = g.m.expected.get(v)!;
      const want = rollback
        ? expected.filter((e) => e.action === 'set').map((e) => ({ op: 'delete', key: e.key, name: e.name }))
        : expected.map((e) =>
            e.action === 'set' ? { op: 'set', key: e.key, name: e.name, type: e.type, hex: e.hex } : { op: 'delete', key: e.key, name: e.name },
          );
      for (const module of modules) {
        const got: object[] = mine.map((r) => {
          const p = r.properties as { Key: string; ValueName: string; Ensure: string };
          if (p.Ensure === 'Absent') return { op: 'delete', key: hiveFormKey(p.Key), name: p.ValueName };
          const o = r.oracle?.find((x) => x.module === module);
          if (!o || o.error !== null) return { op: 'error', key: p.Key, name: p.ValueName, error: o?.error ?? 'no oracle result' };
          if (!o.tests) return { op: 'never-compliant', key: p.Key, name: p.ValueName, type: o.type, hex: o.data };
          return { op: 'set', key: p.Key, name: p.ValueName, type: o.type, hex: o.data };
        });
        got.push(...scripted);
        diffLists(`${name} [${v}] under ${module}`, want, got, collector(fail));
      }
    }
  }

  // Installer, audit, Intune: the literal data table, decoded by the script's own functions.
  const flat = flatExpected(g.m).filter((e) => e.action === 'set');
  for (const s of report.scripts.filter((x) => x.path.startsWith(g.out + '/'))) {
    const name = rel(s.path);
    for (const e of s.errors) fail(`${name}: PowerShell parse error: ${e}`);
    for (const p of s.problems) fail(`${name}: ${p}`);
    if (!s.hasToText && !s.hasFromText) fail(`${name}: neither ConvertTo-TlsgenText nor ConvertFrom-TlsgenIntuneText found: cannot decode its data`);
    const planTargets = Object.keys(s.plans).sort();
    if (JSON.stringify(planTargets) !== JSON.stringify([...variants].sort()))
      fail(`${name}: plans for ${planTargets.join(', ')}, expected ${[...variants].sort().join(', ')}`);
    let offset = 0;
    for (const v of variants) {
      const expected = g.m.expected.get(v)!;
      const values = s.plans[v] ?? [];
      const stored = s.stored[v] ?? [];
      const got = values.map((x, i) => {
        const base = { action: x['Action'], key: x['Key'], name: x['Name'] };
        if (x['Action'] !== 'Set') return base;
        const st = stored[i];
        return {
          ...base,
          type: x['Type'],
          data: x['Data'],
          ...(s.hasFromText ? { stored: st && 'hex' in st ? `${st.type}:${st.hex}` : `error: ${st && 'error' in st ? st.error : 'none'}` } : {}),
        };
      });
      const want = expected.map((e) => {
        if (e.action === 'delete') return { action: 'Delete', key: e.key, name: e.name };
        const j = flat.indexOf(e);
        return {
          action: 'Set',
          key: e.key,
          name: e.name,
          type: e.kind,
          // The text ConvertTo-TlsgenText makes of the value as the registry returns it: what the script compares Data with.
          data: s.hasToText ? s.texts[j] : undefined,
          ...(s.hasFromText ? { stored: `${e.type}:${e.hex}` } : {}),
        };
      });
      const gotCmp = s.hasToText ? got : got.map((x) => ({ ...x, data: undefined }));
      diffLists(`${name} [${v}]`, want, gotCmp, collector(fail));
      offset += values.length;
    }
    void offset;
  }

  // Nothing from a name or data became code: the same commands, variables and constructs as the benign twin.
  const census = new Map(report.census.map((c) => [c.path, c]));
  for (const f of g.files.filter((x) => x.endsWith('.ps1'))) {
    const hostile = census.get(join(g.out, f));
    const twin = census.get(join(g.twinOut, f));
    if (!hostile || !twin) {
      fail(`${f}: no census${twin ? '' : ' (benign twin lacks the file)'}`);
      continue;
    }
    for (const e of hostile.errors) fail(`${f}: parse error ${e}`);
    if (!sameCounts(hostile.commands, twin.commands)) fail(`${f}: commands differ from the benign twin's: ${listDiff(hostile.commands, twin.commands)}`);
    if (!sameCounts(hostile.variables, twin.variables)) fail(`${f}: variables differ from the benign twin's: ${listDiff(hostile.variables, twin.variables)}`);
    if (!sameCounts(hostile.kinds, twin.kinds))
      fail(`${f}: AST node counts differ from the benign twin's: ${JSON.stringify(hostile.kinds)} vs ${JSON.stringify(twin.kinds)}`);
  }

  // GPP and the GPO backup's copy: every item decodes to the definition's values.
  for (const file of report.gpp.filter((x) => x.path.startsWith(g.out + '/'))) {
    const name = rel(file.path);
    const rollback = /\/rollback\//.test(name);
    const all = union(g.m);
    const want = rollback
      ? dedupe(all.filter((e) => e.action === 'set').map((e) => ({ op: 'delete', key: e.key, name: e.name })))
      : all.map((e) => (e.action === 'set' ? { op: 'set', key: e.key, name: e.name, type: e.type, hex: e.hex } : { op: 'delete', key: e.key, name: e.name }));
    const got = dedupe(file.items.map((item) => decodeGpp(item)));
    diffLists(name, want, got, collector(fail));
  }
}

function dedupe<T>(xs: T[]): T[] {
  return [...new Map(xs.map((x) => [JSON.stringify(x), x])).values()];
}

function collector(fail: (p: string) => void): string[] {
  const list: string[] = [];
  list.push = (...items: string[]) => {
    items.forEach(fail);
    return 0;
  };
  return list;
}

function listDiff(a: Record<string, number>, b: Record<string, number>): string {
  const names = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => a[k] !== b[k]);
  return names
    .slice(0, 8)
    .map((k) => `${show(k)}: ${a[k] ?? 0} here, ${b[k] ?? 0} in the twin`)
    .join(', ');
}

function sameCounts(a: Record<string, number>, b: Record<string, number>): boolean {
  const norm = (x: Record<string, number>) => JSON.stringify(Object.entries(x).sort(([p], [q]) => (p < q ? -1 : p > q ? 1 : 0)));
  return norm(a) === norm(b);
}

const GPP_TYPES: Record<string, number> = { REG_SZ: 1, REG_EXPAND_SZ: 2, REG_BINARY: 3, REG_DWORD: 4, REG_MULTI_SZ: 7, REG_QWORD: 11 };

/** An item's Properties, read as the GPP client reads them: hex for numbers and binary, <Values> for lists. */
function decodeGpp(item: { properties: Record<string, string>; values: string[] | null }): object {
  const p = item.properties;
  const key = `${p['hive']}\\${p['key']}`;
  const name = p['name'] ?? '';
  if (p['action'] === 'D') return { op: 'delete', key, name };
  if (p['action'] !== 'R' && p['action'] !== 'U' && p['action'] !== 'C') return { op: `action ${p['action']}`, key, name };
  const type = GPP_TYPES[p['type'] ?? ''] ?? -1;
  const value = p['value'] ?? '';
  let bytes: Buffer;
  try {
    switch (p['type']) {
      case 'REG_SZ':
      case 'REG_EXPAND_SZ':
        bytes = Buffer.from(value + '\0', 'utf16le');
        break;
      case 'REG_MULTI_SZ':
        bytes = Buffer.from((item.values ?? []).map((s) => s + '\0').join('') + '\0', 'utf16le');
        break;
      case 'REG_DWORD': {
        if (!/^[0-9A-Fa-f]{8}$/.test(value)) throw new Error(`REG_DWORD value ${show(value)}`);
        bytes = Buffer.alloc(4);
        bytes.writeUInt32LE(parseInt(value, 16));
        break;
      }
      case 'REG_QWORD': {
        if (!/^[0-9A-Fa-f]{16}$/.test(value)) throw new Error(`REG_QWORD value ${show(value)}`);
        bytes = Buffer.alloc(8);
        bytes.writeBigUInt64LE(BigInt('0x' + value));
        break;
      }
      case 'REG_BINARY':
        if (!/^([0-9A-Fa-f]{2})*$/.test(value)) throw new Error(`REG_BINARY value ${show(value)}`);
        bytes = Buffer.from(value, 'hex');
        break;
      default:
        throw new Error(`type ${show(p['type'] ?? '')}`);
    }
  } catch (err) {
    return { op: 'undecodable', key, name, error: String(err) };
  }
  if (name === '' && p['default'] !== '1') return { op: 'default value without default="1"', key, name };
  return { op: 'set', key, name, type, hex: bytes.toString('hex') };
}

export { ROOT_KEY };
export type { VariantId };

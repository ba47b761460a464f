/**
 * Turns a random CaseSpec into a definitions folder (the shape of test/fixtures/base-definitions)
 * and into the expected registry outcome per target variant, computed here from the definition
 * alone: never from tlsgen's encoders or from a reading of the generated files.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BASE_DEFINITIONS } from '../support/golden.js';
import { allScopes, variantsOf, type CaseSpec, type OpSpec, type ScopeSpec, type ValueSpec, type VariantId } from './arbitraries.js';

export const ROOT_KEY = 'HKEY_LOCAL_MACHINE\\SOFTWARE\\TlsgenProperty';
export const PROFILE_ID = 'prop';

/** Registry type numbers, as Windows (and Wine's export, and the DSC oracle) report them. */
export const TYPE_NUMBER = { REG_SZ: 1, REG_EXPAND_SZ: 2, REG_BINARY: 3, REG_DWORD: 4, REG_MULTI_SZ: 7, REG_QWORD: 11 } as const;
/** .NET RegistryValueKind names, as the scripts' data tables and DSC's ValueType write them. */
export const KIND_NAME = {
  REG_SZ: 'String',
  REG_EXPAND_SZ: 'ExpandString',
  REG_BINARY: 'Binary',
  REG_DWORD: 'DWord',
  REG_MULTI_SZ: 'MultiString',
  REG_QWORD: 'QWord',
} as const;

export type Expected =
  | { action: 'set'; key: string; name: string; type: number; kind: string; hex: string; value: ValueSpec }
  | { action: 'delete'; key: string; name: string };

export interface Materialized {
  dir: string;
  variants: VariantId[];
  /** Per variant: what its artifacts must do, in no particular order. */
  expected: Map<VariantId, Expected[]>;
  /** The definition text of the settings file, for failure reports. */
  settingsYaml: string;
  profileYaml: string;
}

/** The bytes Windows stores for a value (REG_SZ: UTF-16LE with its NUL), as lowercase hex. */
export function expectedBytes(v: ValueSpec): Buffer {
  switch (v.type) {
    case 'REG_SZ':
    case 'REG_EXPAND_SZ':
      return Buffer.from(v.data + '\0', 'utf16le');
    case 'REG_MULTI_SZ':
      return Buffer.from(v.data.map((s) => s + '\0').join('') + '\0', 'utf16le');
    case 'REG_DWORD': {
      const b = Buffer.alloc(4);
      b.writeUInt32LE(v.data);
      return b;
    }
    case 'REG_QWORD': {
      const b = Buffer.alloc(8);
      b.writeBigUInt64LE(BigInt(v.data));
      return b;
    }
    case 'REG_BINARY':
      return Buffer.from(v.data);
  }
}

/** YAML is a superset of JSON; YAML also wants C1 controls (but NEL) escaped. */
function yaml(value: unknown): string {
  return JSON.stringify(value, null, 1).replace(/[\u0080-\u0084\u0086-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) + '\n';
}

function binaryText(bytes: number[]): string {
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(' ');
}

const WHEN: Record<VariantId, object> = {
  win10: { targets: ['win10'], architectures: ['x64'] },
  'win10-x86': { targets: ['win10'], architectures: ['x86'] },
  ws2022: { targets: ['ws2022'] },
};

/**
 * The benign twin of a case: the same shape (targets, settings, keys, value types, numbers,
 * binary data, which strings are empty), every name and string replaced by plain ASCII. Its
 * PowerShell files must have exactly the commands and variables of the hostile case's.
 * A key segment keeps its '/' characters: a key name with '/' is what makes DSC write a Script
 * resource instead of a Registry resource (src/model/dsc-registry-limits.ts registryResourceCannotOpenKey),
 * and the twin must get the same kind of resource.
 */
export function benignTwin(spec: CaseSpec): CaseSpec {
  let n = 0;
  const scope = (s: ScopeSpec): ScopeSpec => ({
    keys: s.keys.map((segments) => segments.map((segment) => `n${n++}${'/s'.repeat(segment.split('/').length - 1)}`)),
    ops: s.ops.map((o): OpSpec => {
      const name = o.name === '' ? '' : `v${n++}`;
      if (o.action === 'delete-value') return { ...o, name };
      const v = o.value;
      const value: ValueSpec =
        v.type === 'REG_SZ' || v.type === 'REG_EXPAND_SZ'
          ? { type: v.type, data: v.data === '' ? '' : `d${n++}` }
          : v.type === 'REG_MULTI_SZ'
            ? { type: v.type, data: v.data.map(() => `d${n++}`) }
            : v;
      return { ...o, name, value };
    }),
  });
  const perVariant: CaseSpec['perVariant'] = {};
  for (const [k, s] of Object.entries(spec.perVariant)) perVariant[k as VariantId] = scope(s!);
  return { ...spec, shared: scope(spec.shared), perVariant };
}

function fullKey(caseIndex: number, scopeName: string, keyIndex: number, segments: string[]): string {
  return [ROOT_KEY, `c${caseIndex}`, scopeName, `k${keyIndex}`, ...segments].join('\\');
}

export function materialize(spec: CaseSpec, caseIndex: number, dir: string): Materialized {
  mkdirSync(join(dir, 'settings'), { recursive: true });
  mkdirSync(join(dir, 'profiles'), { recursive: true });
  writeFileSync(join(dir, 'sources.yaml'), readFileSync(join(BASE_DEFINITIONS, 'sources.yaml')));
  writeFileSync(join(dir, 'windows.yaml'), readFileSync(join(BASE_DEFINITIONS, 'windows.yaml')));

  const variants = variantsOf(spec);
  const expected = new Map<VariantId, Expected[]>(variants.map((v) => [v, []]));
  const settings: object[] = [];
  for (const { name: scopeName, scope } of allScopes(spec)) {
    if (scope.ops.length === 0) continue;
    const values = scope.ops.map((o) => {
      const key = fullKey(caseIndex, scopeName, o.key, scope.keys[o.key]!);
      if (o.action === 'delete-value') return { key, action: 'delete-value', name: o.name };
      const data = o.value.type === 'REG_BINARY' ? binaryText(o.value.data) : o.value.data;
      return { key, name: o.name, type: o.value.type, data };
    });
    settings.push({
      id: `s-${scopeName}`,
      title: `Random values for ${scopeName}`,
      rationale: 'Property-based test.',
      source: 'doc',
      reboot: { required: scopeName === 'shared', source: 'doc' },
      ...(scopeName === 'shared' ? {} : { when: WHEN[scopeName] }),
      values,
    });
    const outcomes: Expected[] = scope.ops.map((o) => {
      const key = fullKey(caseIndex, scopeName, o.key, scope.keys[o.key]!);
      if (o.action === 'delete-value') return { action: 'delete', key, name: o.name };
      return {
        action: 'set',
        key,
        name: o.name,
        type: TYPE_NUMBER[o.value.type],
        kind: KIND_NAME[o.value.type],
        hex: expectedBytes(o.value).toString('hex'),
        value: o.value,
      };
    });
    for (const v of variants) if (scopeName === 'shared' || scopeName === v) expected.get(v)!.push(...outcomes);
  }
  const settingsYaml = yaml({ settings });
  const profileYaml = yaml({
    id: PROFILE_ID,
    title: 'Property test profile',
    summary: 'Random definitions.',
    source: 'doc',
    targets: spec.targets,
    settings: settings.map((s) => (s as { id: string }).id),
    ...(spec.pinPSDscResources ? { dsc: { resourceModule: 'PSDscResources' } } : {}),
  });
  writeFileSync(join(dir, 'settings', 'random.yaml'), settingsYaml);
  writeFileSync(join(dir, 'profiles', 'prop.yaml'), profileYaml);
  return { dir, variants, expected, settingsYaml, profileYaml };
}

/**
 * fast-check arbitraries for random tlsgen definitions: one profile over one or two targets, a
 * setting that applies everywhere ("shared") and one per target variant, with keys and value names
 * full of characters every format must escape, and every value type at its edges.
 *
 * Layout of every key: HKEY_LOCAL_MACHINE\SOFTWARE\TlsgenProperty\c<case>\<scope>\k<j>\<random>[\<random>]
 * - c<case> is given when a case is materialised (its place in a batch), so many cases can share one
 *   Wine session without touching each other's keys;
 * - <scope> is "shared" or the variant id: each variant writes its own subtree, so importing every
 *   variant's .reg file into one registry is conflict-free, and the expected state is the union;
 * - k<j> keeps keys apart whatever the random names are (no two keys are the same key to Windows).
 */
import fc from 'fast-check';

export const VARIANTS = { win10: ['win10', 'win10-x86'], ws2022: ['ws2022'] } as const;
export type TargetId = keyof typeof VARIANTS;
export type VariantId = (typeof VARIANTS)[TargetId][number];

export type ValueSpec =
  | { type: 'REG_SZ' | 'REG_EXPAND_SZ'; data: string }
  | { type: 'REG_MULTI_SZ'; data: string[] }
  | { type: 'REG_DWORD'; data: number }
  | { type: 'REG_QWORD'; data: string | number } // "0x…" hex text or a safe integer
  | { type: 'REG_BINARY'; data: number[] };

export type OpSpec = { key: number; name: string; action: 'set'; value: ValueSpec } | { key: number; name: string; action: 'delete-value' };

export interface ScopeSpec {
  /** Relative key paths (below k<j>), one or two random segments each. */
  keys: string[][];
  ops: OpSpec[];
}

export interface CaseSpec {
  targets: TargetId[];
  pinPSDscResources: boolean;
  shared: ScopeSpec;
  /** Per variant of the chosen targets (absent variants are ignored). */
  perVariant: Partial<Record<VariantId, ScopeSpec>>;
}

// ---------------------------------------------------------------------------------------
// Characters

const ASCII_HOSTILE = [...` "'\`$()[]{}<>&%;#@=,.!~|^*?+-_/:`];
// No bidirectional formatting characters (U+061C, U+200E/F, U+202A–E, U+2066–9): validation refuses them in names.
const NON_ASCII_BMP = [...'éüßÄÖ✓日本語Ωж‘’‚‛“”«»€\u00a0\u00ad\u200b\u2028\u2029\u3000\ufeff\ufffd\u0130\u0131\u01c5\u1fb3ﬀŉ'];
const BIDI_FORMATTING = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const ASTRAL = ['😀', '𝄞', '𠀋', '🏳️‍🌈'];
const C1 = ['\u0080', '\u0085', '\u009f'];

/** One character, no control characters, no lone surrogates, no U+FFFE/U+FFFF. */
function charArb(extra: readonly string[] = []): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...'abcXYZ019') },
    { weight: 4, arbitrary: fc.constantFrom(...ASCII_HOSTILE, ...extra) },
    { weight: 2, arbitrary: fc.constantFrom(...NON_ASCII_BMP) },
    { weight: 1, arbitrary: fc.constantFrom(...ASTRAL) },
    { weight: 1, arbitrary: fc.constantFrom(...C1) },
    {
      weight: 1,
      arbitrary: fc
        .string({ unit: 'grapheme', minLength: 1, maxLength: 1 })
        .filter((s) => !/[\u0000-\u001f\u007f\ufffe\uffff]/.test(s) && !BIDI_FORMATTING.test(s) && !s.includes('\\') && !s.includes(']')),
    },
  );
}

/** Macros that are typical attack text, kept whole so they survive as units. */
const SNIPPETS = [
  '$(whoami)',
  '`$env:USERNAME',
  "'; Remove-Item C:\\ -Recurse; '",
  '#>',
  '<#',
  '"=dword:00000001',
  '[HKEY_LOCAL_MACHINE\\X',
  '<![CDATA[',
  ']]>',
  '&amp;',
  '&#10;',
  '%SystemRoot%',
  '@{a=1}',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a PowerShell variable in hostile text, not a template
  '${x}',
  '"@',
  "'@",
  '--%',
  '-join',
  'SIG # Begin signature block',
];

function textArb(opts: { minLength: number; maxLength: number; chars?: fc.Arbitrary<string>; snippets?: boolean }): fc.Arbitrary<string> {
  const chars = opts.chars ?? charArb(['\\', ']']);
  const piece = opts.snippets === false ? chars : fc.oneof({ weight: 12, arbitrary: chars }, { weight: 1, arbitrary: fc.constantFrom(...SNIPPETS) });
  return fc.array(piece, { minLength: opts.minLength, maxLength: opts.maxLength }).map((a) => a.join(''));
}

/** A key name: no "\", no "]", no control character, no leading/trailing white space, not "." or "..", at most 255 units. */
export const keySegmentArb: fc.Arbitrary<string> = fc
  .oneof(
    { weight: 10, arbitrary: textArb({ minLength: 1, maxLength: 12, chars: charArb(), snippets: false }) },
    { weight: 1, arbitrary: fc.integer({ min: 240, max: 255 }).chain((n) => textArb({ minLength: n, maxLength: n, chars: charArb(), snippets: false })) },
  )
  .map((s) => s.replace(/[\\\]]/g, '_'))
  .map((s) => truncateUnits(s, 255))
  .filter((s) => s !== '' && s === s.trim() && s !== '.' && s !== '..');

/** A value name: anything but control characters; "" is the key's default value. */
export const valueNameArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 1, arbitrary: fc.constant('') },
  { weight: 12, arbitrary: textArb({ minLength: 1, maxLength: 16 }) },
  { weight: 1, arbitrary: fc.integer({ min: 200, max: 1200 }).chain((n) => textArb({ minLength: n, maxLength: n, snippets: false })) },
);

/** String data: may hold tab, CR and LF (carried by every format), no other control character. */
const stringDataArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 1, arbitrary: fc.constant('') },
  {
    weight: 10,
    arbitrary: textArb({
      minLength: 1,
      maxLength: 24,
      chars: fc.oneof({ weight: 12, arbitrary: charArb(['\\', ']']) }, { weight: 1, arbitrary: fc.constantFrom('\t', '\r', '\n', '\r\n') }),
    }),
  },
  { weight: 1, arbitrary: textArb({ minLength: 300, maxLength: 600, snippets: false }) },
);

function truncateUnits(s: string, max: number): string {
  if (s.length <= max) return s;
  let cut = s.slice(0, max);
  if (/[\ud800-\udbff]$/.test(cut)) cut = cut.slice(0, -1);
  return cut;
}

// ---------------------------------------------------------------------------------------
// Values

const dwordArb = fc.oneof(fc.constantFrom(0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffffe), fc.integer({ min: 0, max: 0xffffffff }));
const qwordArb: fc.Arbitrary<string | number> = fc.oneof(
  fc.constantFrom('0xFFFFFFFFFFFFFFFF', '0x8000000000000000', '0x7FFFFFFFFFFFFFFF', '0x0', '0x00000000FFFFFFFF', '0xffffffffffffffff'),
  fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }).map((b) => '0x' + b.toString(16).toUpperCase()),
  fc.constantFrom(0, 1, 42, 2 ** 32, Number.MAX_SAFE_INTEGER),
  fc.integer({ min: 0, max: 2 ** 31 }),
);
const binaryArb = fc.oneof(
  // Refused by validation (PSDscResources cannot write it): the case then expects a located error.
  { weight: 1, arbitrary: fc.constant([] as number[]) },
  { weight: 12, arbitrary: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 40 }) },
  // Bytes the in-box DSC module can write too (none below 0x10).
  { weight: 12, arbitrary: fc.array(fc.integer({ min: 0x10, max: 255 }), { minLength: 1, maxLength: 40 }) },
  { weight: 2, arbitrary: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 200, maxLength: 2100 }) },
  { weight: 3, arbitrary: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 0, maxLength: 20 }).map((a) => [0, ...a]) },
);

export const valueArb: fc.Arbitrary<ValueSpec> = fc.oneof(
  fc.record({ type: fc.constantFrom('REG_SZ' as const, 'REG_EXPAND_SZ' as const), data: stringDataArb }),
  fc.record({
    type: fc.constant('REG_MULTI_SZ' as const),
    data: fc.oneof(
      // An empty list is refused by validation (PSDscResources cannot write it): a located error is expected.
      { weight: 1, arbitrary: fc.constant([] as string[]) },
      {
        weight: 25,
        arbitrary: fc.array(
          stringDataArb.filter((s) => s !== ''),
          { minLength: 1, maxLength: 4 },
        ),
      },
    ),
  }),
  fc.record({ type: fc.constant('REG_DWORD' as const), data: dwordArb }),
  fc.record({ type: fc.constant('REG_QWORD' as const), data: qwordArb }),
  fc.record({ type: fc.constant('REG_BINARY' as const), data: binaryArb }),
);

/** Two names that Windows (or Wine) could take for one: compared loosely, so none are generated. */
export function looseNameId(name: string): string {
  return name.toUpperCase().toLowerCase().normalize('NFKC');
}

const scopeArb: fc.Arbitrary<ScopeSpec> = fc.array(fc.array(keySegmentArb, { minLength: 1, maxLength: 2 }), { minLength: 1, maxLength: 3 }).chain((keys) =>
  fc
    .uniqueArray(
      fc.record({
        key: fc.nat({ max: keys.length - 1 }),
        name: valueNameArb,
        deleteWeight: fc.nat({ max: 7 }),
        value: valueArb,
      }),
      { maxLength: 6, selector: (o) => `${o.key}|${looseNameId(o.name)}` },
    )
    .map((raw) => ({
      keys,
      ops: raw.map<OpSpec>((o) =>
        o.deleteWeight === 0 ? { key: o.key, name: o.name, action: 'delete-value' } : { key: o.key, name: o.name, action: 'set', value: o.value },
      ),
    })),
);

export const caseArb: fc.Arbitrary<CaseSpec> = fc
  .record({
    targets: fc.constantFrom<TargetId[]>(['win10'], ['ws2022'], ['win10', 'ws2022'], ['ws2022', 'win10']),
    pin: fc.boolean(),
    shared: scopeArb,
    win10: scopeArb,
    'win10-x86': scopeArb,
    ws2022: scopeArb,
  })
  .map(({ targets, pin, shared, ...rest }) => {
    const perVariant: CaseSpec['perVariant'] = {};
    for (const t of targets) for (const v of VARIANTS[t]) perVariant[v] = rest[v];
    const spec: CaseSpec = { targets, pinPSDscResources: pin, shared, perVariant };
    // Binary data with a byte below 0x10 (a leading 00 included): only PSDscResources writes it
    // faithfully, so the profile must pin it (validation refuses it otherwise).
    if (allScopes(spec).some(({ scope }) => scope.ops.some((o) => o.action === 'set' && o.value.type === 'REG_BINARY' && o.value.data.some((b) => b < 0x10)))) {
      spec.pinPSDscResources = true;
    }
    return spec;
  })
  .filter((spec) => allScopes(spec).some(({ scope }) => scope.ops.length > 0));

export function allScopes(spec: CaseSpec): { name: 'shared' | VariantId; scope: ScopeSpec }[] {
  return [
    { name: 'shared' as const, scope: spec.shared },
    ...Object.entries(spec.perVariant).map(([name, scope]) => ({ name: name as VariantId, scope: scope! })),
  ];
}

export function variantsOf(spec: CaseSpec): VariantId[] {
  return spec.targets.flatMap((t) => [...VARIANTS[t]]);
}

/** Values validation must refuse with a located error: no DSC module can write them. */
export function refusedOps(spec: CaseSpec): { scope: string; index: number }[] {
  return allScopes(spec).flatMap(({ name, scope }) =>
    scope.ops.flatMap((o, index) =>
      o.action === 'set' && (o.value.type === 'REG_BINARY' || o.value.type === 'REG_MULTI_SZ') && o.value.data.length === 0 ? [{ scope: name, index }] : [],
    ),
  );
}

/**
 * The GPP Registry.xml schema (test/schemas/gpp-registry.xsd, transcribed from [MS-GPPREF])
 * against its fixtures, checked by a real consumer: libxml2's xmllint.
 *
 * - every file in test/fixtures/gpp/valid must validate (xmllint exit 0);
 * - every file in test/fixtures/gpp/invalid breaks exactly one rule: xmllint must exit 3
 *   (document well-formed, schema violated) with exactly one validity error, and that error must
 *   name the element/attribute listed for the file in INVALID below.
 *
 * The fixtures are committed bytes written the way GPMC writes Registry.xml (UTF-8 without BOM,
 * CRLF, `<?xml version="1.0" encoding="utf-8"?>`); the byte-layout checks need no xmllint.
 *
 * Without xmllint (Debian/Ubuntu: libxml2-utils) the xmllint checks are skipped loudly, or fail
 * when TLSGEN_REQUIRE_CONSUMERS=1 or CI=true.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, readdirSync, readFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const TEST_DIR = dirname(fileURLToPath(import.meta.url));
const XSD = join(TEST_DIR, 'schemas', 'gpp-registry.xsd');
const VALID_DIR = join(TEST_DIR, 'fixtures', 'gpp', 'valid');
const INVALID_DIR = join(TEST_DIR, 'fixtures', 'gpp', 'invalid');

/** xmllint's exit status for "document is well-formed but does not validate". */
const XMLLINT_VALIDATION_ERROR = 3;

/**
 * Invalid fixtures and the substrings xmllint's single validity error must contain. Each file is
 * test/fixtures/gpp/valid/mutation-base.xml with one change (wrong-root-element excepted: it is
 * a whole Collection document, the shape of a GPMC drag-and-drop export, not a Registry.xml).
 */
const INVALID: Readonly<Record<string, readonly string[]>> = {
  'wrong-registry-clsid': ["Element 'Registry', attribute 'clsid'", 'fixed value constraint', '47F5'],
  'wrong-root-clsid': ["Element 'RegistrySettings', attribute 'clsid'", 'fixed value constraint', '43A5'],
  'wrong-collection-clsid': ["Element 'Collection', attribute 'clsid'", 'fixed value constraint', '3F3FFEB9'],
  'bad-action': ["Element 'Properties', attribute 'action'", "The value 'X'"],
  'bad-hive': ["Element 'Properties', attribute 'hive'", "The value 'HKLM'"],
  'malformed-uid-no-braces': ["Element 'Registry', attribute 'uid'", "The value '8C15695D-00B4-4962-B582-144B5A00064D'"],
  'malformed-uid-bad-hex': ["Element 'Registry', attribute 'uid'", "The value '{8C15695D-00B4-4962-B582-144B5A00064G}'"],
  'duplicate-uid': ["Element 'Registry': Duplicate key-sequence ['{D1D15825-4353-4E14-8E14-DAE3127CAB63}']", 'uniqueItemUid'],
  'missing-uid': ["Element 'Registry': The attribute 'uid' is required but missing"],
  'missing-properties': ["Element 'Registry': Missing child element(s). Expected is ( Properties )"],
  'bad-type': ["Element 'Properties', attribute 'type'", "The value 'STRING'"],
  'filters-before-properties': ["Element 'Filters': This element is not expected. Expected is ( Properties )"],
  'bad-filteros-version': ["Element 'FilterOs', attribute 'version'", "The value 'WIN11'"],
  'bad-bool': ["Element 'FilterOs', attribute 'bool'", "The value 'XOR'"],
  'bad-changed-format': ["Element 'Registry', attribute 'changed'", "The value '2026-11-28T09:20:00Z'"],
  'unknown-element': ["Element 'Comment': This element is not expected"],
  'unknown-attribute-on-properties': ["Element 'Properties', attribute 'size': The attribute 'size' is not allowed"],
  // Rules beyond the minimum list: each documents a deliberate choice in the schema's header.
  'key-leading-backslash': ["Element 'Properties', attribute 'key'", "The value '\\SOFTWARE\\tlsgen'"],
  'flag-true-instead-of-1': ["Element 'Registry', attribute 'bypassErrors'", "The value 'true'"],
  'lowercase-filter-element': ["Element 'filterOs': This element is not expected"],
  'filter-missing-not': ["Element 'FilterOs': The attribute 'not' is required but missing"],
  'wrong-root-element': ["Element 'Collection': No matching global declaration available for the validation root"],
};

const XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\r\n';

function xmlFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.xml'))
    .sort();
}

const validFiles = xmlFiles(VALID_DIR);
const invalidFiles = xmlFiles(INVALID_DIR);

function requireConsumers(): boolean {
  const ci = process.env['CI'];
  return process.env['TLSGEN_REQUIRE_CONSUMERS'] === '1' || ci === 'true' || ci === '1';
}

/** Absolute path of xmllint on PATH, or null. */
function findXmllint(): string | null {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, 'xmllint');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return null;
}

interface LintResult {
  status: number | null;
  stderr: string;
}

function xmllint(binary: string, args: readonly string[], input?: string): LintResult {
  const result = spawnSync(binary, args, { encoding: 'utf8', input, timeout: 30_000 });
  if (result.error) throw result.error;
  return { status: result.status, stderr: result.stderr };
}

/**
 * Lines of xmllint's stderr that report a schema validity error. When an attribute that an
 * identity constraint reads (uid, for xs:unique) is itself invalid, libxml2 adds a follow-up
 * line "Warning: No precomputed value available ..." for the same attribute: a consequence of
 * the one error, not a second broken rule, so it is not counted.
 */
function validityErrors(stderr: string): string[] {
  return stderr
    .split('\n')
    .filter((line) => line.includes('Schemas validity error'))
    .filter((line) => !line.includes('Warning: No precomputed value available'));
}

describe('GPP Registry.xml fixtures: byte layout as GPMC writes it', () => {
  it('has the expected fixture sets', () => {
    expect(validFiles.length).toBeGreaterThanOrEqual(5);
    expect(invalidFiles.map((f) => f.replace(/\.xml$/, ''))).toEqual(Object.keys(INVALID).sort());
  });

  for (const [dir, files] of [
    [VALID_DIR, validFiles],
    [INVALID_DIR, invalidFiles],
  ] as const) {
    for (const file of files) {
      it(`${dir === VALID_DIR ? 'valid' : 'invalid'}/${file}: UTF-8 without BOM, CRLF, GPMC declaration`, () => {
        const bytes = readFileSync(join(dir, file));
        expect([...bytes.subarray(0, 3)]).not.toEqual([0xef, 0xbb, 0xbf]);
        const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        expect(text.startsWith(XML_DECLARATION)).toBe(true);
        expect(text.endsWith('\r\n')).toBe(true);
        expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
      });
    }
  }
});

const xmllintPath = findXmllint();

if (xmllintPath === null && requireConsumers()) {
  describe('GPP Registry.xml schema (xmllint)', () => {
    it('needs xmllint', () => {
      throw new Error('xmllint not installed (libxml2-utils), and TLSGEN_REQUIRE_CONSUMERS=1 or CI=true requires the consumer checks to run');
    });
  });
} else if (xmllintPath === null) {
  console.warn(
    '\n*** SKIPPED: xmllint not installed — consumer checks did not run (GPP Registry.xml schema, test/gpp-xsd.test.ts). ' +
      'Install libxml2-utils, or set TLSGEN_REQUIRE_CONSUMERS=1 to make this a failure. ***\n',
  );
  describe.skip('GPP Registry.xml schema (xmllint not installed)', () => {
    it('skipped', () => {});
  });
} else {
  const bin = xmllintPath;

  describe('GPP Registry.xml schema (xmllint)', () => {
    it('the XSD is well-formed XML', () => {
      const result = xmllint(bin, ['--noout', XSD]);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
    });

    it('the XSD loads as a schema and accepts an empty RegistrySettings', () => {
      const result = xmllint(
        bin,
        ['--noout', '--schema', XSD, '-'],
        '<?xml version="1.0" encoding="utf-8"?>\r\n<RegistrySettings clsid="{A3CCFC41-DFDB-43a5-8D26-0FE8B954DA51}"/>\r\n',
      );
      expect(result.stderr.trim()).toBe('- validates');
      expect(result.status).toBe(0);
    });

    for (const file of validFiles) {
      it(`accepts valid/${file}`, () => {
        const path = join(VALID_DIR, file);
        const result = xmllint(bin, ['--noout', '--schema', XSD, path]);
        expect(validityErrors(result.stderr)).toEqual([]);
        expect(result.stderr.trim()).toBe(`${path} validates`);
        expect(result.status).toBe(0);
      });
    }

    for (const file of invalidFiles) {
      it(`rejects invalid/${file}`, () => {
        const expected = INVALID[file.replace(/\.xml$/, '')];
        expect(expected, `no expectation listed for ${file}`).toBeDefined();
        const path = join(INVALID_DIR, file);
        const result = xmllint(bin, ['--noout', '--schema', XSD, path]);
        expect(result.status, result.stderr).toBe(XMLLINT_VALIDATION_ERROR);
        const errors = validityErrors(result.stderr);
        expect(errors, 'exactly one rule is broken').toHaveLength(1);
        for (const substring of expected ?? []) expect(errors[0]).toContain(substring);
        expect(result.stderr).toContain(`${path} fails to validate`);
      });
    }
  });
}

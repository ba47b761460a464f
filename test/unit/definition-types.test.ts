/**
 * The definition types are generated from the schemas (scripts/definition-types.mjs, run by
 * scripts/build.mjs): src/generated/definition-types.ts must be what the schemas give now, and a
 * `tsType` the schema states in a pattern must list exactly the values the pattern accepts.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { PROTOCOLS, VALUE_TYPES } from '../../src/definitions/types.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const schemaOf = (file: string) => JSON.parse(readFileSync(join(root, 'definitions', 'schema', file), 'utf8'));

describe('definition types generated from definitions/schema', () => {
  it('src/generated/definition-types.ts is current (else run node scripts/build.mjs)', async () => {
    const generator = pathToFileURL(join(root, 'scripts', 'definition-types.mjs')).href;
    const { definitionTypes } = (await import(generator)) as { definitionTypes: (root: string) => Promise<string> };
    const written = readFileSync(join(root, 'src', 'generated', 'definition-types.ts'), 'utf8');
    expect(written === (await definitionTypes(root)), 'src/generated/definition-types.ts is stale: run node scripts/build.mjs').toBe(true);
  });

  it('NtVersion lists exactly the versions the ntVersion pattern accepts', () => {
    const { tsType, ...schema } = schemaOf('common.schema.json').definitions.ntVersion;
    const literals = (tsType as string).split('|').map((part) => JSON.parse(part.trim()) as string);
    const ajv = new Ajv({ strict: true });
    const accepts = ajv.compile(schema);
    const candidates = Array.from({ length: 100 * 100 }, (_, i) => `${Math.floor(i / 100)}.${i % 100}`);
    expect(candidates.filter((version) => accepts(version)).sort()).toEqual([...literals].sort());
  });

  it('PROTOCOLS and VALUE_TYPES are the schema enums', () => {
    expect(PROTOCOLS).toEqual(schemaOf('common.schema.json').definitions.protocol.enum);
    expect(VALUE_TYPES).toEqual(schemaOf('settings.schema.json').definitions.operation.properties.type.enum);
  });
});

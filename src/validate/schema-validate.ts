/**
 * Validate phase, layer 1: each file against its JSON Schema (ajv standalone code generated at
 * build time from definitions/schema/), with ajv's errors turned into located, readable diagnostics.
 */
import * as validators from '../generated/validators.js';
import type { Diagnostic } from '../diagnostics.js';
import { joinPointer, quote } from '../diagnostics.js';
import type { DefinitionKind } from '../load/discover.js';
import type { YamlDocument } from '../load/yaml-source.js';
import type { ErrorObject, StandaloneValidator } from './schema-types.js';

const VALIDATOR_OF: Record<DefinitionKind, StandaloneValidator> = {
  sources: validators.sources,
  windows: validators.windows,
  settings: validators.settings,
  profile: validators.profile,
};

export function validateAgainstSchema(kind: DefinitionKind, document: YamlDocument): Diagnostic[] {
  const validate = VALIDATOR_OF[kind];
  if (validate(document.data)) return [];
  return relevantErrors(validate.errors ?? []).map((error) => toDiagnostic(document, error));
}

/**
 * ajv (allErrors) reports every branch of oneOf and the `if` of if/then; keep the errors a person
 * can act on: drop `if` wrappers, and replace a failed oneOf's branch errors by the oneOf itself.
 */
function relevantErrors(errors: ErrorObject[]): ErrorObject[] {
  const failedOneOfs = errors.filter((e) => e.keyword === 'oneOf').map((e) => e.schemaPath);
  const seen = new Set<string>();
  return errors.filter((e) => {
    if (e.keyword === 'if') return false;
    if (failedOneOfs.some((p) => e.keyword !== 'oneOf' && e.schemaPath.startsWith(p.replace(/\/oneOf$/, '/oneOf/')))) return false;
    const id = `${e.instancePath}|${e.keyword}|${JSON.stringify(e.params)}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

function toDiagnostic(document: YamlDocument, error: ErrorObject): Diagnostic {
  const { pointer, part } = subjectOf(error);
  return {
    file: document.file,
    ...document.locate(pointer, part),
    severity: 'error',
    message: messageFor(error, valueAt(document.data, error.instancePath)),
    pointer,
  };
}

/** Unknown properties are reported at the property itself, not at the object that holds it. */
function subjectOf(error: ErrorObject): { pointer: string; part: 'key' | 'value' } {
  if (error.keyword === 'additionalProperties') {
    const property = String((error.params as { additionalProperty: string }).additionalProperty);
    return { pointer: joinPointer(error.instancePath, property), part: 'key' };
  }
  // A property that must not be there: point at its name.
  return { pointer: error.instancePath, part: error.keyword === 'false schema' ? 'key' : 'value' };
}

function messageFor(error: ErrorObject, value: unknown): string {
  const params = error.params as Record<string, unknown>;
  const where = propertyName(error.instancePath);
  switch (error.keyword) {
    case 'additionalProperties':
      return `unknown property ${quote(String(params.additionalProperty))}${where ? ` in ${where}` : ''}`;
    case 'required':
      return `missing required property ${quote(String(params.missingProperty))}`;
    case 'type':
      return `${where || 'the document'} must be ${article(String(params.type))}, found ${describeType(value)}`;
    case 'enum':
      return `${where || 'value'} must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}, found ${quote(value)}`;
    case 'pattern':
      return patternMessage(where, value, String(params.pattern));
    case 'oneOf':
      return `${where || 'value'} must be an integer, a string or a list of strings, found ${describeType(value)}`;
    case 'false schema':
      return `property ${where} is not allowed with this action (delete-key takes only key; delete-value takes key and name)`;
    case 'minItems':
      return `${where || 'list'} must not be empty`;
    case 'minLength':
      return `${where || 'text'} must not be empty`;
    case 'uniqueItems':
      return `${where || 'list'} lists the same entry twice`;
    default:
      return `${where || 'value'} ${error.message ?? 'is invalid'}`;
  }
}

function patternMessage(where: string, value: unknown, pattern: string): string {
  const shown = quote(value);
  if (pattern.startsWith('^[a-z0-9]')) return `${where} ${shown} is not a valid id: use lowercase letters, digits and dashes (at most 63)`;
  if (pattern.startsWith('^https://')) return `${where} ${shown} must be an https:// URL without spaces, quotes, angle brackets or control characters`;
  if (pattern.startsWith('^KB')) return `${where} ${shown} must be a KB number such as KB3140245`;
  if (pattern.startsWith('^[^')) return `${where} contains a control character (only line breaks and tabs are allowed in free text)`;
  if (pattern.startsWith('^20[0-9]{2}-')) return `${where} ${shown} must be a date written YYYY-MM-DD (20xx)`;
  return `${where} ${shown} does not match ${pattern}`;
}

function propertyName(instancePath: string): string {
  const last = instancePath.split('/').pop() ?? '';
  return last === '' ? '' : /^\d+$/.test(last) ? `item ${last}` : quote(last.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function article(type: string): string {
  if (type === 'object') return 'a mapping';
  if (type === 'array') return 'a list';
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function describeType(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a number';
  return `a ${typeof value}`;
}

function valueAt(data: unknown, pointer: string): unknown {
  let node = data;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

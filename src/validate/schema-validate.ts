/**
 * Validate phase, layer 1: each file against its JSON Schema (ajv standalone code generated at
 * build time from definitions/schema/), with ajv's errors turned into located, readable diagnostics.
 */
import * as validators from '../generated/validators.js';
import type { Diagnostic } from '../diagnostics.js';
import { joinPointer, quote } from '../diagnostics.js';
import type { DefinitionKind } from '../load/discover.js';
import { BIDI_FORMATTING, BIDI_REORDERING, bidiCharacter } from '../model/registry.js';
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

/** An ajv error to report, with the properties a failed anyOf of `required` branches asks for. */
interface Relevant {
  readonly error: ErrorObject;
  readonly needs?: readonly string[];
}

/**
 * ajv (allErrors) reports every branch of oneOf/anyOf, the `if` of if/then, and both `type` and
 * `enum` for a value of the wrong type; keep one error per fault, the one a person can act on:
 * - `if` wrappers go (the `then` errors say what is wrong);
 * - a failed oneOf/anyOf whose value has the type of exactly one branch reports that branch's
 *   errors (a list with a number in it: the item, not "must be an integer, a string or a list");
 *   otherwise the oneOf/anyOf itself, without its branches (an anyOf of `required` branches
 *   remembers what it needs: "needs min or max");
 * - `type` and `enum` at one place become the `enum` error, which names the accepted values.
 * Everything is decided by keyword, schema path and instance path, never by ajv's message text.
 */
function relevantErrors(all: ErrorObject[]): Relevant[] {
  const errors = all.filter((e) => e.keyword !== 'if');
  const dropped = new Set<ErrorObject>();
  const needs = new Map<ErrorObject, string[]>();
  for (const combinator of errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf')) {
    const prefix = combinator.schemaPath + '/';
    const branches = new Map<string, ErrorObject[]>();
    for (const e of errors) {
      // Schema paths are relative to the definition ($ref): the same oneOf in every list item.
      const inside = e.instancePath === combinator.instancePath || e.instancePath.startsWith(combinator.instancePath + '/');
      if (e === combinator || !inside || !e.schemaPath.startsWith(prefix)) continue;
      const branch = e.schemaPath.slice(prefix.length).split('/')[0]!;
      branches.set(branch, [...(branches.get(branch) ?? []), e]);
    }
    const branchErrors = [...branches.values()];
    const fitting = branchErrors.filter((es) => !es.some((e) => e.keyword === 'type' && e.instancePath === combinator.instancePath));
    const passing = (combinator.params as { passingSchemas?: unknown }).passingSchemas;
    if (fitting.length === 1 && (passing === undefined || passing === null)) {
      dropped.add(combinator);
      for (const es of branchErrors) if (es !== fitting[0]) es.forEach((e) => dropped.add(e));
      continue;
    }
    branchErrors.flat().forEach((e) => dropped.add(e));
    const required = branchErrors.flat();
    if (required.length > 0 && required.every((e) => e.keyword === 'required' && e.instancePath === combinator.instancePath)) {
      needs.set(
        combinator,
        required.map((e) => String((e.params as { missingProperty: string }).missingProperty)),
      );
    }
  }
  const enumAt = new Set(errors.filter((e) => e.keyword === 'enum').map((e) => e.instancePath));
  const seen = new Set<string>();
  const kept: Relevant[] = [];
  for (const e of errors) {
    if (dropped.has(e)) continue;
    if (e.keyword === 'type' && enumAt.has(e.instancePath)) continue;
    const id = `${e.instancePath}|${e.keyword}|${JSON.stringify(e.params)}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const need = needs.get(e);
    kept.push(need ? { error: e, needs: need } : { error: e });
  }
  return kept;
}

function toDiagnostic(document: YamlDocument, relevant: Relevant): Diagnostic {
  const { pointer, part } = subjectOf(relevant.error);
  return {
    file: document.file,
    ...document.locate(pointer, part),
    severity: 'error',
    message: messageFor(relevant, valueAt(document.data, relevant.error.instancePath), document),
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

function messageFor({ error, needs }: Relevant, value: unknown, document: YamlDocument): string {
  const params = error.params as Record<string, unknown>;
  const where = propertyName(error.instancePath);
  switch (error.keyword) {
    case 'additionalProperties': {
      // A key YAML read as another text (0x10 is "16", ~ is "null") is named as the file writes it.
      const property = String(params.additionalProperty);
      const written = document.writtenKey(joinPointer(error.instancePath, property));
      const read = written === undefined ? '' : ` (YAML reads this key as ${quote(property)})`;
      return `unknown property ${quote(written ?? property)}${where ? ` in ${where}` : ''}${read}`;
    }
    case 'required':
      return `missing required property ${quote(String(params.missingProperty))}`;
    case 'type':
      return `${where || 'the document'} must be ${typeList(String(params.type))}, found ${describeType(value)}`;
    case 'enum': {
      const found = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? quote(value) : describeType(value);
      return `${where || 'value'} must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}, found ${found}`;
    }
    case 'pattern':
      return patternMessage(where, value, String(params.pattern));
    case 'oneOf':
      if (params.passingSchemas !== null && params.passingSchemas !== undefined) return `${where || 'value'} matches more than one of its allowed forms`;
      return `${where || 'value'} must be an integer, a string or a list of strings, found ${describeType(value)}`;
    case 'anyOf':
      if (needs) return `${where || 'the mapping'} needs ${needs.map((n) => quote(n)).join(' or ')}`;
      return `${where || 'value'} matches none of its allowed forms`;
    case 'false schema':
      return `property ${where} is not allowed with this action (delete-key takes only key; delete-value takes key and name)`;
    case 'minItems':
      return `${where || 'list'} must not be empty`;
    case 'minLength':
      return `${where || 'text'} must not be empty`;
    case 'maxLength':
      return `${where || 'text'} is longer than ${Number(params.limit)} characters`;
    case 'minProperties':
      return `${where || 'mapping'} must not be empty`;
    case 'minimum':
      return `${where || 'value'} must be at least ${Number(params.limit)}, found ${quote(value)}`;
    case 'maximum':
      return `${where || 'value'} must be at most ${Number(params.limit)}, found ${quote(value)}`;
    case 'uniqueItems':
      return `${where || 'list'} lists the same entry twice`;
    default:
      return `${where || 'value'} is not valid (schema keyword ${quote(error.keyword)})`;
  }
}

function patternMessage(where: string, value: unknown, pattern: string): string {
  const shown = quote(value);
  if (pattern.startsWith('^[a-z0-9]')) return `${where} ${shown} is not a valid id: use lowercase letters, digits and dashes (at most 63)`;
  if (pattern.startsWith('^https://')) {
    const bidi = typeof value === 'string' && BIDI_FORMATTING.test(value);
    if (bidi)
      return `${where} ${shown} contains ${bidiCharacter(value)}, a bidirectional formatting character, which an IRI must not contain (RFC 3987, section 4.1): it makes the address display as another`;
    return `${where} ${shown} must be an https:// URL without spaces, quotes, angle brackets or control characters`;
  }
  if (pattern.startsWith('^KB')) return `${where} ${shown} must be a KB number such as KB3140245`;
  if (pattern.startsWith('^[^')) {
    if (typeof value === 'string' && BIDI_REORDERING.test(value) && !/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(value)) {
      return `${where} contains ${bidiCharacter(value, BIDI_REORDERING)}, a bidirectional embedding, override or isolate, which would reorder the text after it where the artifacts print it (only the marks LRM, RLM and ALM are allowed)`;
    }
    return `${where} contains a control character (only line breaks and tabs are allowed in free text)`;
  }
  if (pattern.startsWith('^20[0-9]{2}-')) return `${where} ${shown} must be a date written YYYY-MM-DD (20xx)`;
  return `${where} ${shown} does not match ${pattern}`;
}

/** `"name"`, or for a list item `item 1 of "data"` (`item 0 of item 2 of "data"` in nested lists). */
function propertyName(instancePath: string): string {
  const segments = instancePath.split('/');
  const last = segments.pop() ?? '';
  if (last === '' && segments.length === 0) return '';
  if (!/^\d+$/.test(last)) return quote(last.replace(/~1/g, '/').replace(/~0/g, '~'));
  return `item ${last} of ${propertyName(segments.join('/')) || 'the document'}`;
}

/** "a string", "an integer, a string or a list". */
function typeList(types: string): string {
  const names = types.split(',').map(article);
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
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

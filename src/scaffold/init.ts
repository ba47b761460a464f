/**
 * `tlsgen init NAME --from PROFILE`: a new profile file that extends an existing one, with the
 * schema reference editors read and commented-out examples built from the parent's real settings.
 * It validates and builds as is (it changes nothing yet). The layout is templates/init/profile.hbs;
 * this module picks the examples and writes the file atomically.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import HandlebarsRuntime from 'handlebars/runtime.js';
import { dump } from 'js-yaml';
import commonSchema from '../../definitions/schema/common.schema.json' with { type: 'json' };
import { UserError } from '../diagnostics.js';
import { environmentError, lstatOrNull, writeAtomically } from '../emit/files.js';
import { templates } from '../generated/templates.js';
import type { Catalog } from '../model/catalog.js';
import { resolvePlans } from '../pipeline.js';
import type { CheckedDefinitions } from '../pipeline.js';
import type { ProfilePlan, RegistryOperation, SetValueOperation } from '../resolve/plan.js';

export interface InitRequest {
  readonly definitionsDir: string;
  /** Id of the new profile; also its file name. */
  readonly name: string;
  /** The profile it extends. */
  readonly from: string;
  /** YYYY-MM-DD written as `updated`; default today's UTC date. */
  readonly today?: string;
}

export interface InitResult {
  /** The file written: DIR/profiles/NAME.yaml. */
  readonly path: string;
  readonly id: string;
  readonly parent: string;
}

/** Profile ids follow the schema's id pattern (they become file and folder names). */
const ID_PATTERN = new RegExp(commonSchema.definitions.id.pattern);

/**
 * Writes DIR/profiles/NAME.yaml (temp file and rename in the same folder). Refuses, writing
 * nothing, a name that is no profile id, an id or file already there, or an unknown parent.
 */
export function initProfile(checked: CheckedDefinitions, request: InitRequest): InitResult {
  const problem = initProblem(checked.catalog, request);
  if (problem) throw new UserError(problem, 1);
  const [parent] = resolvePlans(checked, { profiles: [request.from] });
  const path = join(request.definitionsDir, 'profiles', `${request.name}.yaml`);
  writeAtomically(request.definitionsDir, path, new TextEncoder().encode(profileScaffold(parent!, request.name, request.today ?? utcToday())));
  return { path, id: request.name, parent: parent!.id };
}

function initProblem(catalog: Catalog, request: InitRequest): string | null {
  const { name, from } = request;
  if (!ID_PATTERN.test(name))
    return `${JSON.stringify(name)} cannot be a profile id: use lowercase letters, digits and dashes (at most 63, starting with a letter or digit)`;
  if (!catalog.profiles.has(from)) return `unknown profile "${from}"; known profiles: ${[...catalog.profiles.keys()].join(', ') || 'none'}`;
  const taken = catalog.profiles.get(name);
  if (taken) return `a profile with id ${name} already exists (${taken.file}); choose another name`;
  const existing = existingProfileFile(request.definitionsDir, name);
  if (existing) return `${existing} already exists; choose another name or remove it first`;
  return null;
}

/** The text of the new profile file. */
export function profileScaffold(parent: ProfilePlan, id: string, today: string): string {
  const operations = parent.targets.flatMap((t) => t.apply.map((op) => ({ op, target: t.target.id })));
  const settings = parent.settings.map((s) => s.id);
  const firstSetting = settings[0] ?? '';
  const lastSetting = settings.at(-1) ?? '';
  const override = operations.find(({ op }) => op.action === 'set' && overrideData(op) !== null);
  const winhttp = operations.find(({ op }) => op.action === 'set' && op.name === 'DefaultSecureProtocols');
  const model = {
    id,
    parent: parent.id,
    title: yamlScalar(`${parent.title.slice(0, 300 - id.length - 3)} (${id})`),
    summary: yamlScalar(`Starts from ${parent.id} (${parent.title}) and changes nothing yet. Say here what this profile changes and why.`),
    source: parent.source.id,
    updated: today,
    targets: [...new Set(parent.targets.map((t) => t.target.id))].join(', '),
    settings,
    remove: { setting: lastSetting, target: targetOf(operations, lastSetting) },
    override: override ? { setting: override.op.setting.id, name: yamlScalar((override.op as SetValueOperation).name), data: overrideData(override.op) } : null,
    protocols: winhttp ? { setting: winhttp.op.setting.id, target: winhttp.target } : null,
    exception: { setting: firstSetting, until: oneYearAfter(today), target: targetOf(operations, firstSetting) },
  };
  return layout(model);
}

const environment = (HandlebarsRuntime as unknown as typeof import('handlebars')).create();
const layout = environment.template(templates['init/profile']);

/** The Windows version where a setting first has values (an example target that makes sense). */
function targetOf(operations: readonly { op: RegistryOperation; target: string }[], setting: string): string {
  return operations.find(({ op }) => op.setting.id === setting)?.target ?? '';
}

/** The data as an override writes it (a DWORD or a string), or null for types an example need not show. */
function overrideData(op: RegistryOperation): string | null {
  if (op.action !== 'set' || op.name === '') return null;
  if (op.value.type === 'REG_DWORD') return String(op.value.data);
  if (op.value.type === 'REG_SZ' || op.value.type === 'REG_EXPAND_SZ') return yamlScalar(op.value.data);
  return null;
}

/** One line of YAML for a string: plain where that reads back as the same string, else quoted. */
function yamlScalar(text: string): string {
  const line = dump(text, { lineWidth: -1 }).trimEnd();
  return line.includes('\n') ? JSON.stringify(text) : line;
}

/** DIR/profiles/NAME.yaml or .yml in any letter case (profiles/ is read as *.yaml and *.yml, and file systems may ignore case). */
function existingProfileFile(definitionsDir: string, name: string): string | null {
  const folder = join(definitionsDir, 'profiles');
  if (!lstatOrNull(folder)?.isDirectory()) return null;
  const wanted = new Set([`${name}.yaml`, `${name}.yml`]);
  let entries: string[];
  try {
    entries = readdirSync(folder);
  } catch (error) {
    throw environmentError(error, folder, 'list');
  }
  const found = entries.find((entry) => wanted.has(entry.toLowerCase()));
  return found ? join(folder, found) : null;
}

function utcToday(): string {
  return new Date().toISOString().slice(0, 10);
}

function oneYearAfter(date: string): string {
  const [year, monthDay] = [Number(date.slice(0, 4)), date.slice(5)];
  return `${year + 1}-${monthDay === '02-29' ? '02-28' : monthDay}`;
}

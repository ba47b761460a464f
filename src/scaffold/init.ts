/**
 * `tlsgen init NAME --from PROFILE`: a new profile file that extends an existing one, with the
 * schema reference editors read and commented-out examples built from the parent's real settings.
 * It validates and builds as is (it changes nothing yet): the text is validated in memory, together
 * with the definitions already there, before anything is written, and a parent whose lint errors
 * the new profile would inherit is refused. The layout is templates/init/profile.hbs; this module
 * picks the examples and writes the file atomically.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import HandlebarsRuntime from 'handlebars/runtime.js';
import commonSchema from '../../definitions/schema/common.schema.json' with { type: 'json' };
import { UserError, formatDiagnostic, quote, sortDiagnostics } from '../diagnostics.js';
import { environmentError, lstatOrNull, writeAtomically } from '../emit/files.js';
import { templates } from '../generated/templates.js';
import { lintDiagnostics, lintProfiles, lintRefuses, utcToday } from '../lint/lint.js';
import { loadDefinitions } from '../load/load.js';
import { loadYaml } from '../load/yaml-source.js';
import type { Catalog } from '../model/catalog.js';
import { windowsDeviceName } from '../model/targets.js';
import { resolvePlans } from '../pipeline.js';
import type { CheckedDefinitions } from '../pipeline.js';
import { validateDefinitions } from '../validate/validate.js';
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
 * nothing, a name that is no profile id (or that validation would refuse, such as a Windows
 * device name), an id or file already there, an unknown parent, a parent with lint errors (the new
 * profile would inherit them and not build), or a text that would not validate.
 */
export function initProfile(checked: CheckedDefinitions, request: InitRequest): InitResult {
  const problem = initProblem(checked.catalog, request);
  if (problem) throw new UserError(problem.message, problem.exitCode);
  const today = request.today ?? utcToday();
  const [parent] = resolvePlans(checked, { profiles: [request.from] });
  refuseInheritedLintErrors(checked, parent!, request.name, today);
  const path = join(request.definitionsDir, 'profiles', `${request.name}.yaml`);
  const text = profileScaffold(parent!, request.name, today);
  refuseInvalidScaffold(request, path, text);
  writeAtomically(request.definitionsDir, path, new TextEncoder().encode(text));
  return { path, id: request.name, parent: parent!.id };
}

/** `build --profile NAME` would refuse what lint refuses in the parent; say so now, not after writing. */
function refuseInheritedLintErrors(checked: CheckedDefinitions, parent: ProfilePlan, name: string, today: string): void {
  const findings = lintProfiles({ catalog: checked.catalog, plans: [parent], today, locate: checked.locate });
  if (!lintRefuses(findings)) return;
  const errors = sortDiagnostics(lintDiagnostics(findings).filter((d) => d.severity === 'error'));
  throw new UserError(
    `profile ${parent.id} has ${errors.length} lint error(s) that ${name} would inherit, so ${name} would not build; nothing was written. ` +
      `Fix ${parent.id} first (tlsgen lint --profile ${parent.id}):\n${errors.map((d) => `  ${formatDiagnostic(d)}`).join('\n')}`,
    1,
  );
}

/**
 * The definitions with the new file, validated in memory: whatever validation would refuse (in the
 * new file, or elsewhere because of it) is refused before the folder changes.
 */
function refuseInvalidScaffold(request: InitRequest, path: string, text: string): void {
  const loaded = loadDefinitions(request.definitionsDir);
  const scaffold = loadYaml(path, text);
  const documents = scaffold.ok ? [...loaded.documents, { kind: 'profile' as const, file: path, document: scaffold.document }] : loaded.documents;
  const problems = [...loaded.diagnostics, ...(scaffold.ok ? validateDefinitions(documents).diagnostics : scaffold.diagnostics)];
  const errors = sortDiagnostics(problems.filter((d) => d.severity === 'error'));
  if (errors.length === 0) return;
  throw new UserError(`profile ${request.name} would not validate, so nothing was written:\n${errors.map((d) => `  ${formatDiagnostic(d)}`).join('\n')}`, 1);
}

function initProblem(catalog: Catalog, request: InitRequest): { message: string; exitCode: 1 | 2 } | null {
  const { name, from } = request;
  const refused = (message: string, exitCode: 1 | 2 = 1) => ({ message, exitCode });
  if (!ID_PATTERN.test(name))
    return refused(`${JSON.stringify(name)} cannot be a profile id: use lowercase letters, digits and dashes (at most 63, starting with a letter or digit)`);
  if (windowsDeviceName(name))
    return refused(
      `"${name}" cannot be a profile id: it is a reserved Windows device name (CON, PRN, AUX, NUL, COM0–COM9, LPT0–LPT9), so its files could not be opened on Windows`,
    );
  // An unknown profile is a usage error (exit 2), as for every command.
  if (!catalog.profiles.has(from)) return refused(`unknown profile ${quote(from)}; known profiles: ${[...catalog.profiles.keys()].join(', ') || 'none'}`, 2);
  const taken = catalog.profiles.get(name);
  if (taken) return refused(`a profile with id ${name} already exists (${taken.file}); choose another name`);
  const existing = existingProfileFile(request.definitionsDir, name);
  if (existing) return refused(`${existing} already exists; choose another name or remove it first`);
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
  // Every value the file writes (or shows in an example) is a quoted YAML string, so `10`, `null`
  // or `true` as an id read back as the text they are.
  const model = {
    id: yamlString(id),
    parent: yamlString(parent.id),
    command: `tlsgen init ${id} --from ${parent.id}`,
    parentName: parent.id,
    title: yamlString(`${shortened(parent.title, TITLE_MAX - [...id].length - 3)} (${id})`),
    summary: yamlString(`Starts from ${parent.id} (${parent.title}) and changes nothing yet. Say here what this profile changes and why.`),
    source: yamlString(parent.source.id),
    updated: yamlString(today),
    today,
    targets: [...new Set(parent.targets.map((t) => t.target.id))].join(', '),
    settings,
    remove: { setting: yamlString(lastSetting), target: yamlString(targetOf(operations, lastSetting)) },
    override: override
      ? { setting: yamlString(override.op.setting.id), name: yamlString((override.op as SetValueOperation).name), data: overrideData(override.op) }
      : null,
    protocols: winhttp ? { setting: yamlString(winhttp.op.setting.id), target: yamlString(winhttp.target) } : null,
    exception: { setting: yamlString(firstSetting), until: yamlString(oneYearAfter(today)), target: yamlString(targetOf(operations, firstSetting)) },
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
  if (op.value.type === 'REG_SZ' || op.value.type === 'REG_EXPAND_SZ') return yamlString(op.value.data);
  return null;
}

/**
 * One line of YAML that reads back as this string whatever it looks like (a number, null, a
 * boolean, a date): a double-quoted scalar, whose escapes JSON's are a subset of.
 */
function yamlString(text: string): string {
  return JSON.stringify(text);
}

/** The schema's maxLength for a profile title (JSON Schema counts code points). */
const TITLE_MAX = 300;

/** The first `max` code points of `text`: a surrogate pair is never split. */
function shortened(text: string, max: number): string {
  const points = [...text];
  return points.length <= max ? text : points.slice(0, max).join('');
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

function oneYearAfter(date: string): string {
  const [year, monthDay] = [Number(date.slice(0, 4)), date.slice(5)];
  return `${year + 1}-${monthDay === '02-29' ? '02-28' : monthDay}`;
}

/**
 * Render phase engine: an isolated Handlebars runtime with the templates precompiled at build
 * time (scripts/build.mjs) and the formatting helpers. Templates were compiled with strict: true
 * (a missing model field is an error, not an empty string) and noEscape: true (nothing here is
 * HTML; each format escapes through its own helpers).
 *
 * Each template rendered by name has one model type (TemplateModels): a call with a model of
 * another shape does not compile. Models are deeply readonly: renderers build them, templates
 * only read them.
 */
import type { RuntimeOptions } from 'handlebars';
import HandlebarsRuntime from 'handlebars/runtime.js';
import { type TemplateName, templates } from '../generated/templates.js';
import type { DscConfigurationDataModel, DscConfigurationModel } from './dsc.js';
import type { GpoBackupModel } from './gpo-backup.js';
import type { GppRegistryModel } from './gpp.js';
import { helpers } from './helpers.js';
import type { IntuneModel } from './intune.js';
import type { ReadmeModel } from './readme.js';
import type { RegFileModel } from './reg-file.js';
import type { ScriptModel } from './scripts.js';

/** T with every property and array readonly, all the way down (byte arrays and functions stay as they are). */
export type DeepReadonly<T> = T extends string | number | bigint | boolean | symbol | null | undefined | Uint8Array | ((...args: never[]) => unknown)
  ? T
  : T extends readonly (infer U)[]
    ? readonly DeepReadonly<U>[]
    : { readonly [K in keyof T]: DeepReadonly<T[K]> };

/**
 * The model each template is rendered with. Templates not named here are partials only: they see
 * the context of the template that includes them (`{{> scripts/data}}` in scripts/ and intune/
 * gets ScriptDataModel's fields, which ScriptModel and IntuneModel both carry).
 */
export interface TemplateModels {
  'reg/file': RegFileModel;
  'dsc/configuration': DscConfigurationModel;
  'dsc/configuration-data': DscConfigurationDataModel;
  'gpp/registry': GppRegistryModel;
  'gpo/manifest': GpoBackupModel;
  'gpo/backup': GpoBackupModel;
  'gpo/bkup-info': GpoBackupModel;
  'scripts/install': ScriptModel;
  'scripts/audit': ScriptModel;
  'intune/detect': IntuneModel;
  'intune/remediate': IntuneModel;
  'readme/profile': ReadmeModel;
}

// The runtime module has the API of the full package minus the compiler; its typings omit that.
const environment = (HandlebarsRuntime as unknown as typeof import('handlebars')).create();
environment.registerHelper(helpers);

/**
 * Every template, compiled once when this module loads (a precompiled template only needs its
 * runtime wrapper). Every template can also be used as a partial, by the same name
 * ({{> reg/header-comments}}).
 */
const compiled = Object.fromEntries(
  (Object.keys(templates) as TemplateName[]).map((name) => {
    const template = environment.template(templates[name]);
    environment.registerPartial(name, template);
    return [name, template];
  }),
) as Readonly<Record<TemplateName, HandlebarsTemplateDelegate>>;

/** Renders a template with its model. (`compiled[name]` also checks that every TemplateModels name is a template.) */
export function renderTemplate<Name extends keyof TemplateModels>(name: Name, model: TemplateModels[Name]): string {
  return compiled[name](model);
}

/**
 * Renders several templates with one model, where each includes the partial `shared` once at its
 * top level (seeing that same model): the partial is rendered once and its text reused, so the
 * files carry exactly the text each would render for itself.
 */
export function renderTemplatesSharing<Name extends keyof TemplateModels>(names: readonly Name[], model: TemplateModels[Name], shared: TemplateName): string[] {
  let text: string | undefined;
  const once = (context: unknown, options?: RuntimeOptions) => {
    if (context !== model) throw new Error(`internal: ${shared} is shared only where it sees the whole model`);
    text ??= compiled[shared](context, options);
    return text;
  };
  return names.map((name) => compiled[name](model, { partials: { [shared]: once } }));
}

/**
 * Render phase engine: an isolated Handlebars runtime with the templates precompiled at build
 * time (scripts/build.mjs) and the formatting helpers. Templates were compiled with strict: true
 * (a missing model field is an error, not an empty string) and noEscape: true (nothing here is
 * HTML; each format escapes through its own helpers).
 */
import HandlebarsRuntime from 'handlebars/runtime.js';
import { templates } from '../generated/templates.js';
import { helpers } from './helpers.js';

// The runtime module has the API of the full package minus the compiler; its typings omit that.
const environment = (HandlebarsRuntime as unknown as typeof import('handlebars')).create();
environment.registerHelper(helpers);
// Every template can also be used as a partial, by the same name ({{> reg/header-comments}}).
for (const [name, spec] of Object.entries(templates)) environment.registerPartial(name, environment.template(spec));

const compiled = new Map<string, HandlebarsTemplateDelegate>();

export function renderTemplate(name: string, model: object): string {
  const template = compiled.get(name) ?? compile(name);
  return template(model);
}

function compile(name: string): HandlebarsTemplateDelegate {
  const spec = templates[name];
  if (!spec) throw new Error(`internal: no template named ${name}`);
  const template = environment.template(spec);
  compiled.set(name, template);
  return template;
}

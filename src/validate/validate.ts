/** Validate phase: schema per file, then the semantic rules over everything that passed. */
import type { Diagnostic } from '../diagnostics.js';
import { joinPointer } from '../diagnostics.js';
import type { LoadedDocument } from '../load/load.js';
import type { YamlDocument } from '../load/yaml-source.js';
import type { DefinitionSet, Located, ProfileDef, SettingsFile, SourcesFile, WindowsFile } from './definitions.js';
import { checkRules } from './rules.js';
import { validateAgainstSchema } from './schema-validate.js';

export interface ValidateResult {
  readonly definitions: DefinitionSet;
  readonly diagnostics: Diagnostic[];
}

/**
 * @param crossFileRules false when a file could not be loaded: the rules would then mostly
 * report the missing file's ids as unknown references.
 */
export function validateDefinitions(documents: readonly LoadedDocument[], crossFileRules = true): ValidateResult {
  const diagnostics: Diagnostic[] = [];
  const set = { sources: [], targets: [], settings: [], profiles: [] } as {
    sources: DefinitionSet['sources'][number][];
    targets: DefinitionSet['targets'][number][];
    settings: DefinitionSet['settings'][number][];
    profiles: Located<ProfileDef>[];
  };
  const byFile = new Map<string, YamlDocument>();
  for (const { kind, document } of documents) {
    byFile.set(document.file, document);
    const problems = validateAgainstSchema(kind, document);
    diagnostics.push(...problems);
    if (problems.length > 0) continue;
    const locate = <T>(list: readonly T[], property: string) =>
      list.map((value, index) => ({ value, file: document.file, pointer: joinPointer('', property, index) }));
    if (kind === 'sources') set.sources.push(...locate((document.data as SourcesFile).sources, 'sources'));
    if (kind === 'windows') set.targets.push(...locate((document.data as WindowsFile).targets, 'targets'));
    if (kind === 'settings') set.settings.push(...locate((document.data as SettingsFile).settings, 'settings'));
    if (kind === 'profile') set.profiles.push({ value: document.data as ProfileDef, file: document.file, pointer: '' });
  }
  // Rules compare files with each other; with a schema error somewhere they would mostly echo it.
  if (crossFileRules && diagnostics.length === 0) diagnostics.push(...checkRules(set, byFile));
  return { definitions: set, diagnostics };
}

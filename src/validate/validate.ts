/**
 * Validate phase: characters and schema per file, then the semantic rules over every file that
 * passed both, so that one run reports every problem.
 */
import type { Diagnostic } from '../diagnostics.js';
import { joinPointer } from '../diagnostics.js';
import type { DefinitionKind } from '../load/discover.js';
import type { LoadedDocument } from '../load/load.js';
import type { YamlDocument } from '../load/yaml-source.js';
import { characterProblems } from './characters.js';
import type { DefinitionSet, Located, ProfileDef, SettingsFile, SourcesFile, WindowsFile } from '../definitions/types.js';
import { checkRules } from './rules.js';
import type { UnseenIds } from './rules.js';
import { validateAgainstSchema } from './schema-validate.js';

export interface ValidateResult {
  readonly definitions: DefinitionSet;
  readonly diagnostics: Diagnostic[];
}

/**
 * The rules run over the files that passed (a file is all in or all out: its items refer to each
 * other). A file left out still names ids that other files refer to; reporting those references
 * as unknown would bury the real problem under messages that go away when it is fixed. So the ids
 * a failed file visibly defines are collected, and references to them are not reported; when a
 * file could not be read at all (YAML syntax error, invalid UTF-8, missing), no reference to its
 * kind of id is reported. The cost: a reference that is really wrong, or a duplicate id, in such
 * a case shows up on the next run, after the file is fixed.
 *
 * @param _crossFileRules ignored (the rules always run); kept for callers of the earlier signature.
 */
export function validateDefinitions(documents: readonly LoadedDocument[], _crossFileRules = true): ValidateResult {
  const diagnostics: Diagnostic[] = [];
  const set = { sources: [], targets: [], settings: [], profiles: [] } as {
    sources: DefinitionSet['sources'][number][];
    targets: DefinitionSet['targets'][number][];
    settings: DefinitionSet['settings'][number][];
    profiles: Located<ProfileDef>[];
  };
  const unseen: UnseenIds = { ids: { sources: new Set(), windows: new Set(), settings: new Set(), profile: new Set() }, unknown: new Set() };
  const byFile = new Map<string, YamlDocument>();
  for (const { kind, document } of documents) {
    if (document === null) {
      unseen.unknown.add(kind);
      continue;
    }
    byFile.set(document.file, document);
    const problems = [...characterProblems(document), ...validateAgainstSchema(kind, document)];
    diagnostics.push(...problems);
    if (problems.length > 0) {
      collectIds(kind, document.data, unseen);
      continue;
    }
    const locate = <T>(list: readonly T[], property: string) =>
      list.map((value, index) => ({ value, file: document.file, pointer: joinPointer('', property, index) }));
    if (kind === 'sources') set.sources.push(...locate((document.data as SourcesFile).sources, 'sources'));
    if (kind === 'windows') set.targets.push(...locate((document.data as WindowsFile).targets, 'targets'));
    if (kind === 'settings') set.settings.push(...locate((document.data as SettingsFile).settings, 'settings'));
    if (kind === 'profile') set.profiles.push({ value: document.data as ProfileDef, file: document.file, pointer: '' });
  }
  diagnostics.push(...checkRules(set, byFile, unseen));
  return { definitions: set, diagnostics };
}

const LIST_OF: Record<DefinitionKind, string | null> = { sources: 'sources', windows: 'targets', settings: 'settings', profile: null };

/** The ids a file that failed its checks would define, as far as its shape shows them. */
function collectIds(kind: DefinitionKind, data: unknown, unseen: UnseenIds): void {
  const record = (item: unknown): boolean => {
    const id = item !== null && typeof item === 'object' ? (item as Record<string, unknown>).id : undefined;
    if (typeof id === 'string') unseen.ids[kind].add(id);
    return typeof id === 'string';
  };
  const property = LIST_OF[kind];
  if (property === null) {
    if (!record(data)) unseen.unknown.add(kind);
    return;
  }
  const list = data !== null && typeof data === 'object' ? (data as Record<string, unknown>)[property] : undefined;
  if (!Array.isArray(list)) unseen.unknown.add(kind);
  else for (const item of list) record(item);
}

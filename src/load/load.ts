/** Load phase: definitions folder → parsed YAML documents with positions (or diagnostics). */
import type { Diagnostic } from '../diagnostics.js';
import { discoverDefinitions } from './discover.js';
import type { DefinitionKind, DiscoverResult } from './discover.js';
import { loadYaml } from './yaml-source.js';
import type { YamlDocument } from './yaml-source.js';

/**
 * One definition file. `document` is null when the file is missing, unreadable or not loadable
 * YAML (its diagnostics are in LoadResult.diagnostics): validation then knows that ids of this
 * kind may be defined where it cannot see them, and does not report references to them.
 */
export interface LoadedDocument {
  readonly kind: DefinitionKind;
  readonly file: string;
  readonly document: YamlDocument | null;
}

export interface LoadResult {
  readonly documents: LoadedDocument[];
  readonly diagnostics: Diagnostic[];
}

/** `discovered`: the folder's files when the caller has read them already (build fingerprints them first). */
export function loadDefinitions(definitionsDir: string, discovered: DiscoverResult = discoverDefinitions(definitionsDir)): LoadResult {
  const { files, unreadable } = discovered;
  const diagnostics = [...discovered.diagnostics];
  const documents: LoadedDocument[] = unreadable.map(({ kind, file }) => ({ kind, file, document: null }));
  for (const file of files) {
    const result = loadYaml(file.file, file.text);
    if (result.ok) documents.push({ kind: file.kind, file: file.file, document: result.document });
    else {
      diagnostics.push(...result.diagnostics);
      documents.push({ kind: file.kind, file: file.file, document: null });
    }
  }
  return { documents, diagnostics };
}

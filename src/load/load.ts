/** Load phase: definitions folder → parsed YAML documents with positions (or diagnostics). */
import type { Diagnostic } from '../diagnostics.js';
import { discoverDefinitions } from './discover.js';
import type { DefinitionKind } from './discover.js';
import { loadYaml } from './yaml-source.js';
import type { YamlDocument } from './yaml-source.js';

export interface LoadedDocument {
  readonly kind: DefinitionKind;
  readonly document: YamlDocument;
}

export interface LoadResult {
  readonly documents: LoadedDocument[];
  readonly diagnostics: Diagnostic[];
}

export function loadDefinitions(definitionsDir: string): LoadResult {
  const { files, diagnostics } = discoverDefinitions(definitionsDir);
  const documents: LoadedDocument[] = [];
  for (const file of files) {
    const result = loadYaml(file.file, file.text);
    if (result.ok) documents.push({ kind: file.kind, document: result.document });
    else diagnostics.push(...result.diagnostics);
  }
  return { documents, diagnostics };
}

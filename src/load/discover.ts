/**
 * Load phase, whole folder: finds the definition files and reads their text.
 * Layout: sources.yaml, windows.yaml, settings/*.yaml, profiles/*.yaml (everything else is ignored).
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from '../diagnostics.js';

export type DefinitionKind = 'sources' | 'windows' | 'settings' | 'profile';

export interface SourceFile {
  readonly kind: DefinitionKind;
  /** The path as diagnostics show it: the definitions folder as given, joined with the relative path. */
  readonly file: string;
  readonly text: string;
}

export interface DiscoverResult {
  readonly files: SourceFile[];
  readonly diagnostics: Diagnostic[];
  /** Files of each kind that are missing or could not be read: the ids they hold are unknown. */
  readonly unreadable: { readonly kind: DefinitionKind; readonly file: string }[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function discoverDefinitions(definitionsDir: string): DiscoverResult {
  const files: SourceFile[] = [];
  const diagnostics: Diagnostic[] = [];
  const unreadable: DiscoverResult['unreadable'] = [];
  if (!isDirectory(definitionsDir)) {
    diagnostics.push(problem(definitionsDir, 'the definitions folder does not exist'));
    return { files, diagnostics, unreadable };
  }
  const read = (kind: DefinitionKind, relativePath: string) => {
    const file = join(definitionsDir, relativePath);
    const text = readText(file);
    if (typeof text === 'string') files.push({ kind, file, text });
    else {
      diagnostics.push(problem(file, text.error));
      unreadable.push({ kind, file });
    }
  };
  for (const [kind, name] of [
    ['sources', 'sources.yaml'],
    ['windows', 'windows.yaml'],
  ] as const) {
    if (isFile(join(definitionsDir, name))) read(kind, name);
    else {
      diagnostics.push(problem(join(definitionsDir, name), `missing required file ${name}`));
      unreadable.push({ kind, file: join(definitionsDir, name) });
    }
  }
  for (const [kind, folder] of [
    ['settings', 'settings'],
    ['profile', 'profiles'],
  ] as const) {
    for (const name of yamlFilesIn(join(definitionsDir, folder))) read(kind, join(folder, name));
  }
  return { files, diagnostics, unreadable };
}

function yamlFilesIn(dir: string): string[] {
  if (!isDirectory(dir)) return [];
  return readdirSync(dir)
    .filter((name) => /\.ya?ml$/i.test(name) && isFile(join(dir, name)))
    .sort();
}

function readText(file: string): string | { error: string } {
  const bytes = readFileSync(file);
  try {
    // YAML files may start with a UTF-8 BOM; TextDecoder strips it.
    return utf8.decode(bytes);
  } catch {
    return { error: 'the file is not valid UTF-8 text' };
  }
}

function problem(file: string, message: string): Diagnostic {
  return { file, line: 1, column: 1, severity: 'error', message, pointer: '' };
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

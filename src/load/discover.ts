/**
 * Load phase, whole folder: finds the definition files and reads their text.
 * Layout: sources.yaml, windows.yaml, settings/*.yaml, profiles/*.yaml (everything else is ignored).
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from '../diagnostics.js';
import { environmentCause } from '../diagnostics.js';

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
    const listed = yamlFilesIn(join(definitionsDir, folder));
    if ('error' in listed) {
      diagnostics.push(problem(join(definitionsDir, folder), listed.error));
      unreadable.push({ kind, file: join(definitionsDir, folder) });
      continue;
    }
    for (const name of listed) read(kind, join(folder, name));
  }
  return { files, diagnostics, unreadable };
}

function yamlFilesIn(dir: string): string[] | { error: string } {
  if (!isDirectory(dir)) return [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    return { error: `the folder cannot be listed: ${readProblem(error)}` };
  }
  return names.filter((name) => /\.ya?ml$/i.test(name) && isFile(join(dir, name))).sort();
}

/** An environment failure as a few words for a diagnostic (never a stack trace). */
function readProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return environmentCause(error) ?? (code ? `error ${code}` : String(error));
}

function readText(file: string): string | { error: string } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    return { error: `the file cannot be read: ${readProblem(error)}` };
  }
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

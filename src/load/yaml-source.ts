/**
 * Load phase, one YAML file: text → data, plus a map from JSON pointers to source positions so
 * that every later diagnostic can say file:line:col.
 *
 * js-yaml 5's event API gives byte offsets for every node; we walk the events once to index
 * positions, guard against alias bombs, and only then construct the data from the same events.
 */
import { CORE_SCHEMA, EVENT_ID, YAMLException, constructFromEvents, getScalarValue, parseEvents } from 'js-yaml';
import type { Event } from 'js-yaml';
import type { Diagnostic } from '../diagnostics.js';
import { joinPointer } from '../diagnostics.js';

/** Far above anything a definition needs, far below what hurts: a YAML "billion laughs" file is refused. */
export const MAX_EXPANDED_NODES = 20_000;
export const MAX_ALIASES = 500;

export interface Position {
  readonly line: number;
  readonly column: number;
}

export interface NodePositions {
  /** Where the node's value starts. */
  readonly value: Position;
  /** Where its mapping key starts, for mapping members. */
  readonly key: Position | null;
}

export interface YamlDocument {
  readonly file: string;
  readonly data: unknown;
  /** Position of the node at `pointer`, or of its nearest ancestor that exists. */
  locate(pointer: string, part?: 'key' | 'value'): Position;
}

export type YamlLoadResult = { ok: true; document: YamlDocument } | { ok: false; diagnostics: Diagnostic[] };

export function loadYaml(file: string, text: string): YamlLoadResult {
  const lineStarts = computeLineStarts(text);
  const at = (offset: number): Position => offsetToPosition(lineStarts, offset);
  let events: Event[];
  try {
    events = parseEvents(text, { filename: file, maxDepth: 64 });
  } catch (error) {
    return { ok: false, diagnostics: [yamlErrorDiagnostic(file, error)] };
  }
  const index = indexEvents(text, events);
  const documentCount = events.filter((e) => e.type === EVENT_ID.DOCUMENT).length;
  if (documentCount === 0) {
    return { ok: false, diagnostics: [fileDiagnostic(file, 'the file is empty: expected a YAML mapping')] };
  }
  if (documentCount > 1) {
    return { ok: false, diagnostics: [fileDiagnostic(file, 'expected one YAML document, found ' + documentCount)] };
  }
  if (index.expandedNodes > MAX_EXPANDED_NODES) {
    const where = at(index.firstAliasOffset);
    return {
      ok: false,
      diagnostics: [
        {
          file,
          ...where,
          severity: 'error',
          message: `YAML aliases expand this file to more than ${MAX_EXPANDED_NODES} nodes; refusing it (an alias bomb?)`,
          pointer: '',
        },
      ],
    };
  }
  let data: unknown;
  try {
    [data] = constructFromEvents(events, { source: text, filename: file, schema: CORE_SCHEMA, maxAliases: MAX_ALIASES });
  } catch (error) {
    return { ok: false, diagnostics: [yamlErrorDiagnostic(file, error)] };
  }
  const positions = new Map<string, NodePositions>();
  for (const [pointer, offsets] of index.offsets) {
    positions.set(pointer, { value: at(offsets.value), key: offsets.key === null ? null : at(offsets.key) });
  }
  return { ok: true, document: { file, data, locate: (pointer, part = 'value') => locate(positions, pointer, part) } };
}

function locate(positions: Map<string, NodePositions>, pointer: string, part: 'key' | 'value'): Position {
  for (let p = pointer; ; p = p.slice(0, p.lastIndexOf('/'))) {
    const found = positions.get(p);
    if (found) return (part === 'key' && found.key) || found.value;
    if (p === '') return { line: 1, column: 1 };
  }
}

function fileDiagnostic(file: string, message: string): Diagnostic {
  return { file, line: 1, column: 1, severity: 'error', message, pointer: '' };
}

function yamlErrorDiagnostic(file: string, error: unknown): Diagnostic {
  if (!(error instanceof YAMLException)) throw error;
  const mark = error.mark;
  return {
    file,
    line: mark ? mark.line + 1 : 1,
    column: mark ? mark.column + 1 : 1,
    severity: 'error',
    message: 'YAML syntax error: ' + error.reason,
    pointer: '',
  };
}

interface EventIndex {
  offsets: Map<string, { value: number; key: number | null }>;
  /** Node count as if every alias were expanded, computed without expanding anything. */
  expandedNodes: number;
  firstAliasOffset: number;
}

interface Frame {
  readonly kind: 'mapping' | 'sequence' | 'document' | 'skip';
  readonly pointer: string;
  nextIndex: number;
  /** Mapping only: the next node is a key. */
  expectingKey: boolean;
  pendingKey: string | null;
  pendingKeyOffset: number | null;
  /** Expanded size of this collection so far, and the anchor that will own it. */
  size: number;
  readonly anchor: string | null;
}

function indexEvents(text: string, events: Event[]): EventIndex {
  const offsets = new Map<string, { value: number; key: number | null }>();
  const anchorSizes = new Map<string, number>();
  const stack: Frame[] = [];
  let expandedNodes = 0;
  let firstAliasOffset = -1;

  const frame = (kind: Frame['kind'], pointer: string, anchor: string | null): Frame => ({
    kind, pointer, nextIndex: 0, expectingKey: kind === 'mapping', pendingKey: null, pendingKeyOffset: null, size: 1, anchor,
  });
  const addSize = (n: number) => {
    expandedNodes += n;
    const top = stack[stack.length - 1];
    if (top) top.size += n;
  };

  for (const event of events) {
    if (event.type === EVENT_ID.DOCUMENT) {
      stack.push(frame('document', '', null));
      continue;
    }
    if (event.type === EVENT_ID.POP) {
      const done = stack.pop();
      // A complex mapping key closes: the mapping now expects that key's value.
      if (!done || done.kind === 'document' || done.kind === 'skip') continue;
      if (done.anchor !== null) anchorSizes.set(done.anchor, done.size);
      const parent = stack[stack.length - 1];
      // Its nodes were already counted in expandedNodes as they arrived; only the parent learns its size.
      if (parent) parent.size += done.size;
      completeChild(parent);
      continue;
    }
    const parent = stack[stack.length - 1];
    if (!parent) continue;
    const start = nodeStart(event);
    const anchor = event.anchorStart >= 0 ? text.slice(event.anchorStart, event.anchorEnd) : null;

    if (parent.kind === 'skip' || (parent.kind === 'mapping' && parent.expectingKey)) {
      // A mapping key (or anything inside a complex key we do not index).
      if (parent.kind === 'mapping') {
        parent.expectingKey = false;
        parent.pendingKey = event.type === EVENT_ID.SCALAR ? getScalarValue(text, event) : null;
        parent.pendingKeyOffset = start;
      }
      if (event.type === EVENT_ID.MAPPING || event.type === EVENT_ID.SEQUENCE) stack.push(frame('skip', '', null));
      continue;
    }

    const childPointer = childPointerOf(parent);
    if (childPointer !== null) offsets.set(childPointer, { value: start, key: parent.kind === 'mapping' ? parent.pendingKeyOffset : null });

    if (event.type === EVENT_ID.ALIAS) {
      if (firstAliasOffset < 0) firstAliasOffset = event.anchorStart;
      addSize(anchorSizes.get(text.slice(event.anchorStart, event.anchorEnd)) ?? 1);
      completeChild(parent);
    } else if (event.type === EVENT_ID.SCALAR) {
      if (anchor !== null) anchorSizes.set(anchor, 1);
      addSize(1);
      completeChild(parent);
    } else {
      expandedNodes += 1;
      stack.push(frame(event.type === EVENT_ID.MAPPING ? 'mapping' : 'sequence', childPointer ?? '', anchor));
    }
  }
  return { offsets, expandedNodes, firstAliasOffset: Math.max(firstAliasOffset, 0) };
}

function childPointerOf(parent: Frame): string | null {
  if (parent.kind === 'document') return '';
  if (parent.kind === 'sequence') return joinPointer(parent.pointer, parent.nextIndex);
  if (parent.kind === 'mapping' && parent.pendingKey !== null) return joinPointer(parent.pointer, parent.pendingKey);
  return null;
}

function completeChild(parent: Frame | undefined): void {
  if (!parent) return;
  if (parent.kind === 'sequence') parent.nextIndex += 1;
  if (parent.kind === 'mapping') {
    parent.expectingKey = true;
    parent.pendingKey = null;
    parent.pendingKeyOffset = null;
  }
}

function nodeStart(event: Exclude<Event, { type: 1 | 6 }>): number {
  const candidates =
    event.type === EVENT_ID.SCALAR
      ? [event.anchorStart, event.tagStart, event.valueStart]
      : event.type === EVENT_ID.ALIAS
        ? [event.anchorStart - 1]
        : [event.anchorStart, event.tagStart, event.start];
  const valid = candidates.filter((c) => c >= 0);
  return valid.length > 0 ? Math.min(...valid) : 0;
}

function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function offsetToPosition(lineStarts: number[], offset: number): Position {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((lineStarts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - (lineStarts[lo] ?? 0) + 1 };
}

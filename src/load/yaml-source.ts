/**
 * Load phase, one YAML file: text → data, plus a map from JSON pointers to source positions so
 * that every later diagnostic can say file:line:col.
 *
 * js-yaml 5's event API gives byte offsets for every node; we walk the events once to index
 * positions, guard against alias bombs, and only then construct the data from the same events.
 */
import { CORE_SCHEMA, EVENT_ID, NOT_RESOLVED, SCALAR_STYLE, YAMLException, constructFromEvents, getScalarValue, parseEvents } from 'js-yaml';
import type { Event } from 'js-yaml';

type ScalarEvent = Extract<Event, { type: typeof EVENT_ID.SCALAR }>;
import type { Diagnostic } from '../diagnostics.js';
import { joinPointer, shown } from '../diagnostics.js';

/** Far above anything a definition needs, far below what hurts: a YAML "billion laughs" file is refused. */
export const MAX_EXPANDED_NODES = 20_000;

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
  /**
   * The mapping key of the member at `pointer` as the file writes it, when YAML read it as
   * something else than that text (`0x10` is the property "16", `~` the property "null").
   */
  writtenKey(pointer: string): string | undefined;
  /** The text of the scalar at `pointer` as written (escapes decoded), e.g. a number before YAML rounded it. */
  scalarText(pointer: string): string | undefined;
}

export type YamlLoadResult = { ok: true; document: YamlDocument } | { ok: false; diagnostics: Diagnostic[] };

export function loadYaml(file: string, text: string): YamlLoadResult {
  const lineStarts = computeLineStarts(text);
  const at = (offset: number): Position => offsetToPosition(lineStarts, offset);
  let events: Event[];
  try {
    events = parseEvents(text, { filename: file, maxDepth: 64 });
  } catch (error) {
    return { ok: false, diagnostics: [yamlErrorDiagnostic(file, error, text, at)] };
  }
  const documentCount = events.filter((e) => e.type === EVENT_ID.DOCUMENT).length;
  if (documentCount === 0) {
    return { ok: false, diagnostics: [fileDiagnostic(file, 'the file is empty: expected a YAML mapping')] };
  }
  if (documentCount > 1) {
    return { ok: false, diagnostics: [fileDiagnostic(file, 'expected one YAML document, found ' + documentCount)] };
  }
  const index = indexEvents(text, events);
  if (index.recursiveAlias) {
    const { offset, pointer, anchor } = index.recursiveAlias;
    return {
      ok: false,
      diagnostics: [
        {
          file,
          ...at(offset),
          severity: 'error',
          message: `recursive YAML alias: *${anchor} is used inside the node &${anchor} names, which would make it contain itself`,
          pointer,
        },
      ],
    };
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
  if (index.complexKey) {
    const { offset, pointer, kind } = index.complexKey;
    return {
      ok: false,
      diagnostics: [{ file, ...at(offset), severity: 'error', message: `mapping keys must be plain text, found ${kind} used as a key`, pointer }],
    };
  }
  let data: unknown;
  try {
    // The expansion limit above bounds the aliases too (each expands to at least one node).
    [data] = constructFromEvents(events, { source: text, filename: file, schema: CORE_SCHEMA, maxAliases: -1 });
  } catch (error) {
    return { ok: false, diagnostics: [yamlErrorDiagnostic(file, error, text, at)] };
  }
  // Offsets become line:col only when a diagnostic asks: most nodes are never located.
  const offsets = index.offsets;
  const positionOf = (pointer: string): NodePositions | undefined => {
    const found = offsets.get(pointer);
    return found && { value: at(found.value), key: found.key === null ? null : at(found.key) };
  };
  const document: YamlDocument = {
    file,
    data,
    locate: (pointer, part = 'value') => locate(positionOf, pointer, part),
    writtenKey: (pointer) => index.writtenKeys.get(pointer),
    scalarText: (pointer) => {
      const scalar = offsets.get(pointer)?.scalar;
      return scalar ? getScalarValue(text, scalar) : undefined;
    },
  };
  return { ok: true, document };
}

function locate(positionOf: (pointer: string) => NodePositions | undefined, pointer: string, part: 'key' | 'value'): Position {
  for (let p = pointer; ; p = p.slice(0, p.lastIndexOf('/'))) {
    const found = positionOf(p);
    if (found) return (part === 'key' && found.key) || found.value;
    if (p === '') return { line: 1, column: 1 };
  }
}

function fileDiagnostic(file: string, message: string): Diagnostic {
  return { file, line: 1, column: 1, severity: 'error', message, pointer: '' };
}

function yamlErrorDiagnostic(file: string, error: unknown, text: string, at: (offset: number) => Position): Diagnostic {
  if (!(error instanceof YAMLException)) throw error;
  const mark = error.mark;
  const directive = mark ? directiveAt(text, mark.position, at) : null;
  return {
    file,
    line: directive ? directive.line : mark ? mark.line + 1 : 1,
    column: directive ? 1 : mark ? mark.column + 1 : 1,
    severity: 'error',
    message: 'YAML syntax error: ' + shown(error.reason, 200),
    pointer: '',
  };
}

/**
 * js-yaml reports a bad directive (`%YAML 2.0`) where it stopped reading: after the directive's
 * line, at the start of the next. The directive is what is wrong: point at it, when the error lies
 * in the directives before the document (only directives, comments and blank lines before it).
 */
function directiveAt(text: string, offset: number, at: (offset: number) => Position): Position | null {
  const mark = at(Math.min(offset, text.length));
  const lines = text.split(/\r\n|\r|\n/);
  const line = mark.column === 1 && mark.line > 1 ? mark.line - 1 : mark.line;
  if (!(lines[line - 1] ?? '').startsWith('%')) return null;
  const before = lines.slice(0, line - 1);
  return before.every((l) => l.startsWith('%') || /^\s*(#.*)?$/.test(l)) ? { line, column: 1 } : null;
}

interface NodeOffsets {
  value: number;
  key: number | null;
  /** Scalars: the event, to read the text as written. */
  scalar?: ScalarEvent;
}

interface EventIndex {
  offsets: Map<string, NodeOffsets>;
  /** Mapping keys whose text YAML read as something else (see YamlDocument.writtenKey), by pointer. */
  writtenKeys: Map<string, string>;
  /** The first mapping key that is a list or a mapping (a YAML complex key), which no definition can use. */
  complexKey: { offset: number; pointer: string; kind: string } | null;
  /**
   * Nodes the aliases add when expanded (each alias counts the whole node it names, aliases inside
   * that node expanded too), computed without expanding anything. Nodes written out count nothing:
   * a long file without aliases is not a bomb.
   */
  expandedNodes: number;
  firstAliasOffset: number;
  /** An alias used inside the node its anchor is still naming (`&a [*a]`): data that contains itself. */
  recursiveAlias: { offset: number; pointer: string; anchor: string } | null;
}

interface Frame {
  readonly kind: 'mapping' | 'sequence' | 'document' | 'skip';
  readonly pointer: string;
  nextIndex: number;
  /** Mapping only: the next node is a key. */
  expectingKey: boolean;
  pendingKey: string | null;
  pendingKeyOffset: number | null;
  /** The pending key as written, when YAML reads it as another text. */
  pendingWrittenKey: string | null;
  /** Sequence: where its last item ended (an empty item's '-' is looked for after it). */
  lastEnd: number;
  /** Expanded size of this collection so far (itself, its nodes and what its aliases expand to). */
  size: number;
  readonly anchor: string | null;
  /** Still open: an alias to its anchor now would be recursive. */
  open: boolean;
}

function indexEvents(text: string, events: Event[]): EventIndex {
  const offsets = new Map<string, NodeOffsets>();
  const writtenKeys = new Map<string, string>();
  let complexKey: EventIndex['complexKey'] = null;
  /** What each anchor names now: a closed size, or the frame of a collection still being read. */
  const anchors = new Map<string, number | Frame>();
  /** Anchors naming a scalar: the property name that scalar makes as a mapping key (null: unknown). */
  const scalarAnchorKeys = new Map<string, string | null>();
  const stack: Frame[] = [];
  let expandedNodes = 0;
  let firstAliasOffset = -1;
  let recursiveAlias: EventIndex['recursiveAlias'] = null;
  /** End of the last thing read, where an empty value starts looking for its indicator. */
  let lastEnd = 0;

  const frame = (kind: Frame['kind'], pointer: string, anchor: string | null, start: number): Frame => ({
    kind,
    pointer,
    nextIndex: 0,
    expectingKey: kind === 'mapping',
    pendingKey: null,
    pendingKeyOffset: null,
    pendingWrittenKey: null,
    lastEnd: start,
    size: 1,
    anchor,
    open: true,
  });
  const addSize = (n: number) => {
    const top = stack[stack.length - 1];
    if (top) top.size += n;
  };

  for (const event of events) {
    if (event.type === EVENT_ID.DOCUMENT) {
      stack.push(frame('document', '', null, 0));
      continue;
    }
    if (event.type === EVENT_ID.POP) {
      const done = stack.pop();
      if (!done || done.kind === 'document') continue;
      done.open = false;
      if (done.anchor !== null && anchors.get(done.anchor) === done) anchors.set(done.anchor, done.size);
      const parent = stack[stack.length - 1];
      if (parent) parent.size += done.size;
      // A closing complex key (a 'skip' frame) leaves its mapping waiting for that key's value.
      if (done.kind !== 'skip') completeChild(parent, lastEnd);
      continue;
    }
    const parent = stack[stack.length - 1];
    if (!parent) continue;
    const anchor = event.anchorStart >= 0 && event.type !== EVENT_ID.ALIAS ? text.slice(event.anchorStart, event.anchorEnd) : null;
    const empty = event.type === EVENT_ID.SCALAR && event.valueStart < 0 && event.anchorStart < 0 && event.tagStart < 0;
    const start = empty ? emptyNodeStart(text, parent, lastEnd) : nodeStart(event);

    // Sizes, anchors and aliases, wherever the node is (values, mapping keys, complex keys).
    let child: Frame | null = null;
    if (event.type === EVENT_ID.ALIAS) {
      const name = text.slice(event.anchorStart, event.anchorEnd);
      if (firstAliasOffset < 0) firstAliasOffset = event.anchorStart;
      const named = anchors.get(name);
      if (typeof named === 'object' && named.open && recursiveAlias === null) {
        recursiveAlias = { offset: Math.max(event.anchorStart - 1, 0), pointer: pointerHere(parent), anchor: name };
      }
      const size = typeof named === 'number' ? named : typeof named === 'object' ? named.size : 1;
      expandedNodes += size;
      addSize(size);
      lastEnd = event.anchorEnd;
    } else if (event.type === EVENT_ID.SCALAR) {
      if (anchor !== null) {
        anchors.set(anchor, 1);
        scalarAnchorKeys.set(anchor, constructedKey(text, event));
      }
      addSize(1);
      // An empty item consumed its '-': the next empty item looks after it.
      lastEnd = Math.max(lastEnd, event.valueEnd, event.anchorEnd, event.tagEnd, empty && parent.kind === 'sequence' ? start + 1 : -1);
    } else {
      lastEnd = Math.max(lastEnd, event.start);
    }

    if (parent.kind === 'skip' || (parent.kind === 'mapping' && parent.expectingKey)) {
      // A mapping key (or anything inside a complex key, which we do not index).
      if (parent.kind === 'mapping') {
        parent.expectingKey = false;
        parent.pendingKeyOffset = start;
        parent.pendingKey = null;
        parent.pendingWrittenKey = null;
        if (event.type === EVENT_ID.SCALAR) {
          // The property name the constructed object will have: js-yaml resolves the key (0x10 is
          // the integer 16) and then makes it a string ("16").
          parent.pendingKey = constructedKey(text, event);
          if (parent.pendingKey !== null && getScalarValue(text, event) !== parent.pendingKey) parent.pendingWrittenKey = writtenKeyText(text, event);
        } else if (event.type === EVENT_ID.ALIAS) {
          const name = text.slice(event.anchorStart, event.anchorEnd);
          parent.pendingKey = scalarAnchorKeys.get(name) ?? null;
          if (anchors.has(name) && !scalarAnchorKeys.has(name)) {
            complexKey ??= { offset: explicitKeyIndicator(text, start), pointer: parent.pointer, kind: `*${name}, an alias of a list or a mapping,` };
          }
        } else if (complexKey === null) {
          complexKey = { offset: explicitKeyIndicator(text, start), pointer: parent.pointer, kind: event.type === EVENT_ID.SEQUENCE ? 'a list' : 'a mapping' };
        }
      }
      if (event.type === EVENT_ID.MAPPING || event.type === EVENT_ID.SEQUENCE) child = frame('skip', '', anchor, start);
    } else {
      const childPointer = childPointerOf(parent);
      if (childPointer !== null) {
        const entry: NodeOffsets = { value: start, key: parent.kind === 'mapping' ? parent.pendingKeyOffset : null };
        if (event.type === EVENT_ID.SCALAR) entry.scalar = event;
        offsets.set(childPointer, entry);
        if (parent.kind === 'mapping' && parent.pendingWrittenKey !== null) writtenKeys.set(childPointer, parent.pendingWrittenKey);
      }
      if (event.type === EVENT_ID.MAPPING || event.type === EVENT_ID.SEQUENCE) {
        child = frame(event.type === EVENT_ID.MAPPING ? 'mapping' : 'sequence', childPointer ?? '', anchor, start);
      } else {
        completeChild(parent, lastEnd);
      }
    }
    if (child) {
      if (anchor !== null) {
        anchors.set(anchor, child);
        scalarAnchorKeys.delete(anchor);
      }
      stack.push(child);
    }
  }
  return { offsets, writtenKeys, complexKey, expandedNodes, firstAliasOffset: Math.max(firstAliasOffset, 0), recursiveAlias };
}

/**
 * The property name a scalar mapping key becomes, as js-yaml constructs it (its CORE_SCHEMA value,
 * made a string by the object-based map); null when the index cannot tell (a tag it does not know:
 * construction then refuses the file anyway).
 */
function constructedKey(text: string, event: ScalarEvent): string | null {
  const source = getScalarValue(text, event);
  const rawTag = event.tagStart >= 0 ? text.slice(event.tagStart, event.tagEnd) : '';
  if (rawTag === '') return event.style === SCALAR_STYLE.PLAIN ? String(CORE_SCHEMA.resolveImplicitScalarTag(source).value) : source;
  if (rawTag === '!') return source;
  const tagName = rawTag.startsWith('!!')
    ? 'tag:yaml.org,2002:' + rawTag.slice(2)
    : rawTag.startsWith('!<') && rawTag.endsWith('>')
      ? rawTag.slice(2, -1)
      : null;
  const tag = tagName === null ? undefined : CORE_SCHEMA.lookupScalarTag(tagName);
  if (!tag || tagName === null) return null;
  const value: unknown = tag.resolve(source, true, tagName);
  return value === NOT_RESOLVED ? null : String(value);
}

/** A scalar key as the file writes it: its text, after its tag when it has one. */
function writtenKeyText(text: string, event: ScalarEvent): string {
  const source = getScalarValue(text, event);
  return event.tagStart >= 0 ? `${text.slice(event.tagStart, event.tagEnd)} ${source}` : source;
}

/** A complex key is best shown at its `?` indicator, when it has one. */
function explicitKeyIndicator(text: string, start: number): number {
  let i = start - 1;
  while (i >= 0 && /\s/.test(text[i]!)) i--;
  return i >= 0 && text[i] === '?' ? i : start;
}

/** Pointer of the node about to be read in `parent` (for messages about it). */
function pointerHere(parent: Frame): string {
  if (parent.kind === 'skip') return '';
  return childPointerOf(parent) ?? parent.pointer;
}

/**
 * An empty value has no text of its own; it is where its indicator is: the key for `key:` (a
 * mapping value), the `-` for an empty sequence item.
 */
function emptyNodeStart(text: string, parent: Frame, lastEnd: number): number {
  if (parent.kind === 'mapping' && !parent.expectingKey && parent.pendingKeyOffset !== null) return parent.pendingKeyOffset;
  if (parent.kind === 'sequence') {
    const dash = findItemIndicator(text, Math.max(parent.lastEnd, lastEnd));
    if (dash >= 0) return dash;
  }
  return Math.min(lastEnd, Math.max(text.length - 1, 0));
}

/** The next block sequence indicator '-' (followed by a space, a line break or the end), skipping comments. */
function findItemIndicator(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const ch = text[i];
    if (ch === '#' && (i === 0 || /\s/.test(text[i - 1]!))) {
      while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
      continue;
    }
    if (ch === '-' && (i + 1 >= text.length || /\s/.test(text[i + 1]!))) return i;
  }
  return -1;
}

function childPointerOf(parent: Frame): string | null {
  if (parent.kind === 'document') return '';
  if (parent.kind === 'sequence') return joinPointer(parent.pointer, parent.nextIndex);
  if (parent.kind === 'mapping' && parent.pendingKey !== null) return joinPointer(parent.pointer, parent.pendingKey);
  return null;
}

function completeChild(parent: Frame | undefined, lastEnd: number): void {
  if (!parent) return;
  if (parent.kind === 'sequence') {
    parent.nextIndex += 1;
    parent.lastEnd = lastEnd;
  }
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

/** YAML line breaks: LF, CRLF and a lone CR (YAML 1.2 b-break), so CR-only files count lines too. */
function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit === 10 || (unit === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
  }
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

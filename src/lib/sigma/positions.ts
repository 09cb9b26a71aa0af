/**
 * Where the nodes of a YAML text are written, so a diagnostic can name the line and column of the
 * key or value it is about. js-yaml's parse listener reports each node's open and close; the
 * recorder keeps, per map and list, the offset where each child starts (for a map: its keys and
 * values in turn). Offsets become line and column only when a diagnostic asks. Recording adds
 * about a fifth to the YAML parsing time (25 ms on the 4,039 corpus files, most of it js-yaml
 * calling the listener); parsing again only for files with a diagnostic would not do alone: a
 * duplicate id is found only once all rules are read.
 */
import type yaml from 'js-yaml';

/** 1-based line and column (UTF-16 code units, after a leading byte-order mark). */
export interface Position {
  line: number;
  column: number;
}

export interface YamlLocator {
  /** Where document `index` (0-based, of those `loadAll` returned) starts. */
  document(index: number): Position | undefined;
  /** Where a map or list of the parsed value starts. */
  node(node: object): Position | undefined;
  /** Where the key `key` of map `node` is written. */
  key(node: object, key: string): Position | undefined;
  /** Where the value of `key` in map `node`, or item `key` of list `node`, starts. */
  value(node: object, key: string | number): Position | undefined;
  /** Makes `copy`, a map merged from `originals`, answer from them (the first holding a key wins). */
  alias(copy: object, originals: object[]): void;
  /** Where character `offset` of the string `value`, a scalar written at `at`, is (inside a condition). */
  inside(at: Position, value: string, offset: number): Position;
}

/** A map or list: where it starts, and where each child starts and its value, in turn. */
interface RecordedNode {
  start: number;
  children: unknown[] | undefined;
}

type Listener = NonNullable<yaml.LoadOptions['listener']>;

/** A js-yaml listener, and the locator it fills; pass `listener` to `load`/`loadAll` on `text`. */
export function positionRecorder(text: string): { listener: Listener; locator: YamlLocator } {
  // A Map, not a WeakMap: it lives as long as the parsed documents anyway, and is cheaper to fill.
  const nodes = new Map<object, RecordedNode>();
  const aliases = new WeakMap<object, object[]>();
  // The nodes being read, innermost last: where each starts, and its children so far.
  const starts: number[] = [];
  const open: (unknown[] | undefined)[] = [];
  const documents: number[] = [];
  const listener: Listener = (event, state) => {
    if (event === 'open') {
      starts.push(state.position);
      open.push(undefined);
      return;
    }
    const start = starts.pop()!;
    const children = open.pop();
    const value: unknown = state.result;
    const depth = open.length;
    if (depth > 0) (open[depth - 1] ??= []).push(start, value);
    else documents.push(start);
    if (value !== null && typeof value === 'object' && !nodes.has(value)) nodes.set(value, { start, children });
  };

  let lineStarts: number[] | undefined;
  const at = (offset: number): Position => {
    lineStarts ??= startsOfLines(text);
    const start = skipSpace(text, offset);
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (lineStarts[mid] <= start) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: start - lineStarts[low] + 1 };
  };
  /** The offset of the key `key` (pair index 0) or its value (1) in a map, or of item `key` of a list. */
  const child = (object: object, key: string | number, part: 0 | 1): number | undefined => {
    for (const original of aliases.get(object) ?? []) {
      const offset = child(original, key, part);
      if (offset !== undefined) return offset;
    }
    const node = nodes.get(object);
    const children = node?.children;
    if (!children) return undefined;
    const offset = (i: number) => children[2 * i] as number;
    const value = (i: number) => children[2 * i + 1];
    let count = children.length / 2;
    if (Array.isArray(object)) return typeof key === 'number' && count === object.length ? offset(key) : undefined;
    // Keys and values alternate. js-yaml tries one more key where a block map ends before more
    // text (`---`): an empty node to skip. A flow map's key without a value breaks the pairing.
    if (count % 2 !== 0) {
      if (value(count - 1) !== null) return undefined;
      count--;
    }
    for (let i = count - 2; i >= 0; i -= 2) {
      if (String(value(i)) === String(key)) return offset(i + part);
    }
    return undefined;
  };
  const locator: YamlLocator = {
    document: (index) => (documents[index] === undefined ? undefined : at(documents[index])),
    node: (object) => {
      const original = aliases.get(object)?.[0];
      if (original) return locator.node(original);
      const node = nodes.get(object);
      return node ? at(node.start) : undefined;
    },
    alias: (copy, originals) => void aliases.set(copy, originals),
    key: (object, key) => {
      const offset = child(object, key, 0);
      return offset === undefined ? undefined : at(offset);
    },
    value: (object, key) => {
      const offset = child(object, key, Array.isArray(object) ? 0 : 1);
      return offset === undefined ? undefined : at(offset);
    },
    inside: (where, value, offset) => {
      lineStarts ??= startsOfLines(text);
      return insideScalar(text, lineStarts, where, value, offset);
    },
  };
  return { listener, locator };
}

function startsOfLines(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** Past the spaces, line breaks and comments between a `:` or `-` and the node it introduces. */
function skipSpace(text: string, offset: number): number {
  let i = offset;
  for (;;) {
    const ch = text[i];
    if (ch === ' ' || ch === '\t' || ch === '\n') i++;
    else if (ch === '#' && (i === 0 || /\s/.test(text[i - 1]))) {
      const end = text.indexOf('\n', i);
      if (end === -1) return text.length;
      i = end;
    } else return i;
  }
}

/**
 * The position of character `offset` (0-based) of `value`, a scalar that starts at `where`: the
 * value and its source are walked together, a run of white space (line breaks and indentation
 * included) in one matching a run in the other. Exact for plain, quoted (escapes aside), literal
 * and folded scalars.
 */
function insideScalar(text: string, lineStarts: number[], where: Position, value: string, offset: number): Position {
  let i = lineStarts[where.line - 1] + where.column - 1;
  const indicator = text[i];
  if (indicator === '|' || indicator === '>') {
    const next = text.indexOf('\n', i);
    if (next === -1) return where;
    i = skipSpace(text, next + 1);
  } else if (indicator === "'" || indicator === '"') {
    i++;
  }
  const space = (ch: string | undefined) => ch === ' ' || ch === '\t' || ch === '\n';
  let j = 0;
  while (j < offset && i < text.length) {
    if (space(value[j]) && space(text[i])) {
      while (j < offset && space(value[j])) j++;
      while (i < text.length && space(text[i])) i++;
    } else {
      i++;
      j++;
    }
  }
  let line = where.line - 1;
  while (line + 1 < lineStarts.length && lineStarts[line + 1] <= i) line++;
  return { line: line + 1, column: i - lineStarts[line] + 1 };
}

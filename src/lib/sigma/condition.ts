/** The Sigma condition grammar: tokens → AST, then resolution against the search identifiers. */

import { globMatch, identifierPattern } from './glob.ts';

export type ConditionNode =
  | { type: 'and'; children: ConditionNode[] }
  | { type: 'or'; children: ConditionNode[] }
  | { type: 'not'; child: ConditionNode }
  | { type: 'identifier'; name: string }
  /** `1 of sel_*`, `all of them`; `any of` is read as `1 of`. `pattern` is 'them' or a glob. */
  | { type: 'of'; quantifier: 'one' | 'all'; pattern: string; matches: string[] };

/** Legacy aggregation: `... | count(Field) by Group > 5`. */
export interface Aggregation {
  function: string;
  field?: string;
  groupBy?: string;
  /** Comparison operator (`>`, `<=` …); '' for `near`, which has no comparison. */
  operator: string;
  /** Threshold; 0 for `near`. */
  value: number;
  /** `| near a and not b`: the searches that must occur close in time. */
  near?: ConditionNode;
}

export interface ParsedCondition {
  source: string;
  expression: ConditionNode;
  aggregation?: Aggregation;
}

/** A problem in one condition string; `column` is 1-based within that string. */
export interface ConditionError {
  message: string;
  column: number;
}

// ---------------------------------------------------------------------------------------------
// Tokens

type TokenKind = 'word' | '(' | ')' | '|' | 'compare' | 'invalid' | 'end';

interface Token {
  kind: TokenKind;
  text: string;
  /** 1-based column of the first character. */
  column: number;
}

/** Identifiers are `[A-Za-z0-9_-]`; the corpus also has dots (`filter_main_mdadm.conf`); `*` only in patterns. */
const WORD_CHAR = /[A-Za-z0-9_.*-]/;
const COMPARE_CHAR = /[<>=!]/;
const KEYWORDS = new Set(['and', 'or', 'not', 'of', 'them']);
const AGGREGATE_FUNCTIONS = new Set(['count', 'min', 'max', 'avg', 'sum']);
const COMPARE_OPERATORS = new Set(['<', '<=', '>', '>=', '=', '==', '!=']);

class ConditionSyntaxError extends Error {
  constructor(
    message: string,
    readonly column: number,
  ) {
    super(message);
  }
}

/**
 * Splits a condition into tokens. A character outside the grammar becomes an 'invalid' token,
 * so the parser reports whichever problem comes first in the text.
 */
function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i]!;
    const column = i + 1;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '(' || ch === ')' || ch === '|') {
      tokens.push({ kind: ch, text: ch, column });
      i++;
    } else if (WORD_CHAR.test(ch) || COMPARE_CHAR.test(ch)) {
      const pattern = WORD_CHAR.test(ch) ? WORD_CHAR : COMPARE_CHAR;
      let end = i;
      while (end < source.length && pattern.test(source[end]!)) end++;
      tokens.push({ kind: pattern === WORD_CHAR ? 'word' : 'compare', text: source.slice(i, end), column });
      i = end;
    } else {
      tokens.push({ kind: 'invalid', text: ch, column });
      i++;
    }
  }
  tokens.push({ kind: 'end', text: '', column: source.length + 1 });
  return tokens;
}

// ---------------------------------------------------------------------------------------------
// Parser: or → and → not → primary, one function per rule of the grammar

interface Cursor {
  tokens: Token[];
  pos: number;
  /** Where each identifier / `of` node was written, for resolution errors (kept off the AST). */
  columns: WeakMap<ConditionNode, number>;
  /** Open parentheses and `not`s around the current position. */
  depth: number;
}

/**
 * How deep parentheses and `not` may nest. Real conditions stay under ten; a contributed
 * `((((…` twenty thousand deep would overflow the stack here and in every reader of the AST.
 */
const MAX_CONDITION_NESTING = 64;

function enter(c: Cursor, token: Token): void {
  if (++c.depth > MAX_CONDITION_NESTING) {
    throw new ConditionSyntaxError(`parentheses and 'not' nest more than ${MAX_CONDITION_NESTING} levels deep`, token.column);
  }
}

const peek = (c: Cursor, ahead = 0): Token => c.tokens[Math.min(c.pos + ahead, c.tokens.length - 1)]!;
const next = (c: Cursor): Token => c.tokens[Math.min(c.pos++, c.tokens.length - 1)]!;
const isWord = (token: Token, text: string): boolean => token.kind === 'word' && token.text === text;

function describe(token: Token): string {
  if (token.kind === 'end') return 'end of condition';
  if (token.kind === 'invalid') return `unexpected character '${token.text}'`;
  // `AND` is an identifier to the grammar; say why it was not read as the keyword.
  const lower = token.text.toLowerCase();
  return KEYWORDS.has(lower) && lower !== token.text ? `'${token.text}' (keywords are lower-case: '${lower}')` : `'${token.text}'`;
}

/** Builds an n-ary and/or, flattening children of the same operator. */
function combine(type: 'and' | 'or', nodes: ConditionNode[]): ConditionNode {
  if (nodes.length === 1) return nodes[0]!;
  const children = nodes.flatMap((node) => (node.type === type ? node.children : [node]));
  return { type, children };
}

function parseBinary(c: Cursor, type: 'and' | 'or', operand: (c: Cursor) => ConditionNode): ConditionNode {
  const nodes = [operand(c)];
  while (isWord(peek(c), type)) {
    next(c);
    nodes.push(operand(c));
  }
  return combine(type, nodes);
}

function parseOr(c: Cursor): ConditionNode {
  return parseBinary(c, 'or', parseAnd);
}

function parseAnd(c: Cursor): ConditionNode {
  return parseBinary(c, 'and', parseNot);
}

function parseNot(c: Cursor): ConditionNode {
  if (!isWord(peek(c), 'not')) return parsePrimary(c);
  enter(c, next(c));
  const child = parseNot(c);
  c.depth--;
  return { type: 'not', child };
}

function parsePrimary(c: Cursor): ConditionNode {
  const token = peek(c);
  if (token.kind === '(') {
    enter(c, next(c));
    const inner = parseOr(c);
    const close = next(c);
    if (close.kind !== ')') throw new ConditionSyntaxError(`expected ')' to close the '(' at column ${token.column}, found ${describe(close)}`, close.column);
    c.depth--;
    return inner;
  }
  if (token.kind !== 'word' || KEYWORDS.has(token.text)) {
    throw new ConditionSyntaxError(`expected a search identifier, found ${describe(token)}`, token.column);
  }
  if (['1', 'any', 'all'].includes(token.text) && isWord(peek(c, 1), 'of')) return parseSelector(c);
  next(c);
  if (token.text.includes('*')) {
    throw new ConditionSyntaxError(`pattern '${token.text}' needs a quantifier: write '1 of ${token.text}' or 'all of ${token.text}'`, token.column);
  }
  const node: ConditionNode = { type: 'identifier', name: token.text };
  c.columns.set(node, token.column);
  return node;
}

/** `1 of pattern`, `any of pattern`, `all of them`. */
function parseSelector(c: Cursor): ConditionNode {
  const quantifier = next(c);
  next(c); // 'of'
  const pattern = next(c);
  if (pattern.kind !== 'word' || (KEYWORDS.has(pattern.text) && pattern.text !== 'them')) {
    throw new ConditionSyntaxError(`expected an identifier pattern or 'them' after 'of', found ${describe(pattern)}`, pattern.column);
  }
  const node: ConditionNode = {
    type: 'of',
    quantifier: quantifier.text === 'all' ? 'all' : 'one',
    pattern: pattern.text,
    matches: [],
  };
  c.columns.set(node, quantifier.column);
  return node;
}

/** Legacy `| count(field) by group > n` (also min/max/avg/sum) and `| near a and not b`. */
function parseAggregation(c: Cursor): Aggregation {
  const fn = next(c);
  if (fn.kind === 'word' && fn.text === 'near') {
    return { function: 'near', operator: '', value: 0, near: parseOr(c) };
  }
  if (fn.kind !== 'word' || !AGGREGATE_FUNCTIONS.has(fn.text)) {
    throw new ConditionSyntaxError(`expected an aggregation (count, min, max, avg, sum or near) after '|', found ${describe(fn)}`, fn.column);
  }
  const aggregation: Aggregation = { function: fn.text, operator: '', value: 0 };
  expect(c, '(', `after '${fn.text}'`);
  if (peek(c).kind === 'word') aggregation.field = next(c).text;
  else if (fn.text !== 'count') throw new ConditionSyntaxError(`'${fn.text}' needs a field`, peek(c).column);
  expect(c, ')', `to close '${fn.text}('`);
  if (isWord(peek(c), 'by')) {
    next(c);
    const group = next(c);
    if (group.kind !== 'word') throw new ConditionSyntaxError(`expected a field after 'by', found ${describe(group)}`, group.column);
    aggregation.groupBy = group.text;
  }
  const operator = next(c);
  if (operator.kind !== 'compare' || !COMPARE_OPERATORS.has(operator.text)) {
    throw new ConditionSyntaxError(`expected a comparison (<, <=, >, >=, ==) in the aggregation, found ${describe(operator)}`, operator.column);
  }
  const value = next(c);
  const number = Number(value.text);
  if (value.kind !== 'word' || value.text === '' || !Number.isFinite(number)) {
    throw new ConditionSyntaxError(`expected a number after '${operator.text}', found ${describe(value)}`, value.column);
  }
  aggregation.operator = operator.text;
  aggregation.value = number;
  return aggregation;
}

function expect(c: Cursor, kind: TokenKind, context: string): void {
  const token = next(c);
  if (token.kind !== kind) throw new ConditionSyntaxError(`expected '${kind}' ${context}, found ${describe(token)}`, token.column);
}

// ---------------------------------------------------------------------------------------------
// Resolution against the detection's search identifiers

/**
 * Identifiers an `of` pattern selects, in definition order. Identifiers starting with `_` are
 * pulled in only by a pattern that itself starts with `_` (so never by `them`).
 */
export function matchPattern(pattern: string, identifiers: string[]): string[] {
  const includeHidden = pattern.startsWith('_');
  const glob = identifierPattern(pattern);
  return identifiers.filter((name) => (includeHidden || !name.startsWith('_')) && (pattern === 'them' || globMatch(glob, name)));
}

/** Fills `matches` of every `of` node and reports unknown identifiers and empty patterns. */
function resolve(node: ConditionNode, identifiers: string[], columns: WeakMap<ConditionNode, number>, errors: ConditionError[]): void {
  const column = columns.get(node) ?? 1;
  switch (node.type) {
    case 'and':
    case 'or':
      node.children.forEach((child) => resolve(child, identifiers, columns, errors));
      break;
    case 'not':
      resolve(node.child, identifiers, columns, errors);
      break;
    case 'identifier':
      if (!identifiers.includes(node.name)) errors.push({ message: `unknown search identifier '${node.name}'`, column });
      break;
    case 'of':
      node.matches = matchPattern(node.pattern, identifiers);
      if (node.matches.length === 0) {
        errors.push({ message: `'${formatCondition(node)}' matches no search identifier`, column });
      }
      break;
  }
}

/**
 * Parses one condition string and resolves it against the detection's identifiers.
 * `condition` is set whenever the syntax is valid, even if resolution found errors.
 */
export function parseCondition(source: string, identifiers: string[]): { condition?: ParsedCondition; errors: ConditionError[] } {
  const cursor: Cursor = { tokens: [], pos: 0, columns: new WeakMap(), depth: 0 };
  let condition: ParsedCondition;
  try {
    cursor.tokens = tokenize(source);
    if (peek(cursor).kind === 'end') return { errors: [{ message: 'empty condition', column: 1 }] };
    condition = { source, expression: parseOr(cursor) };
    if (peek(cursor).kind === '|') {
      next(cursor);
      condition.aggregation = parseAggregation(cursor);
    }
    const rest = peek(cursor);
    if (rest.kind !== 'end') {
      throw new ConditionSyntaxError(`expected 'and', 'or' or end of condition, found ${describe(rest)}`, rest.column);
    }
  } catch (error) {
    if (error instanceof ConditionSyntaxError) return { errors: [{ message: error.message, column: error.column }] };
    throw error;
  }
  const errors: ConditionError[] = [];
  resolve(condition.expression, identifiers, cursor.columns, errors);
  if (condition.aggregation?.near) resolve(condition.aggregation.near, identifiers, cursor.columns, errors);
  return { condition, errors };
}

// ---------------------------------------------------------------------------------------------
// Printing

const PRECEDENCE = { or: 1, and: 2, not: 3, identifier: 4, of: 4 } as const;

/** Prints an AST as condition text, with parentheses only where precedence needs them. */
export function formatCondition(node: ConditionNode, parentPrecedence = 0): string {
  const own = PRECEDENCE[node.type];
  let text: string;
  switch (node.type) {
    case 'and':
    case 'or':
      text = node.children.map((child) => formatCondition(child, own)).join(` ${node.type} `);
      break;
    case 'not':
      text = `not ${formatCondition(node.child, own)}`;
      break;
    case 'identifier':
      text = node.name;
      break;
    case 'of':
      text = `${node.quantifier === 'all' ? 'all' : '1'} of ${node.pattern}`;
      break;
  }
  // Equal precedence needs no parentheses: and/or are associative, `not not a` reads fine.
  return own < parentPrecedence ? `(${text})` : text;
}

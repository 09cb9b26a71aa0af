/**
 * The condition AST evaluated with Kleene's three-valued logic: an identifier that cannot be
 * decided is unknown, and unknown only decides the outcome when nothing else does
 * (`true or unknown` is true, `not unknown` is unknown). A rule is predicted only when its
 * condition is certainly true.
 */
import type { ConditionNode } from '../sigma/condition.ts';
import type { Truth } from './value-check.ts';

/** Identifier names the condition reads (to list the true ones in an explanation). */
export function identifiersOf(node: ConditionNode, into: Set<string> = new Set()): Set<string> {
  if (node.type === 'and' || node.type === 'or') node.children.forEach((c) => identifiersOf(c, into));
  else if (node.type === 'not') identifiersOf(node.child, into);
  else if (node.type === 'identifier') into.add(node.name);
  else node.matches.forEach((m) => into.add(m));
  return into;
}

/**
 * The identifiers that make a true condition true, for its explanation: those of every branch that
 * holds (an `and`'s children, an `or`'s or a `1 of`'s true ones), never one a `not` excludes (a
 * filter that matched makes its branch false; one that did not match is no evidence either).
 */
export function witnessesOf(node: ConditionNode, value: (name: string) => Truth, into: Set<string> = new Set()): Set<string> {
  if (truthOf(node, value) !== true) return into;
  if (node.type === 'and' || node.type === 'or') node.children.forEach((c) => witnessesOf(c, value, into));
  else if (node.type === 'identifier') into.add(node.name);
  else if (node.type === 'of') for (const name of node.matches) if (value(name) === true) into.add(name);
  return into;
}

/** A condition node's value, uncompiled (explanations only: a matched pair, not every event). */
function truthOf(node: ConditionNode, value: (name: string) => Truth): Truth {
  switch (node.type) {
    case 'identifier':
      return value(node.name);
    case 'not': {
      const t = truthOf(node.child, value);
      return t === undefined ? undefined : !t;
    }
    case 'and':
    case 'or':
    case 'of': {
      const identity = node.type === 'and' || (node.type === 'of' && node.quantifier === 'all');
      const values = node.type === 'of' ? node.matches.map(value) : node.children.map((c) => truthOf(c, value));
      if (values.includes(!identity)) return !identity;
      return values.includes(undefined) ? undefined : identity;
    }
  }
}

/**
 * The condition compiled to a closure tree over identifier indexes, so evaluating it allocates
 * nothing: `identifier(i)` returns the (memoised) value of the i-th search identifier.
 */
export type CompiledCondition = (identifier: (index: number) => Truth) => Truth;

export function compileCondition(node: ConditionNode, indexOf: (name: string) => number | undefined): CompiledCondition {
  switch (node.type) {
    case 'and':
    case 'or': {
      const children = node.children.map((c) => compileCondition(c, indexOf));
      const identity = node.type === 'and';
      return (id) => {
        let sawUnknown = false;
        for (const child of children) {
          const t = child(id);
          if (t === undefined) sawUnknown = true;
          else if (t !== identity) return t;
        }
        return sawUnknown ? undefined : identity;
      };
    }
    case 'not': {
      const child = compileCondition(node.child, indexOf);
      return (id) => {
        const t = child(id);
        return t === undefined ? undefined : !t;
      };
    }
    case 'identifier': {
      const i = indexOf(node.name);
      return i === undefined ? () => undefined : (id) => id(i);
    }
    case 'of': {
      const indexes = node.matches.map(indexOf);
      const identity = node.quantifier === 'all';
      return (id) => {
        let sawUnknown = false;
        for (const i of indexes) {
          const t = i === undefined ? undefined : id(i);
          if (t === undefined) sawUnknown = true;
          else if (t !== identity) return t;
        }
        return sawUnknown ? undefined : identity;
      };
    }
  }
}

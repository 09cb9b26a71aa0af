/**
 * A predicate (`Field|mods: values` or a keyword list) compiled into a check over an event.
 * Values are OR'ed, or AND'ed under `all`, with three-valued logic: a value that cannot be
 * decided makes the predicate unknown unless another value already decides it.
 */
import type { Predicate, SigmaScalar } from '../sigma/detection.ts';
import { fieldSlot, resolveField, type PreparedEvent } from './event.ts';
import { GRAM_MIN_LENGTH, mayContain, valueGrams } from './grams.ts';
import { canonicalModifiers, compileValue, type LiteralCheck, type Truth, type ValueCheck } from './value-check.ts';

/** What made a predicate true: the rule's value and the event's field and value it met. */
export interface ValueMatch {
  value: SigmaScalar;
  /** The event field holding the matched text (for keywords: the field it was found in). */
  field: string | null;
  /** The event's value (undefined for a match on an absent field: `null`, `exists: false`). */
  eventValue?: string;
  /** Where in `eventValue` the value matches (predict/predict.ts sets it), so a long text is shown around it. */
  at?: number;
}

export interface CompiledPredicate {
  predicate: Predicate;
  evaluate(event: PreparedEvent): Truth;
  /** The values that matched, for the explanation (run only once a rule matched). */
  explain(event: PreparedEvent): ValueMatch[];
  /** Why some values cannot be evaluated, if any. */
  unknown: string[];
}

interface CompiledItem {
  value: SigmaScalar;
  check: ValueCheck | undefined;
}

export function compilePredicate(predicate: Predicate): CompiledPredicate {
  const names = canonicalModifiers(predicate.modifiers);
  const unknown: string[] = [];
  const all = names.ok && names.names.includes('all');
  const items: CompiledItem[] = predicate.values.map((value) => {
    if (!names.ok) return { value, check: undefined };
    const mods = predicate.kind === 'keyword' && !hasMatchType(names.names) ? [...names.names, 'contains'] : names.names;
    const compiled = compileValue(mods, value);
    if (!compiled.ok) unknown.push(compiled.reason);
    return { value, check: compiled.ok ? compiled.check : undefined };
  });
  if (!names.ok) unknown.push(names.reason);
  // An empty list matches nothing (OR) / everything (AND), as the logic of an empty list says.
  const evaluate = predicate.kind === 'field' ? fieldEvaluator(predicate.field, items, all) : keywordEvaluator(items, all);
  return { predicate, unknown: [...new Set(unknown)], evaluate, explain: (event) => explainItems(predicate, items, event) };
}

/**
 * Kleene OR (or AND under `all`) over the values of one field, stopping as soon as the outcome
 * is certain. Written as a plain loop: this runs millions of times per corpus evaluation. The
 * field is found by its slot numbers (an array read): hashing the name on every event was a
 * third of the predict stage.
 */
function fieldEvaluator(field: string, items: CompiledItem[], all: boolean): (event: PreparedEvent) => Truth {
  const exactSlot = fieldSlot(field);
  const lowerSlot = fieldSlot(field.toLowerCase());
  const combined = combinedContains(items, all);
  return (event) => {
    const slots = event.slots;
    const value = slots[exactSlot] ?? slots[lowerSlot];
    const text = value?.text;
    const lower = value?.lower;
    if (combined) return combined(text, lower, event);
    let sawUnknown = false;
    for (let i = 0; i < items.length; i++) {
      const check = items[i]!.check;
      const t = check ? check(text, lower, event) : undefined;
      if (t === undefined) sawUnknown = true;
      else if (t !== all) return t;
    }
    return sawUnknown ? undefined : all;
  };
}

/**
 * Many plain `contains` values (lists of tool names, emoji …) as one regular expression: one
 * pass over the field instead of one `includes` per value.
 */
function combinedContains(items: CompiledItem[], all: boolean, minimum = 8): ValueCheck | undefined {
  if (all || items.length < minimum) return undefined;
  const literals = items.map((item) => (item.check as LiteralCheck | undefined)?.contains);
  if (literals.some((l) => l === undefined) || new Set(literals.map((l) => l!.cased)).size !== 1) return undefined;
  const cased = literals[0]!.cased;
  const regex = new RegExp(literals.map((l) => l!.text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'));
  const texts = literals.map((l) => l!.text);
  const grams = texts.map(valueGrams);
  return (text, lower) => {
    const v = cased ? text : lower;
    if (v === undefined) return false;
    if (v.length < GRAM_MIN_LENGTH) return regex.test(v);
    // On a long text, only the values whose trigrams are all there are looked for.
    for (let i = 0; i < grams.length; i++) if (mayContain(v, grams[i]!) && v.includes(texts[i]!)) return true;
    return false;
  };
}

function keywordEvaluator(items: CompiledItem[], all: boolean): (event: PreparedEvent) => Truth {
  const combined = combinedContains(items, all, 2);
  if (combined) {
    return (event) => {
      for (let i = 0; i < event.texts.length; i++) if (combined(event.texts[i], event.lowerTexts[i], event)) return true;
      return false;
    };
  }
  return (event) => {
    let sawUnknown = false;
    for (const item of items) {
      const t = keywordValueTruth(item, event);
      if (t === undefined) sawUnknown = true;
      else if (t !== all) return t;
    }
    return sawUnknown ? undefined : all;
  };
}

/** Keywords are found anywhere in a value unless the chain already says how to match. */
function hasMatchType(names: string[]): boolean {
  return names.some((n) => ['contains', 'startswith', 'endswith', 're', 'cidr', 'exists', 'fieldref', 'lt', 'lte', 'gt', 'gte'].includes(n));
}

/** A keyword value is found when any present field value matches it. */
function keywordValueTruth(item: CompiledItem, event: PreparedEvent): Truth {
  if (!item.check) return undefined;
  for (let i = 0; i < event.texts.length; i++) {
    if (item.check(event.texts[i], event.lowerTexts[i], event) === true) return true;
  }
  return false;
}

function explainItems(predicate: Predicate, items: CompiledItem[], event: PreparedEvent): ValueMatch[] {
  const matches: ValueMatch[] = [];
  for (const item of items) {
    if (!item.check) continue;
    if (predicate.kind === 'field') {
      const name = resolveField(event, predicate.field);
      const text = name === undefined ? undefined : String(event.fields[name]);
      if (item.check(text, name === undefined ? undefined : event.lower.get(name), event) === true) {
        matches.push(text === undefined ? { value: item.value, field: predicate.field } : { value: item.value, field: name!, eventValue: text });
      }
      continue;
    }
    const fields = Object.keys(event.fields).filter((f) => event.fields[f] !== undefined);
    const hit = fields.find((f) => item.check!(String(event.fields[f]), event.lower.get(f), event) === true);
    if (hit !== undefined) matches.push({ value: item.value, field: hit, eventValue: String(event.fields[hit]) });
  }
  return matches;
}

/**
 * View model of a test's prediction list: the first predictions explained in full (the event they
 * matched, which search identifiers were true, which predicate matched which value), the rest as
 * links. Event values are cut: every prediction repeats them and they can be whole scripts.
 */
import type { CatalogRule, CatalogTest } from '../catalog/types.ts';

type Prediction = NonNullable<CatalogTest['predictions']>[number];

/** Predictions explained in full; past this many the rest are links only (keeps the page small). */
export const EXPLAINED = 40;
/** Event values (whole scripts, base64 blobs) are cut to this many characters. */
export const VALUE_CHARS = 600;

export interface PredictionMatchRow {
  identifier: string;
  /** The rule field, or `keyword`. */
  field: string;
  modifiers: string[];
  /** The rule value, cut. */
  value: string;
  /** The event field and its value (cut) that matched; undefined when the event lacks the field. */
  event?: { field: string | null; value: string };
}

export interface ExplainedPrediction {
  slug: string;
  rule?: CatalogRule;
  /** `product/category` (or `product/service`) of the matched event. */
  source: string;
  origin: string;
  payload?: { file: string; line: number };
  condition: string;
  identifiers: Array<{ name: string; state: 'true' | 'false' | 'unknown' }>;
  matches: PredictionMatchRow[];
  /** The event's non-empty fields, values cut. */
  fields: Array<[string, string]>;
}

export interface PredictionListView {
  explained: ExplainedPrediction[];
  /** Predictions past EXPLAINED: rule links only. */
  rest: Array<{ slug: string; rule?: CatalogRule }>;
}

/**
 * A value as text, cut to VALUE_CHARS with its full length named: its start, or the window around
 * `at` (where a rule's value matched in it), so the match is on the page.
 */
export function cutValue(value: unknown, at?: number): string {
  const text = String(value);
  if (text.length <= VALUE_CHARS) return text;
  const start = at === undefined || at + 40 <= VALUE_CHARS ? 0 : Math.min(at - VALUE_CHARS / 2, text.length - VALUE_CHARS);
  const end = start + VALUE_CHARS;
  return `${start > 0 ? '…' : ''}${text.slice(start, end)}${end < text.length ? '…' : ''} (${text.length} characters)`;
}

export function predictionListView(test: CatalogTest, rules: Map<string, CatalogRule>): PredictionListView {
  const all = test.predictions ?? [];
  const named = (slug: string) => {
    const rule = rules.get(slug);
    return rule ? { slug, rule } : { slug };
  };
  return {
    explained: all.slice(0, EXPLAINED).map((p) => explain(p, named(p.rule))),
    rest: all.slice(EXPLAINED).map((p) => named(p.rule)),
  };
}

function explain(p: Prediction, rule: { slug: string; rule?: CatalogRule }): ExplainedPrediction {
  const view: ExplainedPrediction = {
    ...rule,
    source: `${p.event.logsource.product}/${p.event.logsource.category ?? p.event.logsource.service}`,
    origin: p.event.origin,
    condition: p.explanation.condition,
    identifiers: p.explanation.identifiers.map((i) => ({ name: i.name, state: i.value === null ? 'unknown' : i.value ? 'true' : 'false' })),
    matches: p.explanation.matches.flatMap((m) =>
      m.matches.map((v) => {
        const row: PredictionMatchRow = { identifier: m.identifier, field: m.field ?? 'keyword', modifiers: m.modifiers, value: cutValue(String(v.value)) };
        if (v.eventValue !== undefined) row.event = { field: v.field, value: cutValue(v.eventValue, v.at) };
        return row;
      }),
    ),
    fields: Object.entries(p.event.fields)
      .filter(([, v]) => v !== undefined && v !== '')
      .map(([k, v]) => [k, cutValue(v)]),
  };
  if (p.payload) view.payload = p.payload;
  return view;
}

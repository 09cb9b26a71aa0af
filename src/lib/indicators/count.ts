/** Corpus counts: how many distinct active rules use each indicator. */
import type { Indicator } from './extract.ts';

export interface CountedIndicator extends Indicator {
  count: number;
  /** Keys of every rule using it (active or not), in the order given. */
  rules: string[];
}

export interface RuleIndicators {
  rule: string;
  active: boolean;
  indicators: Indicator[];
}

/**
 * Merges per-rule indicators into one entry per key. The first spelling seen wins for display,
 * so callers pass rules in a stable order to keep the output deterministic.
 */
export function countIndicators(perRule: RuleIndicators[]): Map<string, CountedIndicator> {
  const byKey = new Map<string, CountedIndicator>();
  for (const { rule, active, indicators } of perRule) {
    for (const indicator of indicators) {
      let entry = byKey.get(indicator.key);
      if (!entry) {
        entry = { ...indicator, count: 0, rules: [] };
        byKey.set(indicator.key, entry);
      }
      entry.rules.push(rule);
      if (active) entry.count++;
    }
  }
  return byKey;
}

/**
 * Indicators: every (field, operator, value) a rule tests, normalised so the same check
 * written twice (other case, other escaping, another rule) has one identity.
 */
import { createHash } from 'node:crypto';
import type { Detection, SigmaScalar } from '../sigma/detection.ts';
import { canonicalValue } from '../sigma/value.ts';
import { operatorOf } from '../sigma/modifiers.ts';
import type { SigmaRule } from '../sigma/rule.ts';

export interface Indicator {
  id: string;
  key: string;
  field: string | null;
  operator: string;
  /** The value as written in the rule (first spelling seen). */
  value: string;
}

function displayValue(value: SigmaScalar): string {
  return value === null ? 'null' : String(value);
}

export function indicatorKey(field: string | null, modifiers: string[], value: SigmaScalar): string {
  // Regular expressions are case-sensitive unless flagged `i`; plain strings unless `cased`.
  const regex = modifiers.includes('re');
  const cased = regex ? !modifiers.some((m) => m === 'i' || m === 'ignorecase') : modifiers.includes('cased');
  return [field === null ? '' : field.toLowerCase(), operatorOf(modifiers), canonicalValue(value, cased, { regex })].join('\u0000');
}

/** A short stable hash of a key: URL-safe whatever the rule text holds. */
export function indicatorId(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

/** A rule's indicators: none when it has no detection (correlation and filter rules). */
export function ruleIndicators(rule: SigmaRule): Indicator[] {
  return rule.detection ? extractIndicators(rule.detection) : [];
}

/** The distinct indicators of one detection, in the order they are written. */
export function extractIndicators(detection: Detection): Indicator[] {
  const seen = new Map<string, Indicator>();
  for (const identifier of detection.identifiers) {
    for (const group of identifier.groups) {
      for (const predicate of group) {
        const field = predicate.kind === 'field' ? predicate.field : null;
        const operator = operatorOf(predicate.modifiers);
        for (const value of predicate.values) {
          const key = indicatorKey(field, predicate.modifiers, value);
          if (!seen.has(key)) seen.set(key, { id: indicatorId(key), key, field, operator, value: displayValue(value) });
        }
      }
    }
  }
  return [...seen.values()];
}

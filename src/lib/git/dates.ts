/**
 * A rule's created and last-modified days: from git history when its file has any, else from its
 * own `date` and `modified`. Never from the clock, so a build is reproducible.
 */
import type { FileDates } from './history.ts';

export interface Dated {
  created?: string;
  lastModified?: string;
}

const DAY = /^(\d{4})[-/](\d{2})[-/](\d{2})$/;

/** A Sigma date (2024-01-31, or 2019/01/31 in older rules) as YYYY-MM-DD; undefined when it is not one. */
export function ruleDay(value: string | undefined): string | undefined {
  const m = DAY.exec(value?.trim() ?? '');
  if (!m) return undefined;
  const [, y, mo, d] = m;
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  const day = `${y}-${mo}-${d}`;
  return date.toISOString().slice(0, 10) === day ? day : undefined;
}

/** The dates of one rule; `fromGit` is its file's entry in history, keyed by the rule's `file`. */
export function datesOf(rule: { date?: string; modified?: string }, fromGit: FileDates | undefined): Dated {
  if (fromGit) return { created: fromGit.created, lastModified: fromGit.lastModified };
  const created = ruleDay(rule.date);
  const lastModified = ruleDay(rule.modified) ?? created;
  return { ...(created && { created }), ...(lastModified && { lastModified }) };
}

/**
 * Copies of the rules carrying `created` and `lastModified`. The catalog copies a rule's own
 * fields onto its entry, so the dates reach `CatalogRule` without the loader knowing about git.
 */
export function withDates<T extends { file: string; date?: string; modified?: string }>(
  rules: T[],
  git: Map<string, FileDates>,
): (T & Dated)[] {
  return rules.map((rule) => ({ ...rule, ...datesOf(rule, git.get(rule.file)) }));
}

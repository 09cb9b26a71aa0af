/**
 * A rule's created and last-modified days: from its own `date` and `modified`, else from git
 * history. Never from the clock, so a build is reproducible.
 */
import type { FileDates } from './history.ts';

export interface Dated {
  created?: string;
  lastModified?: string;
  /** When the rule's file was first committed and last changed, from git. */
  repository?: FileDates;
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

/**
 * The dates of one rule: its own `date`/`modified` first, since they say when its author wrote
 * and changed it; its file's git history only where the rule states none. `fromGit` is its
 * file's entry in history (absent when history does not tell files apart), kept as `repository`.
 */
export function datesOf(rule: { date?: string; modified?: string }, fromGit: FileDates | undefined): Dated {
  const own = ruleDay(rule.date);
  const created = own ?? fromGit?.created;
  const lastModified = ruleDay(rule.modified) ?? own ?? fromGit?.lastModified;
  return { ...(created && { created }), ...(lastModified && { lastModified }), ...(fromGit && { repository: { ...fromGit } }) };
}

/**
 * Copies of the rules carrying `created` and `lastModified`. The catalog copies a rule's own
 * fields onto its entry, so the dates reach `CatalogRule` without the loader knowing about git.
 */
export function withDates<T extends { file: string; date?: string; modified?: string }>(rules: T[], git: Map<string, FileDates>): (T & Dated)[] {
  return rules.map((rule) => ({ ...rule, ...datesOf(rule, git.get(rule.file)) }));
}

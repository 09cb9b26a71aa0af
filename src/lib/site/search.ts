/**
 * What search knows about a page beyond its text: per-kind metadata (shown as tags on each result,
 * and `name`, a hidden field weighted high so that a rule's or technique's own title and id rank it
 * first), the technique and confidence filters, and the normalised forms of a rule's indicator
 * values that Pagefind would otherwise not find (a hash after `MD5=`, the file name at the end of
 * a path).
 */
import type { CatalogRule, CatalogTechnique, CatalogTest } from '../catalog/types.ts';
import { tierInfo, type Tier } from '../trust/confidence.ts';
import type { SiteModel } from './model.ts';

/** The hidden metadata field ranked by `metaWeights` (public/search.js); results do not show it. */
export const NAME_META = 'name';

/** Confidence filter value: the strongest tier of a rule↔test link, or none. */
export function confidenceLabel(tier: Tier | undefined): string {
  return tier ? `${tier} · ${tierInfo(tier).label}` : 'no test linked';
}

/** Strongest tier among a rule's links to Atomic tests. */
export function ruleConfidence(model: SiteModel, rule: CatalogRule): string {
  const tiers = model.trust.testLinksOfRule(rule.slug).map((l) => l.tier);
  return confidenceLabel(tiers.length ? (Math.min(...tiers) as Tier) : undefined);
}

/** Strongest tier among a test's links to active rules. */
export function testConfidence(model: SiteModel, test: CatalogTest): string {
  const tiers = model.trust
    .testLinksOfTest(test.guid)
    .filter((l) => model.rule(l.rule)?.active)
    .map((l) => l.tier);
  return confidenceLabel(tiers.length ? (Math.min(...tiers) as Tier) : undefined);
}

/** Result metadata of a rule page: level and status shown, title and id ranked (active rules only). */
export function ruleMeta(rule: CatalogRule): Record<string, string | undefined> {
  return {
    level: rule.level,
    status: rule.status,
    [NAME_META]: rule.active ? `${rule.title} ${rule.id}` : undefined,
  };
}

/** Result metadata of a technique page: id and name ranked, unless revoked or deprecated. */
export function techniqueMeta(technique: CatalogTechnique): Record<string, string | undefined> {
  return { [NAME_META]: technique.revoked || technique.deprecated ? undefined : `${technique.id} ${technique.name}` };
}

/**
 * Search terms for an indicator value besides the value itself: the part after `NAME=` (hash
 * lists), each path or registry segment and a file name without its extension, trimmed of
 * wildcards. Pagefind keeps `C:\Windows\System32\rundll32.exe` as one word, so without these a
 * search for `rundll32.exe` or a bare hash would not reach the rule.
 */
export function indicatorTerms(value: string): string[] {
  const terms = new Set<string>();
  const add = (t: string) => {
    const s = t.replace(/^[*?]+|[*?]+$/g, '').trim();
    if (s.length >= 3 && s !== value) terms.add(s);
  };
  const eq = /^[A-Za-z0-9_-]{2,16}=(.+)$/.exec(value);
  if (eq) add(eq[1]!);
  if (/[\\/]/.test(value)) {
    const parts = value.split(/[\\/]+/).filter(Boolean);
    for (const part of parts) add(part);
    const last = parts.at(-1);
    const dot = last?.lastIndexOf('.') ?? -1;
    if (last && dot > 0) add(last.slice(0, dot));
  } else {
    const dot = value.lastIndexOf('.');
    if (dot > 0 && /^\.[a-z0-9]{2,4}$/i.test(value.slice(dot))) add(value.slice(0, dot));
  }
  return [...terms];
}

/** Extra text indexed with a rule page: every indicator value whole, then its normalised forms. */
export function ruleSearchTerms(rule: CatalogRule): string {
  const terms = new Set<string>();
  for (const ind of rule.indicators) {
    terms.add(ind.value);
    for (const t of indicatorTerms(ind.value)) terms.add(t);
  }
  return [...terms].join(' ');
}

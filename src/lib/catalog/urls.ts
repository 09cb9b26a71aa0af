/**
 * Permalinks: the one place an entity's path is built. The catalog stores them in its `url`
 * fields, redirects point at them, and the site's links (site/urls.ts) add the base to the same
 * functions, so pages, `api/` and redirects never disagree. Paths are site-relative, without base.
 */
import { sliceOf } from '../indicators/slices.ts';
import { safeSegment } from '../slug.ts';

/**
 * The route segment of an entity page: the key its permalink here is built from (a rule's or a
 * test's slug, a technique, tactic or indicator id), so pages route by the key instead of reading
 * it back out of the URL. Keys from the ATT&CK bundle or a previous build are untrusted: one that
 * is not a single path segment (`a/b`, `a\b`, `.`, `..`, empty, or holding `#` or `?`) gets no
 * page, nor one holding `%`: Astro decodes a request's path, so `a%2db` would be served the page
 * of `a-b`.
 */
export function routeSegment(key: string): string | undefined {
  return key === '' || key === '.' || key === '..' || /[/\\#?%]/.test(key) ? undefined : key;
}

export function ruleUrl(slug: string): string {
  return `/rules/${slug}/`;
}

/** The redirect from a rule's file name to the rule (`/rules/file/<segment>/`). */
export function ruleFileUrl(segment: string): string {
  return `/rules/file/${segment}/`;
}

export function testUrl(slug: string): string {
  return `/tests/${slug}/`;
}

/** A rule's own file in the JSON API, relative to `api/`. */
export function ruleApiPath(slug: string): string {
  return `rules/${slug}.json`;
}

/** A test's own file in the JSON API, relative to `api/`. */
export function testApiPath(slug: string): string {
  return `tests/${slug}.json`;
}

export function techniqueUrl(id: string): string {
  return `/techniques/${id}/`;
}

export function tacticUrl(id: string): string {
  return `/tactics/${id}/`;
}

/** The page of an indicator used by two or more rules. */
export function indicatorPageUrl(id: string): string {
  return `/indicators/${id}/`;
}

/**
 * An indicator used by two or more rules has its own page; the others are rows of their field's
 * page, or of one slice of it (`<field page><n>/`) when the field is cut into 2^sliceBits slices.
 */
export function indicatorUrl(indicator: { id: string; field: string | null }, rules: number, sliceBits = 0): string {
  if (rules >= 2) return indicatorPageUrl(indicator.id);
  const segment = fieldSegment(indicator.field);
  const page = sliceBits ? fieldSliceUrl(segment, sliceOf(indicator.id, sliceBits)) : fieldPageUrl(segment);
  return `${page}#${indicatorAnchor(indicator.id)}`;
}

/** Field page segment (keywords have the field null). */
export function fieldSegment(field: string | null): string {
  return field === null ? '-keywords' : safeSegment(field, 'field');
}

/** A field page from its segment. */
export function fieldPageUrl(segment: string): string {
  return `/indicators/fields/${segment}/`;
}

/** Slice n (1-based) of a field page cut into slices. */
export function fieldSliceUrl(segment: string, n: number): string {
  return `${fieldPageUrl(segment)}${n}/`;
}

/** Anchor id of an indicator row on its field page. */
export function indicatorAnchor(id: string): string {
  return `i-${id}`;
}

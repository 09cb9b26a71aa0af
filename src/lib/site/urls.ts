/**
 * Internal URLs. Entity pages live exactly where the catalog's `url` fields say: their paths are
 * built by catalog/urls.ts (`/rules/<slug>/`, `/techniques/T1003.001/`, `/tests/<guid>/`,
 * `/indicators/<id>/`, `/indicators/fields/<field>/#i-<id>`) and links to them here call the same
 * functions, so the site and `api/` never disagree. Index and facet pages are defined here.
 * Every URL gets the configured base (ATLAS_BASE, default `/`).
 */
import { safeSegment } from '../slug.ts';
import { fieldPageUrl, fieldSliceUrl, ruleUrl, tacticUrl, techniqueUrl, testUrl } from '../catalog/urls.ts';

export { fieldSegment, indicatorAnchor, routeSegment } from '../catalog/urls.ts';

export const BASE_ENV = 'ATLAS_BASE';

/**
 * Why a base path cannot be used, or undefined (spaces and slashes at its ends do not count:
 * normalizeBase trims them, for the links and for Astro's config alike). A `%` fails Astro's build ("Missing parameter"):
 * it decodes the page paths it builds under the base; `?` and `#` would end the path of every
 * link; a backslash is read as `/` by browsers. A space is fine (links carry it as `%20`).
 */
export function baseProblem(base: string | undefined): string | undefined {
  const inner = normalizeBase(base).slice(1, -1);
  // An empty segment (`/a//b/`) or a control character (a newline inside) gives page paths Astro cannot build.
  if (inner.split('/').includes('') && inner !== '') return `${BASE_ENV} ${JSON.stringify(base)}: a base path cannot have an empty segment ("//")`;
  if (/\p{Cc}/u.test(inner)) return `${BASE_ENV} ${JSON.stringify(base)}: a base path cannot contain a control character`;
  const bad = /[%?#\\]/.exec(base ?? '')?.[0];
  if (bad === undefined) return undefined;
  const why =
    bad === '%'
      ? `Astro decodes the paths of the pages it builds under it and the build fails; write the path unencoded${unencoded(base!)}`
      : bad === '\\'
        ? 'browsers read it as /'
        : 'it would end the path of every link';
  return `${BASE_ENV} "${base}": a base path cannot contain "${bad}": ${why}`;
}

/** ` (e.g. "/my x/")` when the base decodes to one without those characters. */
function unencoded(base: string): string {
  try {
    const plain = decodeURIComponent(base);
    return /[%?#\\]/.test(plain) ? '' : ` (e.g. "${plain}")`;
  } catch {
    return '';
  }
}

export function normalizeBase(base: string | undefined): string {
  const trimmed = (base ?? '').trim().replace(/^\/+|\/+$/g, '');
  return trimmed ? `/${trimmed}/` : '/';
}

const base = normalizeBase(process.env[BASE_ENV]);

/** Prefixes a site-relative path (`rules/x/` or `/rules/x/`) with the base. */
/**
 * A page's request path as Astro builds it from the page's pathname under the deployment base
 * (generate.js getUrlForPath, directory format): not decoded, so `%` in a slug stays itself. The
 * prerenderer wrappers (scripts/search-index.ts, scripts/page-store.ts) know a request's page by it.
 */
export function requestPathOf(base: string | undefined): (url: string) => string {
  const basePath = normalizeBase(base ?? process.env[BASE_ENV]);
  return (url) => new URL(basePath + url.slice(1), 'http://localhost').pathname;
}

export function href(path = ''): string {
  return base + path.replace(/^\/+/, '');
}

/** Link to an entity from its catalog `url`. */
export function link(entity: { url: string }): string {
  return href(entity.url);
}

/** Lower-case, URL-safe, readable facet value slug: `process_creation` stays, `Foo Bar` → `foo-bar`. */
export function slugify(value: string): string {
  return safeSegment(value, 'x');
}

export const urls = {
  home: () => href(),
  search: () => href('search/'),
  changes: () => href('changes/'),
  downloads: () => href('downloads/'),
  rules: () => href('rules/'),
  rule: (slug: string) => href(ruleUrl(slug)),
  /** The plain-text source of a rule too large to show inline (see RulePage.astro). */
  ruleSource: (slug: string) => href(`${ruleUrl(slug)}source.txt`),
  ruleFacet: (facet: string) => href(`rules/by/${facet}/`),
  ruleFacetValue: (facet: string, valueSlug: string) => href(`rules/by/${facet}/${valueSlug}/`),
  techniques: () => href('techniques/'),
  technique: (id: string) => href(techniqueUrl(id)),
  tactic: (id: string) => href(tacticUrl(id)),
  tests: () => href('tests/'),
  test: (guid: string) => href(testUrl(guid)),
  testFacetValue: (facet: 'platform' | 'executor', valueSlug: string) => href(`tests/${facet}/${valueSlug}/`),
  logsources: () => href('logsources/'),
  logsource: (slug: string) => href(`logsources/${slug}/`),
  indicators: () => href('indicators/'),
  indicatorField: (segment: string) => href(fieldPageUrl(segment)),
  /** Slice n (1-based) of a field page cut into slices. */
  indicatorFieldSlice: (segment: string, n: number) => href(fieldSliceUrl(segment, n)),
  tags: () => href('tags/'),
  tag: (tagSlug: string) => href(`tags/${tagSlug}/`),
  diagnostics: () => href('diagnostics/'),
  confidence: () => href('confidence/'),
  tier: (tier: number) => href(`confidence/#tier-${tier}`),
  calibration: () => href('calibration/'),
  referenceHealth: () => href('reference-health/'),
  gaps: () => href('gaps/'),
  gapKind: (kind: string) => href(`gaps/${kind}/`),
  gapFacet: (kind: string, facet: string, valueSlug: string) => href(`gaps/${kind}/${facet}/${valueSlug}/`),
  pagefind: () => href('pagefind/'),
  /** A file of the JSON API or the exports: `api/<file>`. */
  apiFile: (file: string) => href(`api/${file}`),
};

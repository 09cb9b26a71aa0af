/**
 * The order Astro renders pages in: that of the prerenderer's getStaticPaths answer. The page
 * store (scripts/page-store.ts) moves the pages it must render to the front, so that this build's
 * footer is known before the pages it takes from the page cache are answered.
 */
import { pageUrl } from './search-feed.ts';

/**
 * Astro's paths with those of the `first` pages (by URL, as `pageUrl` gives it) in front, each part
 * in its own order. Every entry of one path moves with it, so of two routes giving one path the
 * same one still comes first, and wins.
 */
export function pagesFirst<T extends { pathname: string }>(paths: readonly T[], first: ReadonlySet<string>): T[] {
  const front = paths.filter((p) => first.has(pageUrl(p.pathname)));
  return front.length === 0 || front.length === paths.length ? [...paths] : [...front, ...paths.filter((p) => !first.has(pageUrl(p.pathname)))];
}

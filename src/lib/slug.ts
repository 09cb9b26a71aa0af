/**
 * Page keys. Every URL segment comes from here, so nothing a rule or test says can leave its
 * folder (`../`), collide with another page after case folding, or break an attribute.
 */
const SAFE = /^[a-z0-9][a-z0-9._-]{0,127}$/;

/**
 * Segments that are not free: `index.html` is the file of the folder's own index page (a rule
 * with that id would take `/rules/`), and Windows cannot create files named like devices.
 */
const RESERVED = /^(?:index\.html|(?:con|prn|aux|nul|com\d|lpt\d)(?:\..*)?)$/;

/** A safe lower-case URL segment for any text; `fallback` when nothing usable is left. */
export function safeSegment(text: string, fallback = 'item'): string {
  const lowered = text.toLowerCase();
  if (SAFE.test(lowered) && !lowered.includes('..') && !RESERVED.test(lowered)) return lowered;
  const slug = lowered
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 100);
  if (RESERVED.test(slug)) return `${slug}-${fallback}`;
  return slug || fallback;
}

/** Whether `text` is a slug `assignSlugs` could give: a safe segment, or one with `-2`, `-3` … after it. */
export function isSlug(text: string): boolean {
  const base = text.replace(/-[1-9]\d*$/, '');
  return (safeSegment(text) === text || safeSegment(base) === base) && !RESERVED.test(text);
}

/**
 * Gives each item a unique slug: its preferred segment, or that segment with `-2`, `-3` …
 * for the second and later items wanting it. Items are taken in the order given.
 */
export function assignSlugs<T>(items: T[], preferred: (item: T) => string): string[] {
  const taken = new Set<string>();
  return items.map((item) => {
    const base = preferred(item);
    let slug = base;
    for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`;
    taken.add(slug);
    return slug;
  });
}

/**
 * A rule's `references`: only http, https and mailto become links; Atomic Red Team links are
 * resolved to the test pages of the tests the catalog says the rule references (rule.tests).
 */
import type { CatalogTest } from '../catalog/types.ts';

const SAFE_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

/** The URL when it is an absolute http/https/mailto URL, otherwise undefined (shown as text). */
export function safeHref(url: string | undefined): string | undefined {
  if (!url) return undefined;
  const trimmed = url.trim();
  try {
    const parsed = new URL(trimmed);
    return SAFE_PROTOCOLS.has(parsed.protocol) ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

export interface AtomicLink {
  technique: string;
  /** Test number from the anchor (`#atomic-test-3-…` or `#atomic-test-3---…`). */
  number?: number;
  /** The anchor's name part, slugified (`run-encoded-command`). */
  nameSlug?: string;
}

const ATOMIC_HOST = /atomic-red-team|atomicredteam\.io/i;
const TECHNIQUE = /(?:^|[/#])(T\d{4}(?:\.\d{3})?)(?=[/.#]|$)/i;
const ANCHOR = /#atomic-test-(\d+)-*(.*)$/i;

export function parseAtomicLink(url: string): AtomicLink | undefined {
  if (!ATOMIC_HOST.test(url)) return undefined;
  const t = TECHNIQUE.exec(url);
  if (!t) return undefined;
  const link: AtomicLink = { technique: t[1]!.toUpperCase() };
  const a = ANCHOR.exec(url);
  if (a) {
    link.number = Number(a[1]);
    if (a[2]) link.nameSlug = nameSlug(decodeURIComponent(a[2]));
  }
  return link;
}

function nameSlug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '');
}

/** The referenced test among the rule's tests: by name first (numbers shift), then by number. */
export function resolveAtomicTest(link: AtomicLink, tests: CatalogTest[]): CatalogTest | undefined {
  const candidates = tests.filter((t) => t.technique.toUpperCase() === link.technique);
  if (link.number === undefined) return undefined;
  if (link.nameSlug) {
    const byName = candidates.find((t) => nameSlug(t.name) === link.nameSlug);
    if (byName) return byName;
  }
  const byNumber = candidates.find((t) => t.number === link.number);
  if (byNumber) return byNumber;
  return candidates.length === 1 ? candidates[0] : undefined;
}

export interface ReferenceView {
  /** The reference as written. */
  text: string;
  /** Link target when safe to link. */
  href?: string;
  /** Resolved Atomic test. */
  test?: CatalogTest;
  /** Technique of an Atomic link (technique-level, or a test that did not resolve). */
  technique?: string;
}

export function describeReferences(references: string[], tests: CatalogTest[]): ReferenceView[] {
  return references.map((text) => {
    const view: ReferenceView = { text };
    const href = safeHref(text);
    if (href) view.href = href;
    const atomic = href ? parseAtomicLink(href) : undefined;
    if (atomic) {
      const test = resolveAtomicTest(atomic, tests);
      if (test) view.test = test;
      else view.technique = atomic.technique;
    }
    return view;
  });
}

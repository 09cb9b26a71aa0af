/**
 * A rule's `references`: only http, https and mailto become links; Atomic Red Team links carry
 * their health (how they resolved, what looks wrong, the fix) from the one resolver in xref/.
 */
import type { CatalogTest } from '../catalog/types.ts';
import type { ReferenceHealth } from '../trust/health.ts';

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

export interface ReferenceView {
  /** The reference as written. */
  text: string;
  /** Link target when safe to link. */
  href?: string;
  /** How an Atomic Red Team link resolved (trust/health.ts). */
  health?: ReferenceHealth;
  /** The test it resolved to. */
  test?: CatalogTest;
  /** Technique of an Atomic link (technique-level, or a test that did not resolve). */
  technique?: string;
}

/** The rule's references in order, each Atomic link with its health and resolved test. */
export function describeReferences(references: string[], health: ReferenceHealth[], test: (guid: string) => CatalogTest | undefined): ReferenceView[] {
  const byUrl = new Map(health.map((h) => [h.url, h]));
  return references.map((text) => {
    const view: ReferenceView = { text };
    const href = safeHref(text);
    if (href) view.href = href;
    const h = byUrl.get(text);
    if (h) {
      view.health = h;
      const resolved = h.test ? test(h.test) : undefined;
      if (resolved) view.test = resolved;
      else view.technique = h.technique;
    }
    return view;
  });
}

/** Escaping for the few places that build HTML strings in TypeScript (syntax highlighting). */
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** Escaping of an attribute value inside double quotes, as Astro's own attributes are (`&`, `"`). */
export function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
}

/** A span with a fixed class around escaped text; empty text gives an empty string. */
export function span(cls: string, text: string): string {
  return text ? `<span class="${cls}">${escapeHtml(text)}</span>` : '';
}

/** Escaping for the few places that build HTML strings in TypeScript (syntax highlighting). */
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** A span with a fixed class around escaped text; empty text gives an empty string. */
export function span(cls: string, text: string): string {
  return text ? `<span class="${cls}">${escapeHtml(text)}</span>` : '';
}

import { escapeAttribute, escapeHtml } from './html.ts';

/**
 * How a rule value is shown. Leading and trailing white space is part of what a value matches
 * (`CommandLine|endswith: ' use'` is not a match on "use" or "user"), and HTML hides it: such a
 * value is shown quoted, with a note for hover and screen readers saying where the spaces are.
 */
export interface ValueView {
  /** The text to show: the value, quoted when it starts or ends with white space. */
  text: string;
  /** "starts with a space", "ends with 2 spaces" …, when it does. */
  note?: string;
}

/**
 * The HTML of a value, as Value.astro renders it: `<code>` (with `className`, and `edge-space`
 * and a title when it has significant edge spaces), then the screen-reader note. Lists of values
 * print this string rather than a Value component per value: an Astro component instance costs
 * more than the value's markup, and a full-corpus build shows ~150,000 values.
 */
export function valueHtml(text: string, options: { quoted?: boolean; className?: string } = {}): string {
  const view = options.quoted ? quotedValueView(text) : valueView(text);
  const classes = [options.className, view.note && 'edge-space'].filter(Boolean).join(' ');
  const attributes = (classes ? ` class="${escapeAttribute(classes)}"` : '') + (view.note ? ` title="${escapeAttribute(view.note)}"` : '');
  return `<code${attributes}>${escapeHtml(view.text)}</code>${view.note ? `<span class="sr-only"> (value ${escapeHtml(view.note)})</span>` : ''}`;
}

export function valueView(value: string): ValueView {
  const note = edgeSpaceNote(value);
  return note ? { text: `'${value}'`, note } : { text: value };
}

/**
 * A value already shown in quoted form (`formatValue`): the text stays as it is, and the note is
 * taken from what is between the quotes when it is single-quoted.
 */
export function quotedValueView(text: string): ValueView {
  const note = /^'[\s\S]*'$/.test(text) ? edgeSpaceNote(text.slice(1, -1)) : undefined;
  return note ? { text, note } : { text };
}

/** Where a value has significant white space at its edges, in words; undefined when it has none. */
export function edgeSpaceNote(value: string): string | undefined {
  if (value.trim() === '') return value === '' ? undefined : `only ${spaces(value)}`;
  const lead = /^\s*/.exec(value)![0];
  const trail = /\s*$/.exec(value)![0];
  const parts = [lead && `starts with ${spaces(lead)}`, trail && `ends with ${spaces(trail)}`].filter(Boolean);
  return parts.length > 0 ? parts.join(' and ') : undefined;
}

function spaces(run: string): string {
  const n = [...run].length;
  if (/^ +$/.test(run)) return n === 1 ? 'a space' : `${n} spaces`;
  if (/^\t+$/.test(run)) return n === 1 ? 'a tab' : `${n} tabs`;
  return `${n} white-space characters`;
}

/**
 * A small HTML tokenizer that reads tags the way a browser's tokenizer does (quoted and unquoted
 * attribute values, comments, raw-text elements), so an attribute breakout or an injected tag
 * shows up as the element or attribute it would become. Text content is skipped.
 */
export interface Tag {
  name: string;
  attributes: [name: string, value: string][];
  /** Content of a raw-text element (script, style …). */
  text?: string;
  /** Offset in the page, for messages. */
  at: number;
}

const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes', 'plaintext']);
const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  colon: ':',
  tab: '\t',
  newline: '\n',
  sol: '/',
  period: '.',
  lpar: '(',
  rpar: ')',
  nbsp: '\u00a0',
  num: '#',
  equals: '=',
};

/** Character references decoded as a browser decodes them in an attribute value. */
export function decodeEntities(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);?/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED[ref.toLowerCase()] ?? whole;
  });
}

export function tokenize(html: string): Tag[] {
  const tags: Tag[] = [];
  let i = 0;
  const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f';
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    if (lt === -1) break;
    i = lt + 1;
    if (html.startsWith('!--', i)) {
      const end = html.indexOf('-->', i + 3);
      i = end === -1 ? html.length : end + 3;
      continue;
    }
    if (html[i] === '!' || html[i] === '?') {
      const end = html.indexOf('>', i);
      i = end === -1 ? html.length : end + 1;
      continue;
    }
    if (html[i] === '/') {
      const end = html.indexOf('>', i);
      i = end === -1 ? html.length : end + 1;
      continue;
    }
    if (!/[a-z]/i.test(html[i] ?? '')) continue;
    let end = i;
    while (end < html.length && !isSpace(html[end]) && html[end] !== '/' && html[end] !== '>') end++;
    const tag: Tag = { name: html.slice(i, end).toLowerCase(), attributes: [], at: lt };
    i = end;
    for (;;) {
      while (isSpace(html[i]) || html[i] === '/') i++;
      if (i >= html.length || html[i] === '>') {
        i++;
        break;
      }
      let nameEnd = i + 1;
      while (nameEnd < html.length && !isSpace(html[nameEnd]) && !'/>='.includes(html[nameEnd]!)) nameEnd++;
      const name = html.slice(i, nameEnd).toLowerCase();
      i = nameEnd;
      while (isSpace(html[i])) i++;
      let value = '';
      if (html[i] === '=') {
        i++;
        while (isSpace(html[i])) i++;
        const quote = html[i];
        if (quote === '"' || quote === "'") {
          const close = html.indexOf(quote, i + 1);
          value = html.slice(i + 1, close === -1 ? html.length : close);
          i = close === -1 ? html.length : close + 1;
        } else {
          let valueEnd = i;
          while (valueEnd < html.length && !isSpace(html[valueEnd]) && html[valueEnd] !== '>') valueEnd++;
          value = html.slice(i, valueEnd);
          i = valueEnd;
        }
      }
      tag.attributes.push([name, decodeEntities(value)]);
    }
    if (RAW_TEXT.has(tag.name)) {
      const close = html.toLowerCase().indexOf(`</${tag.name}`, i);
      tag.text = html.slice(i, close === -1 ? html.length : close);
      i = close === -1 ? html.length : close;
    }
    tags.push(tag);
  }
  return tags;
}

/** Attributes whose value is a URL a browser may follow or load. */
export const URL_ATTRIBUTES = new Set([
  'href',
  'src',
  'action',
  'formaction',
  'poster',
  'cite',
  'background',
  'xlink:href',
  'data',
  'longdesc',
  'manifest',
  'ping',
]);

/**
 * The scheme a browser would see: the URL parser strips leading C0 controls and spaces and
 * removes tabs and newlines anywhere, so ` java\tscript:` is still `javascript:`.
 */
export function urlScheme(value: string): string | undefined {
  const cleaned = value.replace(/^[\u0000-\u0020]+/, '').replace(/[\t\n\r]/g, '');
  return /^([a-z][a-z0-9+.-]*):/i.exec(cleaned)?.[1]?.toLowerCase();
}

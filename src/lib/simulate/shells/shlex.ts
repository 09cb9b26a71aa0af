/**
 * A POSIX shell lexer: words (with their quoting, variables and command substitutions kept as
 * parts, expanded only when the command runs), operators, newlines, comments and here-documents
 * (whose bodies are skipped; an unterminated one swallows the rest of the script, as in sh).
 */

export type WordPart =
  | { kind: 'text'; text: string }
  /** `$NAME`, `${NAME}`; `quoted` when inside double quotes. */
  | { kind: 'var'; name: string; raw: string }
  /** `$( … )` or backticks: a script run in a subshell. */
  | { kind: 'sub'; script: string; raw: string };

export type ShToken = { kind: 'word'; parts: WordPart[]; raw: string; quoted: boolean } | { kind: 'op'; text: string } | { kind: 'newline' };

const OPERATORS = ['&&', '||', ';;', '<<-', '<<<', '<<', '>>', '>&', '<&', '&>', '>|', ';', '&', '|', '(', ')', '<', '>'];
const META = new Set([' ', '\t', '\n', ';', '&', '|', '(', ')', '<', '>']);

export function shTokens(script: string): ShToken[] {
  const s = script.replace(/\r\n?/g, '\n');
  const tokens: ShToken[] = [];
  const pendingHeredocs: { delim: string; stripTabs: boolean }[] = [];
  let i = 0;
  while (i < s.length) {
    const ch = s[i]!;
    if (ch === ' ' || ch === '\t') {
      i++;
    } else if (ch === '\\' && s[i + 1] === '\n') {
      i += 2;
    } else if (ch === '#') {
      while (i < s.length && s[i] !== '\n') i++;
    } else if (ch === '\n') {
      tokens.push({ kind: 'newline' });
      i++;
      i = skipHeredocs(s, i, pendingHeredocs);
    } else {
      const op = OPERATORS.find((o) => s.startsWith(o, i));
      if (op) {
        tokens.push({ kind: 'op', text: op });
        i += op.length;
        if (op === '<<' || op === '<<-') {
          const word = readWord(s, skipBlanks(s, i));
          const delim = word.token.parts.map((p) => (p.kind === 'text' ? p.text : p.raw)).join('');
          pendingHeredocs.push({ delim, stripTabs: op === '<<-' });
          tokens.push(word.token);
          i = word.end;
        }
      } else {
        const word = readWord(s, i);
        // An IO number (2>file) belongs to the redirection that follows.
        if (/^\d+$/.test(word.token.raw) && (s[word.end] === '>' || s[word.end] === '<')) {
          i = word.end;
          continue;
        }
        tokens.push(word.token);
        i = word.end;
      }
    }
  }
  return tokens;
}

function skipBlanks(s: string, i: number): number {
  while (s[i] === ' ' || s[i] === '\t') i++;
  return i;
}

function skipHeredocs(s: string, start: number, pending: { delim: string; stripTabs: boolean }[]): number {
  let i = start;
  while (pending.length > 0) {
    const { delim, stripTabs } = pending.shift()!;
    for (;;) {
      if (i >= s.length) return s.length;
      const nl = s.indexOf('\n', i);
      const line = s.slice(i, nl < 0 ? s.length : nl);
      i = nl < 0 ? s.length : nl + 1;
      if ((stripTabs ? line.replace(/^\t+/, '') : line) === delim) break;
    }
  }
  return i;
}

/** Reads one word: quotes, escapes, `$VAR`, `${VAR}`, `$( … )`, backticks. */
function readWord(s: string, start: number): { token: ShToken & { kind: 'word' }; end: number } {
  const parts: WordPart[] = [];
  let quoted = false;
  const text = (t: string) => {
    const last = parts[parts.length - 1];
    if (last?.kind === 'text') last.text += t;
    else parts.push({ kind: 'text', text: t });
  };
  let i = start;
  let inDouble = false;
  while (i < s.length) {
    const ch = s[i]!;
    if (!inDouble && META.has(ch)) break;
    if (ch === "'" && !inDouble) {
      quoted = true;
      const close = s.indexOf("'", i + 1);
      text(s.slice(i + 1, close < 0 ? s.length : close));
      i = close < 0 ? s.length : close + 1;
    } else if (ch === '"') {
      quoted = true;
      inDouble = !inDouble;
      i++;
    } else if (ch === '\\') {
      const next = s[i + 1];
      if (next === undefined) {
        text('\\');
        i++;
      } else if (inDouble && !'$`"\\\n'.includes(next)) {
        text('\\' + next);
        i += 2;
      } else {
        if (next !== '\n') text(next);
        i += 2;
      }
    } else if (ch === '$' && s[i + 1] === '(' && s[i + 2] !== '(') {
      const end = matchParen(s, i + 1);
      parts.push({ kind: 'sub', script: s.slice(i + 2, end - 1), raw: s.slice(i, end) });
      i = end;
    } else if (ch === '`') {
      const close = s.indexOf('`', i + 1);
      const end = close < 0 ? s.length : close + 1;
      parts.push({ kind: 'sub', script: s.slice(i + 1, close < 0 ? s.length : close), raw: s.slice(i, end) });
      i = end;
    } else if (ch === '$' && s[i + 1] === '{') {
      const close = s.indexOf('}', i);
      const end = close < 0 ? s.length : close + 1;
      const inner = s.slice(i + 2, end - 1);
      const name = /^[A-Za-z_]\w*$/.test(inner) ? inner : '';
      parts.push({ kind: 'var', name, raw: s.slice(i, end) });
      i = end;
    } else if (ch === '$' && /[A-Za-z_]/.test(s[i + 1] ?? '')) {
      const m = /^[A-Za-z_]\w*/.exec(s.slice(i + 1))!;
      parts.push({ kind: 'var', name: m[0], raw: `$${m[0]}` });
      i += 1 + m[0].length;
    } else {
      text(ch);
      i++;
    }
  }
  return { token: { kind: 'word', parts, raw: s.slice(start, i), quoted }, end: i };
}

/** Index just past the `)` matching the `(` at `open`, skipping quoted text. */
function matchParen(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    const ch = s[i];
    if (ch === "'") i = s.indexOf("'", i + 1) < 0 ? s.length : s.indexOf("'", i + 1);
    else if (ch === '\\') i++;
    else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return i + 1;
  }
  return s.length;
}

/** The word's text with variables expanded (unknown ones left as written); substitutions stay literal. */
export function expandWord(parts: WordPart[], lookup: (name: string) => string | undefined): string {
  return parts.map((p) => (p.kind === 'text' ? p.text : p.kind === 'var' ? (lookup(p.name) ?? p.raw) : p.raw)).join('');
}

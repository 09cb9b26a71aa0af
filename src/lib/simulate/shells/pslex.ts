/**
 * A PowerShell lexer good enough to find commands: strings (single, double, here-strings),
 * comments, line continuations, and the characters that end a command (newline, `;`, `|`,
 * `&&`, `||`, braces and parentheses). Statements are token runs between those.
 */

export type PsToken =
  | { kind: 'word'; text: string }
  /** `expandable`: double-quoted, so `$var` and `` ` `` escapes apply. `value` is the content. */
  | { kind: 'string'; text: string; value: string; expandable: boolean }
  | { kind: 'op'; text: string };

const SEPARATORS = new Set([';', '|', '{', '}', '(', ')', '\n']);

/** Splits a script into statements (token lists), dropping empty ones. */
export function psStatements(script: string): PsToken[][] {
  const statements: PsToken[][] = [];
  let current: PsToken[] = [];
  const end = () => {
    if (current.length > 0) statements.push(current);
    current = [];
  };
  const s = script.replace(/\r\n?/g, '\n');
  let i = 0;
  while (i < s.length) {
    const ch = s[i]!;
    const next = s[i + 1];
    if (ch === ' ' || ch === '\t') {
      i++;
    } else if (ch === '`' && next === '\n') {
      i += 2; // line continuation
    } else if (ch === '<' && next === '#') {
      const close = s.indexOf('#>', i + 2);
      i = close < 0 ? s.length : close + 2;
    } else if (ch === '#') {
      while (i < s.length && s[i] !== '\n') i++;
    } else if ((ch === '&' && next === '&') || (ch === '|' && next === '|')) {
      end();
      i += 2;
    } else if (ch === '@' && (next === '(' || next === '{')) {
      end();
      i += 2;
    } else if (ch === '$' && next === '(') {
      end();
      i += 2;
    } else if (ch === '(' && current.length > 0 && concatenation(s, i)) {
      // `-FilePath ($env:TEMP + "\svchost.exe")` (T1036.003 #7): one argument, a joined string.
      const c = concatenation(s, i)!;
      current.push(c.token);
      i = c.end;
    } else if (SEPARATORS.has(ch)) {
      end();
      i++;
    } else if (ch === '@' && (next === '"' || next === "'") && s[i + 2] === '\n') {
      const close = s.indexOf(`\n${next}@`, i + 3);
      const stop = close < 0 ? s.length : close;
      const value = s.slice(i + 3, stop);
      current.push({ kind: 'string', text: s.slice(i, stop + 3), value, expandable: next === '"' });
      i = close < 0 ? s.length : close + 3;
    } else if (ch === "'" || ch === '"' || ch === '\u2018' || ch === '\u2019' || ch === '\u201c' || ch === '\u201d') {
      const r = readString(s, i);
      current.push(r.token);
      i = r.end;
    } else if (ch === '&' || ch === ',' || (ch === '=' && next !== '=') || (ch === '.' && (next === ' ' || next === '\t'))) {
      current.push({ kind: 'op', text: ch });
      i++;
    } else {
      const r = readWord(s, i);
      current.push({ kind: 'word', text: r.text });
      i = r.end;
    }
  }
  end();
  return statements;
}

const PIECE = String.raw`(?:\$\{?[\w:]+\}?|"[^"\`$]*"|'[^']*')`;
const CONCATENATION = new RegExp(String.raw`^\(\s*(${PIECE}(?:\s*\+\s*${PIECE})*)\s*\)`);

/** A parenthesised concatenation of variables and plain strings, as one expandable string token. */
function concatenation(s: string, start: number): { token: PsToken; end: number } | undefined {
  const m = CONCATENATION.exec(s.slice(start, start + 400));
  if (!m) return undefined;
  const value = m[1]!
    .split(/\s*\+\s*/)
    .map((piece) => (piece.startsWith('"') || piece.startsWith("'") ? piece.slice(1, -1) : piece))
    .join('');
  return { token: { kind: 'string', text: m[0], value, expandable: true }, end: start + m[0].length };
}

function readString(s: string, start: number): { token: PsToken; end: number } {
  const open = s[start]!;
  const single = open === "'" || open === '\u2018' || open === '\u2019';
  const closes = single ? ["'", '\u2018', '\u2019'] : ['"', '\u201c', '\u201d'];
  let value = '';
  let i = start + 1;
  let depth = 0; // inside $( … ) of an expandable string
  while (i < s.length) {
    const ch = s[i]!;
    if (!single && ch === '`' && i + 1 < s.length) {
      value += ch + s[i + 1];
      i += 2;
      continue;
    }
    if (!single && ch === '$' && s[i + 1] === '(') depth++;
    else if (!single && ch === ')' && depth > 0) depth--;
    if (depth === 0 && closes.includes(ch)) {
      if (closes.includes(s[i + 1] ?? '')) {
        value += ch; // doubled quote is a literal quote
        i += 2;
        continue;
      }
      i++;
      break;
    }
    value += ch;
    i++;
  }
  return { token: { kind: 'string', text: s.slice(start, i), value, expandable: !single }, end: i };
}

/** A bare word runs to whitespace or a separator; quotes inside it are part of it (`-Value:"x"`). */
function readWord(s: string, start: number): { text: string; end: number } {
  let i = start;
  let text = '';
  if (s[start] === '$' && s[start + 1] === '{') {
    // ${name} / ${env:NAME}: braces belong to the variable
    const close = s.indexOf('}', start);
    if (close > 0) {
      text = s.slice(start, close + 1);
      i = close + 1;
    }
  }
  while (i < s.length) {
    const ch = s[i]!;
    if (ch === ' ' || ch === '\t' || SEPARATORS.has(ch) || ch === ',') break;
    if (ch === '&' && s[i + 1] === '&') break;
    if (ch === '`' && i + 1 < s.length && s[i + 1] !== '\n') {
      text += s[i + 1];
      i += 2;
      continue;
    }
    if ((ch === '"' || ch === "'") && i > start) {
      const r = readString(s, i);
      text += r.token.kind === 'string' ? r.token.value : '';
      i = r.end;
      continue;
    }
    text += ch;
    i++;
  }
  return { text: text || s[start]!, end: i > start ? i : start + 1 };
}

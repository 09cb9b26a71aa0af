/**
 * cmd.exe as it runs `cmd /c <command>`: split on `&`, `&&`, `||` and `|` (outside quotes and
 * parentheses, `^` escaping), expand `%VAR%`, drop redirections, run built-ins in-process and
 * start everything else. Built-ins on either side of a pipe run in a child
 * `cmd.exe /S /D /c" …"`, as cmd really does.
 */
import { expandPercentVariables } from '../host.ts';
import { locateProgram } from '../binaries.ts';
import { recordCopy } from '../copies.ts';
import { launchCommandLine, launchWindows } from '../launch.ts';
import { nested, startProcess, type Proc, type Trace } from '../trace.ts';

const BUILTINS = new Set(
  'assoc break call cd chdir cls color copy date del dir echo endlocal erase exit for ftype goto if md mkdir mklink move path pause popd prompt pushd rd rem ren rename rmdir set setlocal shift start time title type ver verify vol'.split(
    ' ',
  ),
);

export interface CmdSegment {
  text: string;
  /** Part of a pipeline (`a | b`): built-ins then need a child cmd.exe. */
  piped: boolean;
}

/** Splits on command operators outside quotes and parentheses; `^` escapes the next character. */
export function splitCmdCommands(text: string): CmdSegment[] {
  const segments: CmdSegment[] = [];
  let current = '';
  let inQuotes = false;
  let depth = 0;
  let pipedNext = false;
  const push = (piped: boolean) => {
    segments.push({ text: current, piped: piped || pipedNext });
    pipedNext = piped;
    current = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '"') inQuotes = !inQuotes;
    if (!inQuotes) {
      if (ch === '^' && i + 1 < text.length) {
        current += text[++i];
        continue;
      }
      if (ch === '(') depth++;
      if (ch === ')' && depth > 0) depth--;
      if (depth === 0 && (ch === '&' || ch === '|' || ch === '\n' || ch === '\r')) {
        const doubled = text[i + 1] === ch && ch !== '\n' && ch !== '\r';
        const isRedirect = ch === '&' && /[<>]$/.test(current); // 2>&1
        if (!isRedirect) {
          push(ch === '|' && !doubled);
          if (doubled) i++;
          continue;
        }
      }
    }
    current += ch;
  }
  push(false);
  return segments.map((s) => ({ text: s.text.trim(), piped: s.piped })).filter((s) => s.text !== '');
}

/** Removes `>file`, `2>nul`, `>>"x y"`, `2>&1`, `<in` outside quotes (cmd strips them before starting the program). */
export function stripRedirections(text: string): string {
  let out = '';
  let inQuotes = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '"') inQuotes = !inQuotes;
    if (inQuotes || (ch !== '>' && ch !== '<')) {
      out += ch;
      continue;
    }
    if (/(^|\s)\d$/.test(out)) out = out.slice(0, -1); // the handle number of 2>
    if (text[i + 1] === '>') i++;
    let j = i + 1;
    while (text[j] === ' ' || text[j] === '\t') j++;
    if (text[j] === '&' && /\d/.test(text[j + 1] ?? '')) j += 2;
    else if (text[j] === '"') j = text.indexOf('"', j + 1) < 0 ? text.length : text.indexOf('"', j + 1) + 1;
    else while (j < text.length && !/[\s&|<>]/.test(text[j]!)) j++;
    i = j - 1;
  }
  // cmd removes the redirection, not the space before it: `query user >> x` runs "query user ".
  return out.replace(/^\s+/, '').replace(/\s+$/, (tail) => (tail && out.trim() !== '' && text.trimEnd().length > out.trimEnd().length ? ' ' : ''));
}

/** Runs a cmd.exe command string inside `cmd` (the cmd.exe process). */
export function runCmd(trace: Trace, text: string, cmd: Proc, origin: string): void {
  nested(trace, () => {
    for (const segment of splitCmdCommands(text)) runSegment(trace, segment, cmd, origin);
  });
}

function runSegment(trace: Trace, segment: CmdSegment, cmd: Proc, origin: string): void {
  // cmd treats `,`, `;` and `=` like spaces between words (`cmd /c,type,x` runs `type x`).
  let text = segment.text.replace(/^[\s,;=@]+/, '').trim();
  if (text === '' || text.startsWith(':')) return;
  if (text.startsWith('(') && text.endsWith(')')) return runCmd(trace, text.slice(1, -1), cmd, origin);
  text = stripRedirections(expandPercentVariables(text, trace.host));
  const where = `${origin}: ${text}`;
  const builtin = /^([a-z]+)(?=$|[\s./\\(:;,=+])/i.exec(text)?.[1]?.toLowerCase();
  if (builtin && BUILTINS.has(builtin)) return runBuiltin(trace, builtin, text, segment, cmd, where);
  const program = /^(?:"([^"]*)"|([^\s/,;=]+))/.exec(text);
  const name = program?.[1] ?? program?.[2];
  if (!name) return;
  launchWindows(trace, { program: name, commandLine: text, parent: cmd, origin: where });
}

function runBuiltin(trace: Trace, name: string, text: string, segment: CmdSegment, cmd: Proc, where: string): void {
  const rest = text.slice(name.length).trim();
  switch (name) {
    case 'if':
      return runIf(trace, rest, cmd, where);
    case 'for':
      return runFor(trace, rest, cmd, where);
    case 'start':
      return runStart(trace, rest, cmd, where);
    case 'call':
      if (!rest.startsWith(':')) runCmd(trace, rest, cmd, where);
      return;
    case 'copy':
    case 'move': {
      const files = (rest.match(/"[^"]*"|[^\s"]+/g) ?? []).filter((a) => !/^\/[a-z-]+$/i.test(a));
      if (files.length === 2) recordCopy(trace, files[0]!, files[1]!, (p) => locateProgram(p, 'windows').image);
      break;
    }
    default:
      if (segment.piped) {
        startProcess(trace, { image: 'C:\\Windows\\System32\\cmd.exe', commandLine: `C:\\Windows\\system32\\cmd.exe  /S /D /c" ${text}"`, parent: cmd }, where);
      }
  }
}

/**
 * `if [/i] [not] <condition> <command> [else <command>]`. Comparisons of two literal strings are
 * decided; `exist`, `defined` and `errorlevel` are assumed true (the test's prerequisites met).
 */
function runIf(trace: Trace, text: string, cmd: Proc, where: string): void {
  let rest = text.replace(/^\/i\s+/i, '');
  const negated = /^not\s+/i.test(rest);
  if (negated) rest = rest.replace(/^not\s+/i, '');
  let outcome: boolean | undefined;
  const keyword = /^(exist|defined|errorlevel|cmdextversion)\s+("[^"]*"|\S+)\s*/i.exec(rest);
  const comparison = /^("[^"]*"|[^\s=]+)\s*(==|\s(?:equ|neq|lss|leq|gtr|geq)\s)\s*("[^"]*"|\S+)\s*/i.exec(rest);
  if (keyword) {
    outcome = true;
    rest = rest.slice(keyword[0].length);
  } else if (comparison) {
    const [a, op, b] = [comparison[1]!, comparison[2]!.trim().toLowerCase(), comparison[3]!];
    const literal = !/%/.test(a + b);
    if (literal && (op === '==' || op === 'equ' || op === 'neq')) {
      const equal = a.replace(/"/g, '').toLowerCase() === b.replace(/"/g, '').toLowerCase() || a === b;
      outcome = op === 'neq' ? !equal : equal;
    } else outcome = true;
    rest = rest.slice(comparison[0].length);
  } else return;
  if (negated && outcome !== undefined) outcome = !outcome;
  const [then, otherwise] = splitElse(rest);
  const branch = outcome ? then : otherwise;
  if (branch) runCmd(trace, unwrap(branch), cmd, where);
}

/** `(a) else (b)` or `a else b` → [a, b]. */
function splitElse(text: string): [string, string | undefined] {
  let depth = 0;
  let inQuotes = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') inQuotes = !inQuotes;
    if (inQuotes) continue;
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (depth === 0 && /^\s+else\s/i.test(text.slice(i + 1, i + 7)) && (ch === ')' || ch === ' ')) {
      const cut = ch === ')' ? i + 1 : i;
      const after = text.slice(cut).replace(/^\s+else\s+/i, '');
      return [text.slice(0, cut).trim(), after.trim()];
    }
  }
  return [text.trim(), undefined];
}

function unwrap(text: string): string {
  const t = text.trim();
  return t.startsWith('(') && t.endsWith(')') ? t.slice(1, -1) : t;
}

/** `for … in (…) do <command>`: the body runs (loop variables stay unexpanded); `in ('cmd')` runs cmd in a child cmd.exe. */
function runFor(trace: Trace, text: string, cmd: Proc, where: string): void {
  const inner = /\sin\s*\(\s*'([^']*)'\s*\)/i.exec(text);
  if (inner && /^\/f\b/i.test(text)) {
    const child = startProcess(
      trace,
      { image: 'C:\\Windows\\System32\\cmd.exe', commandLine: `C:\\Windows\\system32\\cmd.exe /c ${inner[1]}`, parent: cmd },
      where,
    );
    runCmd(trace, inner[1]!, child, where);
  }
  const body = /\)\s*do\s+([\s\S]*)$/i.exec(text);
  if (body) runCmd(trace, unwrap(body[1]!), cmd, where);
}

/** `start ["title"] [/b /wait /min /d dir …] program args` starts the program as a child of cmd. */
function runStart(trace: Trace, text: string, cmd: Proc, where: string): void {
  let rest = text.replace(/^"[^"]*"\s*/, '');
  for (;;) {
    const sw = /^\/(d|node|affinity)\s+("[^"]*"|\S+)\s*|^\/[a-z]+\s*/i.exec(rest);
    if (!sw) break;
    rest = rest.slice(sw[0].length);
  }
  if (rest.trim() === '') return;
  launchCommandLine(trace, rest, cmd, where);
}

/**
 * cmd.exe parses the whole `/c` line before running any of it, so a syntax error means nothing
 * runs. The error the harness provokes: an empty command before an operator, as when a
 * multi-line `(` block or a blank line is joined with " & " (`( & del x & )`, `a &  & b`).
 */
export function cmdSyntaxError(text: string): boolean {
  const s = text
    .replace(/"[^"]*"?/g, '"x"')
    .replace(/\^./g, 'x')
    .replace(/\d?>&\d/g, ' x ');
  return /(^|[&|(])\s*(&|\|)/.test(s.replace(/&&|\|\|/g, '&'));
}

/**
 * Code a test loads at run time, as the host would run it: scripts downloaded and run
 * (`IEX (New-Object Net.WebClient).DownloadString(url)`, `iwr url | iex`), imported or
 * dot-sourced files (`Import-Module …\src\x.ps1`, `. x.ps1`, `powershell -File x.ps1`), installed
 * modules PowerShell auto-loads for their cmdlets, batch files and shell scripts from the atomics
 * folder. The text comes from the payload store; PowerShell logs it as script blocks (4104) and
 * its top-level statements run. A payload the store lacks is noted on the test, never guessed.
 */
import type { Host } from './host.ts';
import { expandPercentVariables, foldDots } from './host.ts';
import { loadedScriptBlock, nested, type Trace } from './trace.ts';
import type { Payload, PayloadStore } from './payload-store.ts';
import { extractUrls } from '../payloads/urls.ts';

/** What a trace knows beyond the test's own text. */
export interface Simulation {
  payloads: PayloadStore;
  /** Files the test's prerequisites or commands download: normalised host path → URL. */
  downloads: Map<string, string>;
  /** "payload not available: …", in run order, once each. */
  notes: string[];
  /** Payload files already loaded in this run (PowerShell compiles and logs a script once). */
  loaded: Set<string>;
  /** Services the test created or reconfigured (followers.ts). */
  services?: Map<string, { binPath: string; kernel: boolean }>;
  /** Files copied or moved (copies.ts): normalised destination → source. */
  copies?: Map<string, string>;
  /** Functions the test's scripts and loaded payloads define, lower-cased. */
  functions?: Set<string>;
}

/** Remembers the functions a script defines, so a call to one is not taken for a program. */
export function noteFunctions(trace: Trace, script: string): void {
  if (!/\b(function|filter)\s/i.test(script)) return;
  const set = (trace.sim.functions ??= new Set());
  for (const m of script.matchAll(/\b(?:function|filter)\s+(?:global:|script:)?([\w.-]+)/gi)) set.add(m[1]!.toLowerCase());
}

export function newSimulation(payloads: PayloadStore, downloads = new Map<string, string>()): Simulation {
  return { payloads, downloads, notes: [], loaded: new Set() };
}

export function noteMissing(trace: Trace, what: string): void {
  const note = `payload not available: ${what}`;
  if (!trace.sim.notes.includes(note)) trace.sim.notes.push(note);
}

/**
 * Files fetched by a prerequisite or the command (`Invoke-WebRequest url -OutFile path`,
 * `.DownloadFile('url', 'path')`, `curl -o path url`, `wget -O path url`), by normalised host path.
 */
export function downloadTargets(texts: string[], host: Host): Map<string, string> {
  const map = new Map<string, string>();
  for (const text of texts) {
    for (const statement of text.split(/\r?\n|;\s/)) {
      const url = extractUrls(statement)[0];
      if (!url) continue;
      const target =
        /-OutFile\s+("[^"]+"|'[^']+'|\S+)/i.exec(statement)?.[1] ??
        /\.DownloadFile\(\s*["'][^"']+["']\s*,\s*("[^"]+"|'[^']+'|[^)\s]+)/i.exec(statement)?.[1] ??
        /\s-[oO]\s+("[^"]+"|'[^']+'|\S+)/.exec(statement)?.[1];
      if (target) map.set(normaliseHostPath(target.replace(/^["']|["']$/g, ''), host), url);
    }
  }
  return map;
}

/** A path as the host resolves it: variables expanded, `..` folded, Windows paths lower-cased. */
export function normaliseHostPath(raw: string, host: Host): string {
  let p = raw
    .replace(/\$?PathToAtomicsFolder/gi, host.atomics)
    .replace(/\$\{?env:(\w+)\}?/gi, (whole, name: string) => host.env[name.toUpperCase()] ?? whole)
    .replace(/\$HOME\b|^~(?=\/)/g, host.env['HOME'] ?? '$HOME');
  if (host.os !== 'windows') return foldDots(p.replace(/^\.\//, `${host.cwd}/`), '/');
  p = expandPercentVariables(p, host).replace(/\//g, '\\');
  if (/^\.\.?\\/.test(p) || !/^[a-z]:\\|^\\\\/i.test(p)) p = `${host.cwd}\\${p}`;
  return foldDots(p, '\\').toLowerCase();
}

/**
 * The payload behind a host path: a download of the test's (by URL), else a file of the atomics
 * folder. `missing` names what the store lacks; both undefined: a file the test makes itself.
 */
export function payloadAt(trace: Trace, raw: string): { payload?: Payload; missing?: string } {
  const host = trace.host;
  const p = normaliseHostPath(raw, host);
  const url = trace.sim.downloads.get(p);
  if (url && servesHtmlPage(url)) return {};
  if (url) {
    const payload = trace.sim.payloads.url(url);
    return payload ? { payload } : { missing: url };
  }
  const root = host.os === 'windows' ? host.atomics.toLowerCase() + '\\' : host.atomics + '/';
  if (!p.startsWith(root)) return {};
  const rel = p.slice(root.length);
  const payload = trace.sim.payloads.atomicsFile(rel);
  return payload ? { payload } : { missing: `${host.os === 'windows' ? 'PathToAtomicsFolder\\' : 'PathToAtomicsFolder/'}${rel}` };
}

/**
 * A `github.com/<owner>/<repo>/blob/…` address without `?raw=true` returns GitHub's HTML page,
 * not the file: the script it shows never runs (T1615 #2), so it is neither loaded nor missing.
 */
function servesHtmlPage(url: string): boolean {
  return /^https?:\/\/github\.com\/[^/]+\/[^/]+\/blob\//i.test(url) && !/[?&]raw=true/i.test(url);
}

/** The URLs a PowerShell statement downloads and runs in-process, or none. */
export function downloadAndRunUrls(statement: string, vars: ReadonlyMap<string, string>): string[] {
  // Invoke-Expression must be code, not text in a string (a RunOnce value that runs at next logon, T1547.001 #3).
  const code = statement.replace(/'[^']*'|"(?:[^"`]|`.)*"/g, '""');
  if (!/\b(iex|invoke-expression)\b/i.test(code)) return [];
  if (!/downloadstring|downloaddata|responsetext|\b(iwr|irm|invoke-webrequest|invoke-restmethod|curl|wget)\b/i.test(statement)) return [];
  const urls = extractUrls(statement);
  // `$url = '…'` earlier in the script, then `iex (iwr $url)`.
  for (const m of statement.matchAll(/\$(\w+)/g)) {
    const value = vars.get(m[1]!.toLowerCase());
    if (value && /^https?:\/\//i.test(value)) urls.push(value);
  }
  return [...new Set(urls)].filter((u) => !servesHtmlPage(u));
}

/**
 * Logs a loaded script as PowerShell does and runs its top-level statements through `run` (the
 * caller's interpreter, in the process that loaded it).
 * `hostPath`: the file's path on the host (4104 Path), empty for text run by Invoke-Expression.
 */
export function runLoadedPowerShell(trace: Trace, payload: Payload, origin: string, hostPath: string, run: (script: string, origin: string) => void): void {
  if (trace.host.os !== 'windows' || trace.sim.loaded.has(payload.file)) return;
  trace.sim.loaded.add(payload.file);
  const where = `${origin} → ${payload.file}`;
  noteFunctions(trace, payload.text);
  nested(trace, () => {
    loadedScriptBlock(trace, payload, where, hostPath);
    run((payload.derived.topLevel ??= topLevelStatements(payload.text)), where);
  });
}

/**
 * The part of a script that runs when it is loaded: function, filter, workflow and class bodies
 * and the script's param block removed (they run only when called, which a static reading
 * cannot follow), so a framework of a hundred functions contributes only what it does on load.
 */
export function topLevelStatements(text: string): string {
  let out = '';
  let i = 0;
  const n = text.length;
  let atStatementStart = true;
  while (i < n) {
    const ch = text[i]!;
    if (ch === '#') {
      const end = text.indexOf('\n', i);
      i = end < 0 ? n : end;
      continue;
    }
    if (ch === '<' && text[i + 1] === '#') {
      const end = text.indexOf('#>', i + 2);
      i = end < 0 ? n : end + 2;
      continue;
    }
    if (ch === '@' && (text[i + 1] === '"' || text[i + 1] === "'") && (text[i + 2] === '\n' || text[i + 2] === '\r')) {
      const end = text.indexOf(`\n${text[i + 1]}@`, i + 2);
      const stop = end < 0 ? n : end + 3;
      out += text.slice(i, stop);
      i = stop;
      continue;
    }
    if (ch === "'" || ch === '"') {
      const stop = stringEnd(text, i);
      out += text.slice(i, stop);
      i = stop;
      atStatementStart = false;
      continue;
    }
    if (atStatementStart) {
      const definition = /^(?:function|filter|workflow|class|enum)\s+[^\s{(]+[^{]*?\{|^param\s*\(|^\[CmdletBinding\([^)]*\)\]/i.exec(text.slice(i, i + 400));
      if (definition) {
        const open = i + definition[0].length - 1;
        i = text[open] === '{' || text[open] === '(' ? matchingClose(text, open) : i + definition[0].length;
        out += '\n';
        continue;
      }
    }
    if (ch === '\n' || ch === ';' || ch === '{' || ch === '}') atStatementStart = true;
    else if (ch !== ' ' && ch !== '\t' && ch !== '\r') atStatementStart = false;
    out += ch;
    i++;
  }
  return out;
}

function stringEnd(text: string, start: number): number {
  const quote = text[start]!;
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i]!;
    if (quote === '"' && ch === '`') i += 2;
    else if (ch === quote && text[i + 1] === quote) i += 2;
    else if (ch === quote) return i + 1;
    else i++;
  }
  return text.length;
}

/** Index after the bracket closing the one at `open`, skipping strings, comments and here-strings. */
function matchingClose(text: string, open: number): number {
  const close = text[open] === '{' ? '}' : ')';
  const opener = text[open]!;
  let depth = 0;
  let i = open;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '#' && text[i - 1] !== '<') {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end;
      continue;
    }
    if (ch === '<' && text[i + 1] === '#') {
      const end = text.indexOf('#>', i + 2);
      i = end < 0 ? text.length : end + 2;
      continue;
    }
    if (ch === '@' && (text[i + 1] === '"' || text[i + 1] === "'") && (text[i + 2] === '\n' || text[i + 2] === '\r')) {
      const end = text.indexOf(`\n${text[i + 1]}@`, i + 2);
      i = end < 0 ? text.length : end + 3;
      continue;
    }
    if (ch === "'" || ch === '"') {
      i = stringEnd(text, i);
      continue;
    }
    if (ch === '`') {
      i += 2;
      continue;
    }
    if (ch === opener) depth++;
    else if (ch === close && --depth === 0) return i + 1;
    i++;
  }
  return text.length;
}

/**
 * PowerShell as it runs a script: the engine start (400), the script block (4104), one
 * module-logging event (4103) per cmdlet, and a process for each native program, Start-Process
 * and WMI Win32_Process.Create. Aliases that shadow programs in Windows PowerShell 5.1
 * (`sc` = Set-Content, `curl` = Invoke-WebRequest, `start`, `where`, `sort` …) are not programs.
 */
import { isKnownProgram } from '../binaries.ts';
import { launchCommandLine, launchWindows, resolveWindowsImage, startViaWmi } from '../launch.ts';
import { launchUnix } from './posix.ts';
import { psStatements, type PsToken } from './pslex.ts';
import { powershellRegistryWrite } from '../registry.ts';
import { engineStart, nested, pipelineExecution, registryValueSet, scriptBlock, type Proc, type Trace } from '../trace.ts';
import { quoteWindowsArg } from './winargs.ts';
import { accountCreated, logCleared } from '../windows-logs.ts';
import { isThisComputer } from '../host.ts';
import { downloadAndRunUrls, noteFunctions, noteMissing, payloadAt, runLoadedPowerShell } from '../loaded.ts';
import { recordCopy } from '../copies.ts';
import { addTypeCompiles, compileCSharp, serviceInstalled, servicesOf, startService } from '../followers.ts';

/** Default aliases of Windows PowerShell 5.1 (the ones tests use), to their cmdlets. */
const ALIASES: Record<string, string> = {
  '%': 'ForEach-Object',
  '?': 'Where-Object',
  ac: 'Add-Content',
  cat: 'Get-Content',
  cd: 'Set-Location',
  chdir: 'Set-Location',
  clc: 'Clear-Content',
  clear: 'Clear-Host',
  cls: 'Clear-Host',
  copy: 'Copy-Item',
  cp: 'Copy-Item',
  cpi: 'Copy-Item',
  curl: 'Invoke-WebRequest',
  del: 'Remove-Item',
  dir: 'Get-ChildItem',
  echo: 'Write-Output',
  erase: 'Remove-Item',
  foreach: 'ForEach-Object',
  gc: 'Get-Content',
  gci: 'Get-ChildItem',
  gcm: 'Get-Command',
  gi: 'Get-Item',
  gp: 'Get-ItemProperty',
  gps: 'Get-Process',
  gsv: 'Get-Service',
  gwmi: 'Get-WmiObject',
  icm: 'Invoke-Command',
  iex: 'Invoke-Expression',
  ipmo: 'Import-Module',
  irm: 'Invoke-RestMethod',
  iwmi: 'Invoke-WmiMethod',
  iwr: 'Invoke-WebRequest',
  kill: 'Stop-Process',
  ls: 'Get-ChildItem',
  md: 'New-Item',
  mkdir: 'New-Item',
  mi: 'Move-Item',
  move: 'Move-Item',
  mv: 'Move-Item',
  ni: 'New-Item',
  popd: 'Pop-Location',
  ps: 'Get-Process',
  pushd: 'Push-Location',
  pwd: 'Get-Location',
  rd: 'Remove-Item',
  ren: 'Rename-Item',
  ri: 'Remove-Item',
  rm: 'Remove-Item',
  rmdir: 'Remove-Item',
  rni: 'Rename-Item',
  rp: 'Remove-ItemProperty',
  saps: 'Start-Process',
  sc: 'Set-Content',
  select: 'Select-Object',
  set: 'Set-Variable',
  sl: 'Set-Location',
  sleep: 'Start-Sleep',
  sort: 'Sort-Object',
  sp: 'Set-ItemProperty',
  spps: 'Stop-Process',
  start: 'Start-Process',
  sv: 'Set-Variable',
  tee: 'Tee-Object',
  fl: 'Format-List',
  ft: 'Format-Table',
  fw: 'Format-Wide',
  gdr: 'Get-PSDrive',
  gm: 'Get-Member',
  gv: 'Get-Variable',
  measure: 'Measure-Object',
  group: 'Group-Object',
  compare: 'Compare-Object',
  diff: 'Compare-Object',
  gal: 'Get-Alias',
  ghy: 'Get-History',
  h: 'Get-History',
  r: 'Invoke-History',
  rv: 'Remove-Variable',
  sal: 'Set-Alias',
  si: 'Set-Item',
  ise: 'powershell_ise.exe',
  gjb: 'Get-Job',
  rjb: 'Remove-Job',
  sajb: 'Start-Job',
  wjb: 'Wait-Job',
  nv: 'New-Variable',
  oh: 'Out-Host',
  ogv: 'Out-GridView',
  epal: 'Export-Alias',
  ipal: 'Import-Alias',
  type: 'Get-Content',
  wget: 'Invoke-WebRequest',
  where: 'Where-Object',
  write: 'Write-Output',
};

const KEYWORDS = new Set([
  'if',
  'elseif',
  'else',
  'foreach',
  'for',
  'while',
  'do',
  'until',
  'switch',
  'try',
  'catch',
  'finally',
  'trap',
  'begin',
  'process',
  'end',
  'return',
  'throw',
  'exit',
  'break',
  'continue',
]);
const SKIP_STATEMENT = new Set(['function', 'filter', 'class', 'param', 'enum', 'using', 'workflow', 'configuration']);

const NATIVE_EXTENSION = /\.(exe|com|bat|cmd|msc|cpl|vbs|js|hta)$/i;

type Vars = Map<string, string>;

/** powershell.exe's own command line: switches, then -Command / -EncodedCommand / a bare command. */
export function runPowerShellArgs(trace: Trace, args: string[], proc: Proc, origin: string): void {
  engineStart(trace, proc, origin);
  const script = scriptFromArgs(args);
  if (script !== undefined && script.trim() !== '') return runPowerShell(trace, script, proc, origin);
  const file = fileFromArgs(args);
  if (file) runScriptFile(trace, file, proc, `${origin}: -File`);
}

/** The script of `-File <path>` (the arguments after it are the script's). */
function fileFromArgs(args: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!/^[-/\u2013\u2014\u2015]/.test(arg)) return undefined;
    const name = arg.slice(1).toLowerCase();
    if (name.length > 0 && 'file'.startsWith(name)) return args[i + 1];
    if (VALUE_SWITCHES.some((v) => v.startsWith(name) || v === name) || name === 'w' || name === 'ex' || name === 'v') i++;
  }
  return undefined;
}

/** A script file run, dot-sourced or imported: its text from the payload store, or a note that it is missing. */
function runScriptFile(trace: Trace, file: string, host: Proc, origin: string): void {
  const found = payloadAt(trace, file);
  if (found.missing) noteMissing(trace, found.missing);
  if (found.payload) runLoadedPowerShell(trace, found.payload, origin, file, (script, where) => runStatements(trace, script, host, where, new Map()));
}

/** An installed module PowerShell imports (explicitly or to find one of its cmdlets): its loader, then each script it dot-sources. */
function loadModule(trace: Trace, name: string, host: Proc, origin: string): void {
  const module = trace.sim.payloads.module(name);
  if (!module) return;
  const base = `C:\\Program Files\\WindowsPowerShell\\Modules\\${module.name}\\`;
  for (const payload of module.files) {
    const inModule = payload.file.replace(/^payloads\/modules\/[^/]+\//, '').replace(/\//g, '\\');
    runLoadedPowerShell(trace, payload, `${origin}: module ${module.name}`, base + inModule, (script, where) =>
      runStatements(trace, script, host, where, new Map()),
    );
  }
}

const VALUE_SWITCHES = [
  'executionpolicy',
  'ep',
  'windowstyle',
  'version',
  'inputformat',
  'outputformat',
  'configurationname',
  'psconsolefile',
  'workingdirectory',
  'wd',
  'settingsfile',
  'custompipename',
];

/** The script text powershell.exe runs, or undefined (`-File`, interactive). */
export function scriptFromArgs(args: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!/^[-/\u2013\u2014\u2015]/.test(arg)) return args.slice(i).join(' ');
    const name = arg.slice(1).toLowerCase().replace(/:.*$/, '');
    if (name === '') return args.slice(i + 1).join(' ');
    if ('command'.startsWith(name) && name !== 'co') return args.slice(i + 1).join(' ');
    if (name === 'co' || name === 'cmd') return args.slice(i + 1).join(' ');
    if ('encodedcommand'.startsWith(name) || name === 'ec' || name === 'enc') return decodeEncoded(args[i + 1] ?? '');
    if ('file'.startsWith(name)) return undefined;
    if (VALUE_SWITCHES.some((v) => v.startsWith(name) || v === name) || name === 'w' || name === 'ex' || name === 'v') i++;
  }
  return undefined;
}

function decodeEncoded(b64: string): string {
  return Buffer.from(b64, 'base64').toString('utf16le');
}

/** Runs a script inside `host` (a powershell.exe process), one script block. */
function runPowerShell(trace: Trace, script: string, host: Proc, origin: string, vars: Vars = new Map()): void {
  nested(trace, () => {
    scriptBlock(trace, script, origin);
    runStatements(trace, script, host, origin, vars);
  });
}

/** The statements of a script, run in `host` (the script block itself already logged). */
function runStatements(trace: Trace, script: string, host: Proc, origin: string, vars: Vars): void {
  noteFunctions(trace, script);
  startWmiProcesses(trace, script, vars, origin);
  downloadAndRun(trace, script, host, origin);
  for (const statement of psStatements(script)) runStatement(trace, statement, host, origin, vars);
}

/** `IEX (New-Object Net.WebClient).DownloadString(url)`, `iwr url | iex` …: the downloaded text runs in this session. */
function downloadAndRun(trace: Trace, script: string, host: Proc, origin: string): void {
  if (!/\b(iex|invoke-expression)\b/i.test(script)) return;
  const urlVars = new Map<string, string>();
  for (const m of script.matchAll(/\$(\w+)\s*=\s*["'](https?:\/\/[^"'\s]+)["']/gi)) urlVars.set(m[1]!.toLowerCase(), m[2]!);
  for (const line of script.split(/\r?\n/)) {
    for (const url of downloadAndRunUrls(line, urlVars)) {
      const payload = trace.sim.payloads.url(url);
      if (!payload) noteMissing(trace, url);
      else runLoadedPowerShell(trace, payload, `${origin}: Invoke-Expression ${url}`, '', (text, where) => runStatements(trace, text, host, where, new Map()));
    }
  }
}

function runStatement(trace: Trace, tokens: PsToken[], host: Proc, origin: string, vars: Vars): void {
  let k = 0;
  while (k < tokens.length && tokens[k]!.kind === 'word' && KEYWORDS.has(tokens[k]!.text.toLowerCase())) {
    k++;
    if (tokens[k - 1]!.text.toLowerCase() === 'catch') while (tokens[k]?.text.startsWith('[')) k++;
  }
  const first = tokens[k];
  if (!first) return;
  if (first.kind === 'word' && SKIP_STATEMENT.has(first.text.toLowerCase())) return;
  // $x = value / [type]$x = value / $x += value
  if (first.kind === 'word' && /^(\[[^\]]*\])*\$[\w:{}]+$/.test(first.text) && (tokens[k + 1]?.text === '=' || tokens[k + 1]?.text === '+=')) {
    if (tokens.length === k + 3 && tokens[k + 1]!.text === '=' && tokens[k + 2]!.kind !== 'op') {
      // Assigned different values (in branches of an if): which one holds is unknown.
      const key = variableName(first.text);
      const value = tokenText(tokens[k + 2]!, trace, vars);
      const before = vars.get(key);
      // Alternatives for one program (`…\Program Files\…\msedge.exe` or `…(x86)\…\msedge.exe`, T1218 #15) keep the first.
      const sameProgram = (a: string, b: string) => /\.exe$/i.test(a) && a.split('\\').pop()!.toLowerCase() === b.split('\\').pop()!.toLowerCase();
      vars.set(key, before === undefined || before === value || sameProgram(before, value) ? (before ?? value) : `$${key}`);
    }
    k += 2;
  }
  let call = false;
  if (tokens[k]?.kind === 'op' && (tokens[k]!.text === '&' || tokens[k]!.text === '.')) {
    call = true;
    k++;
  }
  const commandToken = tokens[k];
  if (!commandToken || commandToken.kind === 'op') return;
  let name: string;
  if (commandToken.kind === 'string') {
    if (!call) return;
    name = tokenText(commandToken, trace, vars);
  } else if (commandToken.text.startsWith('$')) {
    if (!call) return;
    // `& $env:SYSTEMROOT\system32\runonce.exe` (T1547.014): a path built from a variable.
    const value = /^\$\{?env:/i.test(commandToken.text) ? expandPs(commandToken.text, trace, vars) : vars.get(variableName(commandToken.text));
    if (value === undefined || /\$/.test(value)) return;
    name = value;
  } else {
    if (/^[[\d\-@!+*/<>=.]/.test(commandToken.text) && !/^\.\.?[\\/]/.test(commandToken.text)) return;
    name = expandPs(commandToken.text, trace, vars);
  }
  const args = tokens.slice(k + 1);
  // `Start = '0x10'` inside @{ … } (PowerUp.ps1): a hashtable key, not a command.
  if (args[0]?.kind === 'op' && args[0].text === '=') return;
  // A script file (`.\x.ps1`, `& "…\x.ps1"`, `. x.ps1`) runs in this session.
  if (/\.ps1$/i.test(name) && (call || /[\\/]/.test(name))) return runScriptFile(trace, name, host, `${origin}: ${name}`);
  // Resolution order of PowerShell: aliases, then functions/cmdlets, then programs on PATH.
  const alias = ALIASES[name.toLowerCase()];
  // `ise` is an alias of a program (powershell_ise.exe, on PATH), not of a cmdlet: PowerShell starts it.
  if (alias && NATIVE_EXTENSION.test(alias)) return runNative(trace, alias, args, host, origin, vars);
  if (alias) return runCmdlet(trace, alias, args, host, origin, vars);
  if (isNative(name, trace)) return runNative(trace, name, args, host, origin, vars);
  // A cmdlet of an installed module: PowerShell imports the module first (module auto-loading).
  const module = trace.sim.payloads.moduleOf(name);
  if (module) loadModule(trace, module, host, origin);
  if (/^[a-z]+-[a-z0-9_]+$/i.test(name)) return runCmdlet(trace, name, args, host, origin, vars);
  if (call || isUnknownProgram(trace, name, args)) runNative(trace, name, args, host, origin, vars);
}

/** PowerShell runs `Get-<word>` when no command has the name: `Item`, `Variable`, `Process` … are cmdlets. */
const GET_NOUNS = new Set(
  'item itemproperty variable process service childitem content date location host command help random member alias acl credential culture event eventlog filehash history job module psdrive psprovider uiculture unique verb wmiobject ciminstance computerinfo hotfix localuser localgroup netadapter nettcpconnection scheduledtask smbshare volume disk partition'.split(
    ' ',
  ),
);

const NOT_COMMANDS = new Set([...KEYWORDS, 'default', 'in', 'data', 'dynamicparam', 'parallel', 'sequence', 'inlinescript']);

/**
 * A plain word PowerShell finds on PATH (`procdump -ma lsass`): a program, unless a function of
 * the run defines it, or a payload the run lacks might (its functions are unknown), or it is a
 * hashtable key (`Name = …`).
 */
function isUnknownProgram(trace: Trace, name: string, args: PsToken[]): boolean {
  if (trace.host.os !== 'windows' || !/^[a-z_][\w.]*$/i.test(name) || NOT_COMMANDS.has(name.toLowerCase()) || GET_NOUNS.has(name.toLowerCase())) return false;
  if (args[0]?.kind === 'op' && args[0].text === '=') return false;
  if (trace.sim.functions?.has(name.toLowerCase()) || trace.sim.notes.length > 0) return false;
  return true;
}

function isNative(name: string, trace: Trace): boolean {
  // pwsh on Linux/macOS: any plain word that is not a cmdlet or alias is a program on PATH.
  if (trace.host.os !== 'windows') return /^[\w./~-]+$/.test(name) && !KEYWORDS.has(name.toLowerCase());
  if (NATIVE_EXTENSION.test(name) || /[\\/]/.test(name)) return !/\.ps1$/i.test(name);
  return isKnownProgram(name, trace.host.os);
}

function variableName(text: string): string {
  return text
    .replace(/^(\[[^\]]*\])*\$/, '')
    .replace(/^\{|\}$/g, '')
    .toLowerCase();
}

/** `$env:X`, `${env:X}` from the host; `$x`, `${x}` from literal assignments seen so far. */
function expandPs(text: string, trace: Trace, vars: Vars): string {
  return text
    .replace(/\$\{env:([^}]+)\}|\$env:([A-Za-z_][\w]*)/gi, (whole, a?: string, b?: string) => trace.host.env[(a ?? b ?? '').toUpperCase()] ?? whole)
    .replace(/\$\{([^}]+)\}|\$([A-Za-z_]\w*)/g, (whole, a?: string, b?: string) => vars.get((a ?? b ?? '').toLowerCase()) ?? whole);
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', a: '\x07', b: '\b', e: '\x1b', f: '\f', v: '\v' };

function tokenText(token: PsToken, trace: Trace, vars: Vars): string {
  if (token.kind === 'op') return token.text;
  if (token.kind === 'word') return expandPs(token.text, trace, vars);
  if (!token.expandable) return token.value;
  const protectedDollar = token.value.replace(/`\$/g, '\u0000');
  return expandPs(protectedDollar, trace, vars)
    .replace(/`(.)/g, (_, c: string) => ESCAPES[c] ?? c)
    .replace(/\u0000/g, '$');
}

/** A native program: PowerShell starts it with the resolved path quoted and re-quotes arguments. */
function runNative(trace: Trace, name: string, args: PsToken[], host: Proc, origin: string, vars: Vars): void {
  if (/^\$[\w:{}]+(\.exe)?$|^[=_]$/i.test(name)) return; // which program runs is unknown
  const argv = withoutRedirections(args)
    .filter((t) => !(t.kind === 'op' && t.text === ','))
    .map((t) => tokenText(t, trace, vars));
  const where = `${origin}: ${name} ${argv.join(' ')}`.trimEnd();
  if (trace.host.os !== 'windows') {
    launchUnix(trace, [name, ...argv], host, where);
    return;
  }
  const image = resolveWindowsImage(name, trace).image;
  const commandLine = [`"${image}"`, ...argv.map(quoteWindowsArg)].join(' ');
  launchWindows(trace, { program: name, commandLine, parent: host, origin: where });
}

/** `> file`, `2>&1`, `*>> file` are PowerShell's, not the program's arguments. */
function withoutRedirections(args: PsToken[]): PsToken[] {
  const out: PsToken[] = [];
  for (let i = 0; i < args.length; i++) {
    const t = args[i]!;
    const redirect = t.kind === 'word' ? /^(\d|\*)?>>?(&\d)?(.*)$/.exec(t.text) : null;
    if (!redirect) {
      out.push(t);
      continue;
    }
    if (!redirect[2] && !redirect[3]) i++; // the target is the next token
  }
  return out;
}

interface Parameters {
  /** By lower-cased name as typed (possibly abbreviated). */
  named: Map<string, PsToken[]>;
  /** The names as typed, for display. */
  spelled: Map<string, string>;
  positional: PsToken[][];
}

/** `-Name value`, `-Name:value`, switches; values may be comma lists (`"a","b"`). */
function parseParameters(args: PsToken[]): Parameters {
  const named = new Map<string, PsToken[]>();
  const spelled = new Map<string, string>();
  const positional: PsToken[][] = [];
  let i = 0;
  const readValue = (): PsToken[] => {
    const value: PsToken[] = [];
    while (i < args.length) {
      const t = args[i]!;
      if (value.length > 0 && !(args[i - 1]?.kind === 'op' && args[i - 1]!.text === ',') && !(t.kind === 'op' && t.text === ',')) break;
      if (t.kind === 'word' && /^-[A-Za-z]/.test(t.text) && value.length === 0) break;
      value.push(t);
      i++;
    }
    return value.filter((t) => !(t.kind === 'op' && t.text === ','));
  };
  while (i < args.length) {
    const t = args[i]!;
    const param = t.kind === 'word' ? /^-([A-Za-z][\w]*)(:(.*))?$/.exec(t.text) : null;
    if (param) {
      i++;
      const key = param[1]!.toLowerCase();
      spelled.set(key, param[1]!);
      if (param[2] !== undefined) named.set(key, param[3] ? [{ kind: 'word', text: param[3] }] : readValue());
      else named.set(key, readValue());
    } else {
      const value = readValue();
      if (value.length === 0) i++;
      else positional.push(value);
    }
  }
  return { named, spelled, positional };
}

/** The value of a parameter given by any unambiguous prefix or alias, else the positional one. */
function param(p: Parameters, names: string[], position?: number): PsToken[] | undefined {
  for (const [key, value] of p.named) if (names.some((n) => n.startsWith(key))) return value;
  return position === undefined ? undefined : p.positional[position];
}

type CmdletHandler = (trace: Trace, p: Parameters, host: Proc, origin: string, vars: Vars) => void;

const HANDLERS: Record<string, CmdletHandler> = {
  'start-process': (trace, p, host, origin, vars) => {
    const file = param(p, ['filepath', 'path', 'pspath'], 0);
    if (!file?.[0]) return;
    const program = tokenText(file[0], trace, vars);
    if (/^\$[\w:{}]+$/.test(program)) return; // a variable whose value is unknown
    const argList = (param(p, ['argumentlist', 'args'], 1) ?? []).map((t) => tokenText(t, trace, vars)).join(' ');
    const runAs = (param(p, ['verb']) ?? []).some((t) => /^runas$/i.test(tokenText(t, trace, vars)));
    const where = `${origin}: Start-Process ${program} ${argList}`.trimEnd();
    if (trace.host.os !== 'windows') return void launchUnix(trace, [program, ...argList.split(' ').filter(Boolean)], host, where);
    const image = resolveWindowsImage(program, trace).image;
    const commandLine = argList ? `"${image}" ${argList}` : `"${image}"`;
    launchWindows(trace, { program, commandLine, parent: host, origin: where, integrityLevel: runAs ? 'High' : undefined });
  },
  'clear-eventlog': (trace, p, _host, origin, vars) => {
    // Positional: LogName, then ComputerName (the first positional when LogName is named).
    if (remoteComputer(p, trace, vars, param(p, ['logname']) === undefined ? 1 : 0)) return;
    for (const token of param(p, ['logname'], 0) ?? []) logCleared(trace, tokenText(token, trace, vars), `${origin}: Clear-EventLog`);
  },
  'new-localuser': (trace, p, _host, origin, vars) => {
    const name = param(p, ['name'], 0);
    if (name?.length === 1) accountCreated(trace, tokenText(name[0]!, trace, vars), `${origin}: New-LocalUser`);
  },
  'invoke-expression': (trace, p, host, origin, vars) => {
    const command = param(p, ['command'], 0);
    if (command?.length === 1 && command[0]!.kind === 'string')
      runPowerShell(trace, tokenText(command[0]!, trace, vars), host, `${origin}: Invoke-Expression`, vars);
  },
  'import-module': (trace, p, host, origin, vars) => {
    const name = param(p, ['name', 'fullyqualifiedname'], 0)
      ?.map((t) => tokenText(t, trace, vars))
      .join('');
    if (!name) return;
    if (/\.(ps1|psm1)$/i.test(name) || /[\\/]/.test(name)) runScriptFile(trace, name, host, `${origin}: Import-Module ${name}`);
    else loadModule(trace, name, host, origin);
  },
  'add-type': (trace, p, host, origin, vars) => {
    if (addTypeCompiles(new Set(p.named.keys()), p.positional[0]?.map((t) => tokenText(t, trace, vars)).join('')))
      compileCSharp(trace, host, `${origin}: Add-Type`);
  },
  'new-service': (trace, p, _host, origin, vars) => {
    const name = param(p, ['name', 'servicename'], 0)
      ?.map((t) => tokenText(t, trace, vars))
      .join('');
    const binPath = param(p, ['binarypathname', 'path'], 1)
      ?.map((t) => tokenText(t, trace, vars))
      .join('');
    if (!name || !binPath) return;
    servicesOf(trace).set(name.toLowerCase(), { binPath, kernel: false });
    const auto = (param(p, ['startuptype']) ?? []).some((t) => /^automatic/i.test(tokenText(t, trace, vars)));
    serviceInstalled(trace, name, binPath, 'user mode service', auto ? 'auto start' : 'demand start', `${origin}: New-Service`);
  },
  'copy-item': (trace, p, _host, _origin, vars) => copyItem(trace, p, vars),
  'move-item': (trace, p, _host, _origin, vars) => copyItem(trace, p, vars),
  'start-service': (trace, p, _host, origin, vars) => {
    const name = param(p, ['name', 'servicename'], 0)
      ?.map((t) => tokenText(t, trace, vars))
      .join('');
    if (name) startService(trace, name, origin, { launchCommandLine });
  },
  'set-itemproperty': (trace, p, host, origin, vars) => registryWrite(trace, p, host, origin, vars, 2),
  'new-itemproperty': (trace, p, host, origin, vars) => registryWrite(trace, p, host, origin, vars, undefined),
  'invoke-wmimethod': (trace, p, _host, origin, vars) => {
    const cls =
      param(p, ['class', 'path'], 0)
        ?.map((t) => tokenText(t, trace, vars))
        .join('') ?? '';
    const method =
      param(p, ['name'], 1)
        ?.map((t) => tokenText(t, trace, vars))
        .join('') ?? '';
    const commandLine = param(p, ['argumentlist'])?.[0];
    if (/win32_process/i.test(cls) && /^create$/i.test(method) && commandLine) startViaWmi(trace, tokenText(commandLine, trace, vars), origin);
  },
};

function copyItem(trace: Trace, p: Parameters, vars: Vars): void {
  const text = (tokens: PsToken[] | undefined) => (tokens?.length === 1 ? tokenText(tokens[0]!, trace, vars) : undefined);
  const from = text(param(p, ['path', 'literalpath'], 0));
  const to = text(param(p, ['destination'], 1));
  if (from && to && !/\$/.test(from + to)) recordCopy(trace, from, to, (name) => resolveWindowsImage(name, trace).image);
}

/** `-ComputerName` (or the parameter at `position`) naming another machine than this one. */
function remoteComputer(p: Parameters, trace: Trace, vars: Vars, position?: number): boolean {
  const names = (param(p, ['computername', 'cn'], position) ?? []).map((t) => tokenText(t, trace, vars).toLowerCase());
  return names.some((n) => n !== '$env:computername' && !isThisComputer(trace.host, n));
}

function registryWrite(trace: Trace, p: Parameters, host: Proc, origin: string, vars: Vars, valuePosition: number | undefined): void {
  const text = (tokens: PsToken[] | undefined) => tokens?.map((t) => tokenText(t, trace, vars)).join(',');
  const path = text(param(p, ['path', 'literalpath', 'pspath'], 0));
  const valueTokens = param(p, ['value'], valuePosition);
  if (path === undefined || valueTokens === undefined) return;
  const value = text(valueTokens)!;
  const isNumber = valueTokens.length === 1 && valueTokens[0]!.kind === 'word' && /^-?(\d+|0x[0-9a-f]+)$/i.test(value);
  const write = powershellRegistryWrite(path, text(param(p, ['name'], 1)), value, isNumber, text(param(p, ['propertytype', 'type'])));
  if (write) registryValueSet(trace, host, write.targetObject, write.details, `${origin}: ${path}`);
}

function runCmdlet(trace: Trace, cmdlet: string, args: PsToken[], host: Proc, origin: string, vars: Vars): void {
  const p = parseParameters(args);
  const named: [string, string][] = [...p.named].map(([k, v]) => [p.spelled.get(k) ?? k, v.map((t) => tokenText(t, trace, vars)).join(', ')]);
  pipelineExecution(trace, host, cmdlet, named, `${origin}: ${cmdlet}`);
  HANDLERS[cmdlet.toLowerCase()]?.(trace, p, host, origin, vars);
}

/**
 * Win32_Process.Create through `Invoke-CimMethod … -Arguments @{CommandLine = '…'}`,
 * `([wmiclass]'win32_process').Create('…')` and the like: spotted in the script text, because
 * the hashtable and method-call forms are expressions rather than commands.
 */
function startWmiProcesses(trace: Trace, script: string, vars: Vars, origin: string): void {
  const pattern = /win32_process\b[^\n]{0,200}?(?:CommandLine\s*=\s*|\.Create\(\s*)(["'])([^"'\n]+)\1/gi;
  for (const m of script.matchAll(pattern)) {
    if (/invoke-wmimethod|iwmi\b/i.test(m[0])) continue; // the cmdlet handler covers it
    startViaWmi(trace, expandPs(m[2]!, trace, vars), `${origin}: Win32_Process.Create`);
  }
}

/**
 * The record of what a test would do on the host: processes started (with their parents) and
 * the log events each action produces, shaped as Sysmon, PowerShell logging and auditd write
 * them. Parsers of cmd, PowerShell and sh report actions here; this module owns event layout.
 */
import type { Host } from './host.ts';
import type { SigmaEvent } from '../match/event.ts';
import { peMetadataOf, type PeMetadata } from './binaries.ts';
import { PayloadStore, type Payload } from './payload-store.ts';
import { scriptBlockPartLines, scriptBlockParts, type ScriptBlockPart } from './scriptblock.ts';
import type { Simulation } from './loaded.ts';
import { splitWindowsArgs } from './shells/winargs.ts';

export interface EventSource {
  product: string;
  category?: string;
  service?: string;
}

export interface SynthesisedEvent {
  logsource: EventSource;
  fields: SigmaEvent;
  /** What produced it, for the explanation (e.g. "cmd.exe /c line 2: net use"). */
  origin: string;
  /** For text loaded from a payload: its file and the line the event's text starts on. */
  source?: { file: string; line: number };
}

export interface Proc {
  image: string;
  commandLine: string;
  /** argv as the program receives it (Linux/macOS auditd records). */
  argv?: string[];
  originalFileName?: string;
  /** Version information when it is not the image's own (a renamed copy of another program). */
  pe?: PeMetadata;
  user: string;
  integrityLevel?: string;
  cwd: string;
  parent?: Proc;
}

/** Collects events; `depth` bounds nesting (cmd /c cmd /c …, iex of iex …). */
export interface Trace {
  host: Host;
  events: SynthesisedEvent[];
  depth: number;
  /** Payloads the run can load, and what it noted missing. */
  sim: Simulation;
  /** The payload file and line being run (a batch file's line), given to the events it causes. */
  loading?: { file: string; line: number };
}

const MAX_DEPTH = 8;

export function newTrace(host: Host, sim?: Simulation): Trace {
  return { host, events: [], depth: 0, sim: sim ?? { payloads: PayloadStore.empty(), downloads: new Map(), notes: [], loaded: new Set() } };
}

/** Runs `body` one nesting level deeper, or not at all past MAX_DEPTH. */
export function nested(trace: Trace, body: () => void): void {
  if (trace.depth >= MAX_DEPTH) return;
  trace.depth++;
  try {
    body();
  } finally {
    trace.depth--;
  }
}

/** Sysmon's LogonId: the well-known service logon sessions, and one session for the test's user (another for its elevated token). */
function logonId(user: string, integrity: string | undefined): string {
  const u = user.toUpperCase();
  if (u === 'NT AUTHORITY\\SYSTEM') return '0x3e7';
  if (u === 'NT AUTHORITY\\NETWORK SERVICE') return '0x3e4';
  if (u === 'NT AUTHORITY\\LOCAL SERVICE') return '0x3e5';
  return integrity === 'High' ? '0x2c5e4a' : '0x2c5e1f';
}

/** Links to one program whatever the system: the kmod tools, systemd's power commands. */
const LINKED: Record<string, string> = {
  ...Object.fromEntries(['insmod', 'rmmod', 'lsmod', 'modprobe', 'depmod', 'modinfo'].map((n) => [n, '/usr/bin/kmod'])),
  ...Object.fromEntries(['reboot', 'shutdown', 'halt', 'poweroff', 'telinit', 'runlevel'].map((n) => [n, '/usr/bin/systemctl'])),
};
/**
 * Programs that are links to one of several programs (alternatives, versioned names) or scripts run
 * by an interpreter on common distributions: their `exe` is not theirs (checked with `readlink -f`
 * and `file` on Debian 12).
 */
const INDIRECT = new Set(
  (
    'sh rbash python python3 pip pip3 perl awk nawk which service vi vim view ex editor pager nc netcat telnet java gcc cc c++ ' +
    'iptables ip6tables pwsh egrep fgrep gunzip zcat zgrep zless ldd lsb_release adduser deluser addgroup delgroup update-rc.d ufw ' +
    'systemd-resolve x-terminal-emulator x-www-browser www-browser'
  ).split(' '),
);

/**
 * auditd's `exe` for a program started: the file the kernel runs, with /usr merged (`/bin/cat` is
 * `/usr/bin/cat`) and known links resolved (`insmod` is `/usr/bin/kmod`). Undefined outside the
 * system's program folders (a file elsewhere may be a script, whose `exe` is its interpreter), for
 * names no packaged program has (`Write-Host`, `--count`), for scripts (`*.py`, `*.sh` …) and for
 * links whose target differs between systems: an `exe` we cannot know is not invented.
 */
export function auditedExe(image: string): string | undefined {
  const name = /^\/(?:usr\/)?(?:local\/)?s?bin\/([^/]+)$/.exec(image)?.[1];
  if (!name || !/^[a-z0-9][a-z0-9._+-]*$/.test(name) || /\.(py|sh|pl|rb|bash)$/.test(name) || INDIRECT.has(name)) return undefined;
  return LINKED[name] ?? (image.startsWith('/usr/') ? image : `/usr${image}`);
}

/** Records a process start: Sysmon 1 on Windows; Sysmon for Linux 1 + auditd SYSCALL (system programs) and EXECVE on Linux; ESF exec on macOS. */
export function startProcess(trace: Trace, proc: Omit<Proc, 'user' | 'cwd'> & Partial<Pick<Proc, 'user' | 'cwd'>>, origin: string): Proc {
  const host = trace.host;
  const given = Object.fromEntries(Object.entries(proc).filter(([, v]) => v !== undefined)) as typeof proc;
  // A child runs as its parent's user and integrity (a service's children as SYSTEM).
  const full: Proc = { user: proc.parent?.user ?? host.user, cwd: host.cwd, integrityLevel: proc.parent?.integrityLevel ?? host.integrityLevel, ...given };
  if (host.os === 'windows') {
    const pe = full.pe ?? peMetadataOf(full.image);
    const fields: SigmaEvent = {
      EventID: 1,
      Image: full.image,
      OriginalFileName: full.originalFileName && !full.pe ? full.originalFileName : pe?.OriginalFileName,
      CommandLine: full.commandLine,
      CurrentDirectory: `${full.cwd}\\`,
      User: full.user,
      LogonId: logonId(full.user, full.integrityLevel),
      IntegrityLevel: full.integrityLevel,
      ParentImage: full.parent?.image,
      ParentCommandLine: full.parent?.commandLine,
      ParentUser: full.parent?.user,
      Description: pe?.Description,
      Product: pe?.Product,
      Company: pe?.Company,
    };
    trace.events.push({
      logsource: { product: 'windows', category: 'process_creation', service: 'sysmon' },
      fields,
      origin,
      ...(trace.loading ? { source: trace.loading } : {}),
    });
    return full;
  }
  const common: SigmaEvent = {
    Image: full.image,
    CommandLine: full.commandLine,
    CurrentDirectory: full.cwd,
    User: full.user,
    ParentImage: full.parent?.image,
    ParentCommandLine: full.parent?.commandLine,
  };
  if (host.os === 'linux') {
    trace.events.push({ logsource: { product: 'linux', category: 'process_creation' }, fields: { EventID: 1, ...common }, origin });
    const argv = full.argv ?? full.commandLine.split(' ');
    // The execve syscall's own record comes with its EXECVE record, naming the file the kernel runs.
    const exe = auditedExe(full.image);
    if (exe) {
      const comm = full.image.slice(full.image.lastIndexOf('/') + 1).slice(0, 15);
      trace.events.push({
        logsource: { product: 'linux', service: 'auditd' },
        fields: { type: 'SYSCALL', SYSCALL: 'execve', success: 'yes', exe, comm },
        origin,
      });
    }
    const execve: SigmaEvent = { type: 'EXECVE', argc: argv.length };
    argv.forEach((arg, i) => (execve[`a${i}`] = arg));
    trace.events.push({ logsource: { product: 'linux', service: 'auditd' }, fields: execve, origin });
  } else {
    trace.events.push({ logsource: { product: 'macos', category: 'process_creation' }, fields: common, origin });
  }
  return full;
}

const PS_VERSION = '5.1.19041.1';

/** PowerShell logs its host as `string.Join(" ", Environment.GetCommandLineArgs())`: quotes removed. */
function hostApplication(host: Proc): string {
  return splitWindowsArgs(host.commandLine).join(' ');
}

/**
 * PowerShell Operational 4104: the text of a script block as it is compiled, in parts when
 * large (simulate/scriptblock.ts).
 */
export function scriptBlock(trace: Trace, text: string, origin: string): void {
  if (trace.host.os !== 'windows') return;
  logScriptBlock(trace, scriptBlockParts(text), origin);
}

/**
 * A loaded payload's script block (4104): Path is the file on the host; each part names the
 * payload file and the line it starts on (for explanations). The parts are split once per payload.
 */
export function loadedScriptBlock(trace: Trace, payload: Payload, origin: string, hostPath: string): void {
  if (trace.host.os !== 'windows') return;
  const parts = (payload.derived.scriptBlocks ??= scriptBlockPartLines(payload.text));
  logScriptBlock(
    trace,
    parts.map((p) => p.part),
    origin,
    { path: hostPath, file: payload.file, lines: parts.map((p) => p.line) },
  );
}

function logScriptBlock(trace: Trace, parts: readonly ScriptBlockPart[], origin: string, loaded?: { path: string; file: string; lines: number[] }): void {
  parts.forEach((part, i) => {
    trace.events.push({
      logsource: { product: 'windows', category: 'ps_script', service: 'powershell' },
      fields: { EventID: 4104, MessageNumber: part.number, MessageTotal: part.total, ScriptBlockText: part.text, Path: loaded?.path ?? '' },
      origin: part.total > 1 ? `${origin} (part ${part.number} of ${part.total})` : origin,
      ...(loaded ? { source: { file: loaded.file, line: loaded.lines[i]! } } : {}),
    });
  });
}

/** Windows PowerShell 400: a PowerShell engine starting in `host` (HostApplication = its command line). */
export function engineStart(trace: Trace, host: Proc, origin: string): void {
  if (trace.host.os !== 'windows') return;
  const data = [
    'NewEngineState=Available',
    'PreviousEngineState=None',
    'SequenceNumber=13',
    'HostName=ConsoleHost',
    `HostVersion=${PS_VERSION}`,
    'HostId=00000000-0000-0000-0000-000000000000',
    `HostApplication=${hostApplication(host)}`,
    `EngineVersion=${PS_VERSION}`,
    'RunspaceId=00000000-0000-0000-0000-000000000000',
    'PipelineId=',
    'CommandName=',
    'CommandType=',
    'ScriptName=',
    'CommandPath=',
    'CommandLine=',
  ]
    .map((line) => `\t${line}`)
    .join('\r\n');
  trace.events.push({
    logsource: { product: 'windows', category: 'ps_classic_start', service: 'powershell-classic' },
    fields: { EventID: 400, Data: data },
    origin,
  });
}

/** PowerShell Operational 4103 (module logging): one cmdlet invocation with its named parameters. */
export function pipelineExecution(trace: Trace, host: Proc, cmdlet: string, parameters: [string, string][], origin: string): void {
  if (trace.host.os !== 'windows') return;
  const payload = [
    `CommandInvocation(${cmdlet}): "${cmdlet}"`,
    ...parameters.map(([name, value]) => `ParameterBinding(${cmdlet}): name="${name}"; value="${value}"`),
  ].join('\r\n');
  const context = [
    'Severity = Informational',
    'Host Name = ConsoleHost',
    `Host Version = ${PS_VERSION}`,
    `Host Application = ${hostApplication(host)}`,
    `Engine Version = ${PS_VERSION}`,
    `Command Name = ${cmdlet}`,
    'Command Type = Cmdlet',
    'Script Name = ',
    'Command Path = ',
    `User = ${trace.host.user}`,
    'Shell ID = Microsoft.PowerShell',
  ]
    .map((line) => `        ${line}`)
    .join('\r\n');
  trace.events.push({
    logsource: { product: 'windows', category: 'ps_module', service: 'powershell' },
    fields: { EventID: 4103, Payload: payload, ContextInfo: context },
    origin,
  });
}

/** Sysmon 13: a registry value written by `proc`. */
export function registryValueSet(trace: Trace, proc: Proc, targetObject: string, details: string, origin: string): void {
  if (trace.host.os !== 'windows') return;
  trace.events.push({
    logsource: { product: 'windows', category: 'registry_set', service: 'sysmon' },
    fields: { EventID: 13, EventType: 'SetValue', Image: proc.image, TargetObject: targetObject, Details: details, User: proc.user },
    origin,
  });
}

/**
 * Starting a Windows program from any shell: resolve its image, record the process, then follow
 * what the program itself does that a sensor would see (cmd runs its command, powershell its
 * script, net.exe starts net1.exe, reg.exe writes the registry, wmic starts a process through
 * WmiPrvSE …). Shells call this; it calls back into the shells for nesting.
 */
import { locateProgram, programName } from './binaries.ts';
import { cmdSyntaxError, runCmd } from './shells/cmd.ts';
import { expandPercentVariables, foldDots, isThisComputer } from './host.ts';
import { runPowerShellArgs } from './shells/powershell.ts';
import { parseRegAdd } from './registry.ts';
import { nested, registryValueSet, startProcess, type Proc, type Trace } from './trace.ts';
import { noteMissing, payloadAt } from './loaded.ts';
import { copiedMetadata } from './copies.ts';
import { followMsbuild, followMshta, followQuery, followSc, followSyncAppv, followUacHijack, mscHandler, startService, type Launcher } from './followers.ts';
import { argumentsText, isAbsoluteWindowsPath, splitWindowsArgs } from './shells/winargs.ts';
import { accountCreated, logCleared, taskCreated } from './windows-logs.ts';

export interface Launch {
  /** The program as written (name or path, quotes removed). */
  program: string;
  /** The new process's full command line. */
  commandLine: string;
  parent: Proc;
  origin: string;
  user?: string;
  integrityLevel?: string;
}

const SCRIPT_HOSTS: Record<string, string> = {
  '.vbs': 'wscript',
  '.vbe': 'wscript',
  '.js': 'wscript',
  '.jse': 'wscript',
  '.wsf': 'wscript',
  '.hta': 'mshta',
  '.msc': 'mmc',
  '.bat': 'cmd',
  '.cmd': 'cmd',
  '.msi': 'msiexec',
  '.cpl': 'control',
};

/** Extensions CreateProcess runs directly; a path without extension was given `.exe`. */
const EXECUTABLE = new Set(['.exe', '.com', '.scr', '.pif']);

/** The image a program word runs: a path as given (relative to the cwd), else a PATH lookup. */
export function resolveWindowsImage(program: string, trace: Trace): { image: string; originalFileName?: string } {
  const p = expandPercentVariables(program.replace(/^"|"$/g, ''), trace.host).replace(/\//g, '\\');
  if (!p.includes('\\')) return locateProgram(p, 'windows');
  const absolute = isAbsoluteWindowsPath(p) ? (p.startsWith('\\') && !p.startsWith('\\\\') ? `C:${p}` : p) : `${trace.host.cwd}\\${p.replace(/^\.\\/, '')}`;
  const image = /\.[a-z0-9]{1,4}$/i.test(absolute) ? absolute : `${absolute}.exe`;
  return { image: foldDots(image, '\\') }; // as the kernel reports the image
}

/** Starts the program and follows what it does; undefined when it starts no process. */
export function launchWindows(trace: Trace, launch: Launch): Proc | undefined {
  const resolved = resolveWindowsImage(launch.program, trace);
  const ext = /\.[a-z0-9]+$/i.exec(resolved.image)?.[0]?.toLowerCase() ?? '.exe';
  if (ext === '.ps1') return undefined; // opened in an editor from cmd; PowerShell runs it in-process
  const hostName = SCRIPT_HOSTS[ext];
  // Documents (.lnk, .url, .html, .docx …) open in whatever handler the machine has: unknown.
  if (!hostName && !EXECUTABLE.has(ext)) return undefined;
  if (hostName) {
    // ShellExecute hands documents to their host program — or to a verb the test planted.
    const planted = ext === '.msc' ? mscHandler(trace) : undefined;
    if (planted) return launchCommandLine(trace, planted, launch.parent, `${launch.origin}: the planted mscfile verb`);
    const hostImage = locateProgram(hostName, 'windows');
    const args = argumentsText(launch.commandLine);
    const commandLine =
      hostName === 'cmd'
        ? `C:\\Windows\\system32\\cmd.exe /c ""${resolved.image}" ${args}"`
        : `"${hostImage.image}"${hostName === 'msiexec' ? ' /i' : ''} "${resolved.image}" ${args}`.trimEnd();
    const proc = startProcess(
      trace,
      {
        image: hostImage.image,
        originalFileName: hostImage.originalFileName,
        commandLine,
        parent: launch.parent,
        user: launch.user,
        integrityLevel: launch.integrityLevel,
      },
      launch.origin,
    );
    if (hostName === 'cmd') runBatchFile(trace, resolved.image, proc, launch.origin);
    if (/\\SyncAppvPublishingServer\.vbs$/i.test(resolved.image))
      nested(trace, () => followSyncAppv(trace, proc, splitWindowsArgs(args).join(' '), launch.origin, LAUNCHER));
    return proc;
  }
  const pe = copiedMetadata(trace, resolved.image);
  const proc = startProcess(
    trace,
    {
      image: resolved.image,
      originalFileName: resolved.originalFileName,
      pe,
      commandLine: launch.commandLine,
      parent: launch.parent,
      user: launch.user,
      integrityLevel: launch.integrityLevel,
    },
    launch.origin,
  );
  nested(trace, () => followProgram(trace, proc, launch.origin));
  return proc;
}

/** A .bat/.cmd file from the store (atomics folder or a download) runs line by line in its cmd.exe. */
function runBatchFile(trace: Trace, image: string, cmd: Proc, origin: string): void {
  const found = payloadAt(trace, image);
  if (found.missing) noteMissing(trace, found.missing);
  if (!found.payload || trace.sim.loaded.has(found.payload.file)) return;
  trace.sim.loaded.add(found.payload.file);
  const outer = trace.loading;
  (found.payload.derived.lines ??= found.payload.text.split(/\r?\n/)).forEach((line, i) => {
    if (/^\s*(@?\s*rem\b|::|$)/i.test(line)) return;
    trace.loading = { file: found.payload!.file, line: i + 1 };
    runCmd(trace, line, cmd, `${origin} → ${found.payload!.file} line ${i + 1}`);
  });
  trace.loading = outer;
}

type Follower = (trace: Trace, proc: Proc, args: string[], origin: string) => void;

const FOLLOWERS: Record<string, Follower> = {
  cmd: (trace, proc, _args, origin) => {
    const body = cmdBody(argumentsText(proc.commandLine));
    if (body !== undefined && !cmdSyntaxError(body)) runCmd(trace, body, proc, origin);
  },
  powershell: (trace, proc, args, origin) => runPowerShellArgs(trace, args, proc, origin),
  pwsh: (trace, proc, args, origin) => runPowerShellArgs(trace, args, proc, origin),
  net: followNet,
  reg: (trace, proc, args, origin) => {
    const write = parseRegAdd(args);
    if (write) registryValueSet(trace, proc, write.targetObject, write.details, origin);
  },
  wmic: (trace, _proc, args, origin) => {
    const i = args.findIndex(
      (a, k) => a.toLowerCase() === 'create' && args[k - 1]?.toLowerCase() === 'call' && args.some((x) => x.toLowerCase() === 'process'),
    );
    const commandLine = i >= 0 ? args[i + 1] : undefined;
    if (commandLine && !remoteNode(trace, args)) startViaWmi(trace, commandLine, origin);
  },
  forfiles: (trace, proc, args, origin) => {
    const i = args.findIndex((a) => /^[/-]c$/i.test(a));
    const commandLine = i >= 0 ? args[i + 1] : undefined;
    if (commandLine) launchCommandLine(trace, commandLine, proc, origin);
  },
  query: followQuery,
  msbuild: followMsbuild,
  sc: (trace, _proc, args, origin) => followSc(trace, args, origin, LAUNCHER),
  schtasks: (trace, _proc, args, origin) => {
    const value = (name: string) => {
      const i = args.findIndex((a) => a.toLowerCase() === `/${name}` || a.toLowerCase() === `-${name}`);
      return i >= 0 ? args[i + 1] : undefined;
    };
    const name = value('tn');
    const command = value('tr');
    // `/s <host>` registers the task on another computer; `/xml <file>` takes a definition this run does not know.
    const host = value('s');
    const local = (host === undefined || isThisComputer(trace.host, host)) && value('xml') === undefined;
    if (args.some((a) => /^[/-]create$/i.test(a)) && name && command && local) taskCreated(trace, { name, command, user: value('ru') }, origin);
  },
  wevtutil: (trace, _proc, args, origin) => {
    // `/r:<host>` (`/remote:`) clears a log on another computer.
    const remote = args.some((a) => {
      const host = /^[/-](?:r|remote):(.*)$/i.exec(a)?.[1];
      return host !== undefined && !isThisComputer(trace.host, host);
    });
    if (/^(cl|clear-log)$/i.test(args[0] ?? '') && args[1] && !remote) logCleared(trace, args[1], origin);
  },
  mshta: (trace, proc, _args, origin) => followMshta(trace, proc, origin, LAUNCHER),
  fodhelper: (trace, proc, _args, origin) => followUacHijack(trace, proc, 'fodhelper', origin, LAUNCHER),
  computerdefaults: (trace, proc, _args, origin) => followUacHijack(trace, proc, 'computerdefaults', origin, LAUNCHER),
  sdclt: (trace, proc, _args, origin) => followUacHijack(trace, proc, 'sdclt', origin, LAUNCHER),
  eventvwr: (trace, proc, _args, origin) => followUacHijack(trace, proc, 'eventvwr', origin, LAUNCHER),
  pcalua: (trace, proc, args, origin) => {
    const i = args.findIndex((a) => /^[/-]a$/i.test(a));
    if (i >= 0 && args[i + 1])
      launchCommandLine(
        trace,
        args
          .slice(i + 1)
          .map((a) => (/\s/.test(a) ? `"${a}"` : a))
          .join(' '),
        proc,
        origin,
      );
  },
};

function followProgram(trace: Trace, proc: Proc, origin: string): void {
  const name = programName(proc.image, 'windows');
  FOLLOWERS[name]?.(trace, proc, splitWindowsArgs(argumentsText(proc.commandLine)), origin);
}

/**
 * cmd.exe's own reading of its command line: switches up to /c, /k or /r, then the command.
 * With the command starting with a quote, cmd strips that quote and the last one.
 */
export function cmdBody(args: string): string | undefined {
  const m = /^\s*((?:\/[a-z](?::\S*)?\s*)*?)\/[ckr]\s?/i.exec(args);
  if (!m) return undefined;
  const rest = args.slice(m[0].length);
  if (!rest.trimStart().startsWith('"')) return rest;
  const trimmed = rest.trimStart();
  // cmd keeps the quotes when there are exactly two around an executable's path.
  const quoted = /^"([^"]*)"/.exec(trimmed);
  if (quoted && (trimmed.match(/"/g) ?? []).length === 2 && /\.(exe|com|bat|cmd)$/i.test(quoted[1]!) && !/[&<>()@^|]/.test(quoted[1]!)) return trimmed;
  const last = trimmed.lastIndexOf('"');
  return last > 0 ? trimmed.slice(1, last) + trimmed.slice(last + 1) : trimmed.slice(1);
}

/** net.exe hands most subcommands to net1.exe (`C:\Windows\system32\net1  user …`). */
const NET1_SUBCOMMANDS = new Set([
  'accounts',
  'computer',
  'config',
  'continue',
  'file',
  'files',
  'group',
  'localgroup',
  'pause',
  'session',
  'sessions',
  'share',
  'start',
  'statistics',
  'stop',
  'user',
]);

function followNet(trace: Trace, proc: Proc, args: string[], origin: string): void {
  if (!NET1_SUBCOMMANDS.has(args[0]?.toLowerCase() ?? '')) return;
  startProcess(
    trace,
    {
      image: 'C:\\Windows\\System32\\net1.exe',
      commandLine: `C:\\Windows\\system32\\net1  ${argumentsText(proc.commandLine)}`,
      parent: proc,
      user: proc.user,
      integrityLevel: proc.integrityLevel,
    },
    origin,
  );
  // `net start <service>`: net1 asks the service control manager, which starts the service's binary.
  if (args[0]!.toLowerCase() === 'start' && args[1]) nested(trace, () => startService(trace, args.slice(1).join(' '), origin, LAUNCHER));
  // `net user <name> [password] /add`, the switch anywhere (not `/domain`: the account is then made on a domain controller).
  const switches = args.filter((a) => a.startsWith('/')).map((a) => a.toLowerCase());
  const name = args.slice(1).find((a) => !a.startsWith('/'));
  if (args[0]!.toLowerCase() === 'user' && name && switches.includes('/add') && !switches.some((s) => s.startsWith('/do'))) accountCreated(trace, name, origin);
}

/** `wmic /node:host …` acts on another machine unless the node is this one. */
function remoteNode(trace: Trace, args: string[]): boolean {
  const i = args.findIndex((a) => /^[/-]node:/i.test(a));
  if (i < 0) return false;
  return !isThisComputer(trace.host, (args[i]!.replace(/^[/-]node:/i, '') || args[i + 1] || '').replace(/"/g, ''));
}

const WMIPRVSE = 'C:\\Windows\\System32\\wbem\\WmiPrvSE.exe';

/** Win32_Process.Create: the new process is a child of the WMI provider host, not the caller. */
export function startViaWmi(trace: Trace, commandLine: string, origin: string): void {
  const provider: Proc = {
    image: WMIPRVSE,
    commandLine: `${WMIPRVSE} -secured -Embedding`,
    user: 'NT AUTHORITY\\NETWORK SERVICE',
    cwd: 'C:\\Windows\\system32',
  };
  // The provider impersonates the caller: the new process runs as the test's user.
  launchCommandLine(trace, commandLine, provider, origin, { user: trace.host.user, integrityLevel: trace.host.integrityLevel });
}

/** Starts a whole command line given as one string (CreateProcess style). */
export function launchCommandLine(
  trace: Trace,
  commandLine: string,
  parent: Proc,
  origin: string,
  extra: { user?: string; integrityLevel?: string } = {},
): Proc | undefined {
  const program = /^\s*(?:"([^"]*)"|(\S+))/.exec(commandLine);
  const name = program?.[1] ?? program?.[2];
  if (!name) return undefined;
  return launchWindows(trace, { program: name, commandLine: commandLine.trim(), parent, origin, ...extra });
}

const LAUNCHER: Launcher = { launchCommandLine };

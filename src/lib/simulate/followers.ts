/**
 * Programs that start other programs, beyond what their command line says. Each entry names
 * where its behaviour comes from; anything not certain starts nothing.
 */
import { payloadAt, noteMissing } from './loaded.ts';
import { normaliseKey } from './registry.ts';
import { startProcess, type Proc, type Trace } from './trace.ts';
import { argumentsText } from './shells/winargs.ts';

const FRAMEWORK = 'C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319';
const SERVICES = 'C:\\Windows\\System32\\services.exe';

/** Hooks back into launch.ts (kept as parameters so this module does not import it). */
export interface Launcher {
  launchCommandLine(trace: Trace, commandLine: string, parent: Proc, origin: string, extra?: { user?: string; integrityLevel?: string }): Proc | undefined;
}

/**
 * `query user|session|process` is a dispatcher: it runs quser.exe, qwinsta.exe or qprocess.exe
 * with the remaining arguments (Microsoft Learn, "query": "query user" = quser, "query session" =
 * qwinsta, "query process" = qprocess).
 */
export function followQuery(trace: Trace, proc: Proc, args: string[], origin: string): void {
  const target = ({ user: 'quser', session: 'qwinsta', process: 'qprocess' } as Record<string, string>)[args[0]?.toLowerCase() ?? ''];
  if (!target) return;
  const image = `C:\\Windows\\System32\\${target}.exe`;
  const rest = args.slice(1).join(' ');
  startProcess(
    trace,
    { image, commandLine: `"C:\\Windows\\system32\\${target}.exe" ${rest}`.trimEnd(), parent: proc, user: proc.user, integrityLevel: proc.integrityLevel },
    origin,
  );
}

/**
 * C# compiled through CodeDOM (PowerShell 5.1 `Add-Type` with source, MSBuild's CodeTaskFactory
 * inline tasks): .NET Framework's CSharpCodeProvider runs csc.exe on a response file in %TEMP%,
 * and csc runs cvtres.exe for the Win32 resources (Microsoft.CSharp.CSharpCodeProvider /
 * CodeCompiler.Compile; the pair is what Sigma's "Dynamic .NET Compilation Via Csc.EXE" and
 * "Csc.EXE Execution Form Potentially Suspicious Parent" rules observe). The random file names
 * are fixed here.
 */
export function compileCSharp(trace: Trace, parent: Proc, origin: string): void {
  const temp = trace.host.env['TEMP']!;
  const csc = startProcess(
    trace,
    {
      image: `${FRAMEWORK}\\csc.exe`,
      originalFileName: 'csc.exe',
      commandLine: `"${FRAMEWORK}\\csc.exe" /noconfig /fullpaths @"${temp}\\atlas0cs\\atlas0cs.cmdline"`,
      parent,
      user: parent.user,
      integrityLevel: parent.integrityLevel,
    },
    `${origin}: C# compiler`,
  );
  startProcess(
    trace,
    {
      image: `${FRAMEWORK}\\cvtres.exe`,
      originalFileName: 'CVTRES.EXE',
      commandLine: `${FRAMEWORK}\\cvtres.exe /NOLOGO /READONLY /MACHINE:IX86 "/OUT:${temp}\\RES0A7A.tmp" "${temp.replace(/^C:/, 'c:')}\\atlas0cs\\CSC3C1B2A9F4D2B4E6A8C1E5F7D9B3A2C4.TMP"`,
      parent: csc,
      user: parent.user,
      integrityLevel: parent.integrityLevel,
    },
    `${origin}: resource compiler`,
  );
}

/** `Add-Type` compiles when given source (-TypeDefinition, -MemberDefinition, a .cs -Path, or source as its first argument), not for -AssemblyName. */
export function addTypeCompiles(named: ReadonlySet<string>, firstPositional: string | undefined): boolean {
  const has = (full: string, min = 2) => [...named].some((n) => n.length >= min && full.startsWith(n));
  if (has('assemblyname', 2) || has('literalpath', 2)) return false;
  if (has('typedefinition', 1) || has('memberdefinition', 1)) return true;
  if (has('path', 2)) return false; // .cs files compile too, but a .dll path is the usual case
  return firstPositional !== undefined;
}

/** msbuild.exe with a project whose inline task is compiled by CodeTaskFactory (T1127.001). */
export function followMsbuild(trace: Trace, proc: Proc, args: string[], origin: string): void {
  const project = args.find((a) => !/^[/-]/.test(a));
  if (!project) return;
  const found = payloadAt(trace, project);
  if (found.missing) noteMissing(trace, found.missing);
  if (found.payload && /TaskFactory\s*=\s*"(Roslyn)?CodeTaskFactory"/i.test(found.payload.text)) compileCSharp(trace, proc, origin);
}

/** Services the test configured: name → binPath (sc create/config, New-Service). */
export function servicesOf(trace: Trace): Map<string, { binPath: string; kernel: boolean }> {
  return (trace.sim.services ??= new Map());
}

/**
 * `sc create|config <name> binPath= <cmd> [type= kernel]`: remembered for a later start, and a
 * new service is logged by the Service Control Manager as System 7045.
 */
export function followSc(trace: Trace, args: string[], origin: string, launcher: Launcher): void {
  const verb = args[0]?.toLowerCase();
  const name = args[1];
  if (!name) return;
  if (verb === 'create' || verb === 'config') {
    const option = (key: string) => {
      const i = args.findIndex((a) => a.toLowerCase() === `${key}=` || a.toLowerCase().startsWith(`${key}=`));
      if (i < 0) return undefined;
      const inline = args[i]!.slice(key.length + 1);
      return inline !== '' ? inline : args[i + 1];
    };
    const binPath = option('binpath');
    const type = option('type')?.toLowerCase();
    const kernel = type === 'kernel' || type === 'filesys';
    if (binPath) servicesOf(trace).set(name.toLowerCase(), { binPath, kernel });
    if (verb === 'create' && binPath)
      serviceInstalled(
        trace,
        name,
        binPath,
        kernel ? 'kernel mode driver' : 'user mode service',
        option('start')?.toLowerCase() === 'auto' ? 'auto start' : 'demand start',
        origin,
      );
  }
  if (verb === 'start') startService(trace, name, origin, launcher);
}

/** System 7045, as the Service Control Manager writes it. */
export function serviceInstalled(trace: Trace, name: string, imagePath: string, serviceType: string, startType: string, origin: string): void {
  if (trace.host.os !== 'windows') return;
  trace.events.push({
    logsource: { product: 'windows', service: 'system' },
    fields: {
      EventID: 7045,
      Provider_Name: 'Service Control Manager',
      ServiceName: name,
      ImagePath: imagePath,
      ServiceType: serviceType,
      StartType: startType,
      AccountName: 'LocalSystem',
    },
    origin,
  });
}

/**
 * Starting a service the test configured: services.exe creates its process from the binPath
 * (an expandable string, so %COMSPEC% is expanded), as LocalSystem at System integrity. Drivers
 * and services the test did not configure start nothing known.
 */
export function startService(trace: Trace, name: string, origin: string, launcher: Launcher): void {
  const service = servicesOf(trace).get(name.toLowerCase());
  if (!service || service.kernel) return;
  const services: Proc = {
    image: SERVICES,
    commandLine: 'C:\\Windows\\system32\\services.exe',
    user: 'NT AUTHORITY\\SYSTEM',
    integrityLevel: 'System',
    cwd: 'C:\\Windows\\system32',
  };
  launcher.launchCommandLine(trace, unquotedServicePath(service.binPath), services, `${origin}: service ${name}`, {
    user: 'NT AUTHORITY\\SYSTEM',
    integrityLevel: 'System',
  });
}

/** An unquoted binPath with spaces runs the first prefix ending in .exe (the unquoted-path rule). */
function unquotedServicePath(binPath: string): string {
  const t = binPath.trim();
  if (t.startsWith('"')) return t;
  const exe = /^(.*?\.exe)(\s|$)/i.exec(t);
  return exe && /\s/.test(exe[1]!) ? `"${exe[1]}"${t.slice(exe[1]!.length)}` : t;
}

/**
 * Auto-elevating programs that open a per-user shell verb the test planted (UACME methods 33
 * fodhelper, 62 computerdefaults: ms-settings; 31 sdclt: Folder; 25 eventvwr: mscfile): the
 * planted command runs as their child at High integrity.
 */
const HIJACKS: Record<string, string> = {
  fodhelper: 'HKCU\\Software\\Classes\\ms-settings\\Shell\\Open\\command',
  computerdefaults: 'HKCU\\Software\\Classes\\ms-settings\\Shell\\Open\\command',
  sdclt: 'HKCU\\Software\\Classes\\Folder\\shell\\open\\command',
  eventvwr: 'HKCU\\Software\\Classes\\mscfile\\shell\\open\\command',
};

/** The command planted under a key's default value earlier in this run, if any. */
function plantedCommand(trace: Trace, key: string): string | undefined {
  const target = `${normaliseKey(key)}\\(Default)`.toLowerCase();
  for (let i = trace.events.length - 1; i >= 0; i--) {
    const e = trace.events[i]!;
    if (e.logsource.category === 'registry_set' && String(e.fields['TargetObject']).toLowerCase() === target) return String(e.fields['Details']);
  }
  return undefined;
}

export function followUacHijack(trace: Trace, proc: Proc, name: string, origin: string, launcher: Launcher): void {
  const key = HIJACKS[name];
  const command = key ? plantedCommand(trace, key) : undefined;
  if (command) launcher.launchCommandLine(trace, command, proc, `${origin}: ${name} opens the planted command`, { integrityLevel: 'High' });
}

/** ShellExecute of a .msc document uses the (possibly planted) mscfile verb. */
export function mscHandler(trace: Trace): string | undefined {
  return plantedCommand(trace, HIJACKS['eventvwr']!);
}

/**
 * mshta's inline script (`mshta vbscript:Execute("…Run ""cmd""…")`, `javascript:…`) and the
 * scriptlets it loads with GetObject('script:URL'): each `.Run`/`.Exec`/`.ShellExecute` of a
 * string literal starts that command as mshta's child. Commands built from variables are unknown.
 */
export function followMshta(trace: Trace, proc: Proc, origin: string, launcher: Launcher): void {
  const script = argumentsText(proc.commandLine).replace(/""/g, '"');
  if (!/^\s*"?(vbscript|javascript):/i.test(script)) return;
  runScriptCommands(trace, script, proc, origin, launcher, /^\s*"?javascript:/i.test(script));
  for (const m of script.matchAll(/GetObject\(\s*['"]script:([^'"]+)['"]\s*\)/gi)) {
    const found = payloadAt(trace, m[1]!);
    const payload = /^https?:/i.test(m[1]!) ? trace.sim.payloads.url(m[1]!) : found.payload;
    if (!payload) noteMissing(trace, m[1]!);
    else runScriptCommands(trace, payload.text, proc, `${origin} → ${payload.file}`, launcher, /language\s*=\s*"?jscript/i.test(payload.text));
  }
}

/** String literals passed to .Run/.Exec/.ShellExecute: JScript escapes with backslashes, VBScript doubles quotes (already undone). */
function runScriptCommands(trace: Trace, text: string, proc: Proc, origin: string, launcher: Launcher, jscript: boolean): void {
  const pattern = jscript
    ? /\.(?:Run|Exec|ShellExecute)\s*\(\s*(?:"((?:\\.|[^"\\\n])*)"|'((?:\\.|[^'\\\n])*)')/gi
    : /\.(?:Run|Exec|ShellExecute)\s*\(?\s*"([^"\n]+)"/gi;
  for (const m of text.matchAll(pattern)) {
    const literal = m[1] ?? m[2] ?? '';
    launcher.launchCommandLine(trace, jscript ? literal.replace(/\\(.)/g, '$1') : literal, proc, origin);
  }
}

/**
 * SyncAppvPublishingServer.vbs passes its argument into a PowerShell command it runs with
 * WScript.Shell.Run (the script in System32; LOLBAS "Syncappvpublishingserver.vbs"):
 * `powershell.exe -NonInteractive -WindowStyle Hidden -ExecutionPolicy RemoteSigned -Command
 * &{$env:psmodulepath = [IO.Directory]::GetCurrentDirectory(); import-module AppvClient;
 * Sync-AppvPublishingServer <argument>}`.
 */
export function followSyncAppv(trace: Trace, wscript: Proc, argument: string, origin: string, launcher: Launcher): void {
  const command = `powershell.exe -NonInteractive -WindowStyle Hidden -ExecutionPolicy RemoteSigned -Command &{$env:psmodulepath = [IO.Directory]::GetCurrentDirectory(); import-module AppvClient; Sync-AppvPublishingServer ${argument}}`;
  launcher.launchCommandLine(trace, command, wscript, `${origin}: SyncAppvPublishingServer.vbs`);
}

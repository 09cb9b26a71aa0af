/**
 * The machine a test is imagined to run on: who runs it, the environment variables commands
 * expand, and where Invoke-AtomicRedTeam keeps its files. One fixed, plausible lab host per OS,
 * so predictions are deterministic.
 */
import type { Os } from './binaries.ts';

export interface Host {
  os: Os;
  /** Sysmon's User field (DOMAIN\user on Windows). */
  user: string;
  /** Windows mandatory label of the test's processes. */
  integrityLevel?: 'High' | 'Medium';
  /** Environment variables by upper-cased name. */
  env: Readonly<Record<string, string>>;
  /** Invoke-Process starts executors in $env:TEMP (Windows) or /tmp. */
  cwd: string;
  /** Invoke-AtomicRedTeam's default PathToAtomicsFolder. */
  atomics: string;
}

const WINDOWS_COMPUTER = 'WIN-ATOMIC';
const WINDOWS_USER = 'atomic';

export function windowsHost(elevated: boolean): Host {
  const profile = `C:\\Users\\${WINDOWS_USER}`;
  const temp = `${profile}\\AppData\\Local\\Temp`;
  return {
    os: 'windows',
    user: `${WINDOWS_COMPUTER}\\${WINDOWS_USER}`,
    integrityLevel: elevated ? 'High' : 'Medium',
    cwd: temp,
    atomics: 'C:\\AtomicRedTeam\\atomics',
    env: {
      ALLUSERSPROFILE: 'C:\\ProgramData',
      APPDATA: `${profile}\\AppData\\Roaming`,
      COMMONPROGRAMFILES: 'C:\\Program Files\\Common Files',
      COMPUTERNAME: WINDOWS_COMPUTER,
      COMSPEC: 'C:\\Windows\\system32\\cmd.exe',
      HOMEDRIVE: 'C:',
      HOMEPATH: `\\Users\\${WINDOWS_USER}`,
      LOCALAPPDATA: `${profile}\\AppData\\Local`,
      OS: 'Windows_NT',
      PROCESSOR_ARCHITECTURE: 'AMD64',
      PROGRAMDATA: 'C:\\ProgramData',
      PROGRAMFILES: 'C:\\Program Files',
      'PROGRAMFILES(X86)': 'C:\\Program Files (x86)',
      PUBLIC: 'C:\\Users\\Public',
      SYSTEMDRIVE: 'C:',
      SYSTEMROOT: 'C:\\Windows',
      TEMP: temp,
      TMP: temp,
      USERDOMAIN: WINDOWS_COMPUTER,
      USERNAME: WINDOWS_USER,
      USERPROFILE: profile,
      WINDIR: 'C:\\Windows',
    },
  };
}

/** Elevated tests are run as root (sudo pwsh); others as an ordinary user. */
export function unixHost(os: 'linux' | 'macos', elevated: boolean): Host {
  const user = elevated ? 'root' : 'atomic';
  const home = elevated ? (os === 'macos' ? '/var/root' : '/root') : os === 'macos' ? `/Users/${user}` : `/home/${user}`;
  return {
    os,
    user,
    cwd: '/tmp',
    atomics: `${home}/AtomicRedTeam/atomics`,
    env: { HOME: home, USER: user, LOGNAME: user, SHELL: '/bin/bash', PWD: '/tmp', TMPDIR: '/tmp' },
  };
}

/** Invoke-AtomicRedTeam replaces `PathToAtomicsFolder` (with or without `$`) before running. */
export function substituteHarnessPaths(command: string, host: Host): string {
  return command.replace(/\$?PathToAtomicsFolder/gi, () => host.atomics);
}

/** `%NAME%` expansion as cmd.exe does it; unknown names stay as written. */
export function expandPercentVariables(text: string, host: Host): string {
  return text.replace(/%([^%\s=]+)%/g, (whole, name: string) => host.env[name.toUpperCase()] ?? whole);
}

/** `C:\a\b\..\c` → `C:\a\c` (or `/a/b/../c` → `/a/c` with sep `/`); the root is never popped. */
export function foldDots(path: string, sep: string): string {
  const out: string[] = [];
  for (const seg of path.split(sep)) {
    if (seg === '..' && out.length > 1) out.pop();
    else if (seg !== '.') out.push(seg);
  }
  return out.join(sep);
}

/** Whether a computer named in a command (`/node:`, `/s`, `/r:`, `-ComputerName`) is this one. */
export function isThisComputer(host: Host, name: string): boolean {
  const n = name.trim().replace(/^\\\\/, '').toLowerCase();
  return ['', 'localhost', '.', '127.0.0.1', '::1', (host.env['COMPUTERNAME'] ?? '').toLowerCase()].includes(n);
}

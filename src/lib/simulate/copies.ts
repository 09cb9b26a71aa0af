/**
 * Files the test copies or moves (cmd `copy`/`move`, PowerShell `Copy-Item`/`Move-Item`), so a
 * renamed copy of a program keeps the program's version information when it runs: cmd.exe
 * copied to lsass.exe still records OriginalFileName Cmd.Exe, as Sysmon reads it from the file.
 */
import { peMetadataOf, type PeMetadata } from './binaries.ts';
import type { Trace } from './trace.ts';
import { normaliseHostPath } from './loaded.ts';

/** Copies made so far in this run: normalised destination → normalised source. */
function copies(trace: Trace): Map<string, string> {
  return (trace.sim.copies ??= new Map());
}

/** Where a bare program name in a copy command is found (System32), else relative to the cwd. */
function hostPath(trace: Trace, raw: string, resolve: (program: string) => string): string {
  const p = raw.replace(/^["']|["']$/g, '');
  return normaliseHostPath(/[\\/]/.test(p) ? p : resolve(p), trace.host);
}

export function recordCopy(trace: Trace, from: string, to: string, resolve: (program: string) => string): void {
  if (trace.host.os !== 'windows' || !from || !to || /[*?]/.test(from)) return;
  const source = hostPath(trace, from, resolve);
  let dest = hostPath(trace, to, (p) => p);
  // A destination folder (`copy x.exe %TEMP%\`, no extension) receives the file under its own name.
  if (/[\\/]$/.test(to.replace(/["']/g, '')) || !/\.[a-z0-9]{1,4}$/i.test(dest)) dest = `${dest.replace(/\\+$/, '')}\\${source.split('\\').pop()}`;
  copies(trace).set(dest, copies(trace).get(source) ?? source);
}

/** Version information of a program that is a copy made earlier in the run, if it is one of a known program. */
export function copiedMetadata(trace: Trace, image: string): PeMetadata | undefined {
  const source = trace.sim.copies?.get(normaliseHostPath(image, trace.host));
  return source === undefined ? undefined : peMetadataOf(source);
}

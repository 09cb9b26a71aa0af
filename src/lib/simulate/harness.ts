/**
 * The events an Atomic test produces when Invoke-AtomicRedTeam runs it (Private/
 * Invoke-ExecuteCommand.ps1): the harness is a PowerShell session that starts
 *  - command_prompt: `"cmd.exe" /c <lines joined with " & ">`
 *  - powershell:     `"powershell.exe" & {<script, " escaped as \"">}` (pwsh -Command off Windows)
 *  - sh / bash:      `sh -c "<script, lines joined with "; ">"` from pwsh, in /tmp
 *  - manual:         nothing.
 * Each program those shells start becomes a process creation event, with the shell-specific
 * extras (script blocks, module logging, registry writes) recorded by trace.ts.
 */
import type { AtomicTest } from '../atomic/types.ts';
import { substituteArguments } from '../atomic/arguments.ts';
import { downloadTargets, newSimulation } from './loaded.ts';
import { PayloadStore } from './payload-store.ts';
import { substituteHarnessPaths, unixHost, windowsHost, type Host } from './host.ts';
import { launchWindows } from './launch.ts';
import { launchUnix } from './shells/posix.ts';
import { newTrace, type Proc, type SynthesisedEvent } from './trace.ts';
import { splitWindowsArgs } from './shells/winargs.ts';

export type { SynthesisedEvent } from './trace.ts';

export type TestInput = Pick<AtomicTest, 'guid' | 'platforms' | 'executor' | 'elevationRequired' | 'command' | 'commandResolved'> &
  Partial<Pick<AtomicTest, 'dependencies' | 'inputArguments'>>;

export interface SimulatedTest {
  events: SynthesisedEvent[];
  /** What the run would load but the payload store lacks ("payload not available: <url>"). */
  notes: string[];
}

const POWERSHELL = 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe';
const PWSH = '/opt/microsoft/powershell/7/pwsh';

/** The events of one test, with what it would load from outside the store noted. */
export function simulateTest(test: TestInput, payloads = PayloadStore.empty()): SimulatedTest {
  const command = (test.commandResolved ?? test.command ?? '').trim();
  if (test.executor === 'manual' || command === '') return { events: [], notes: [] };
  const notes: string[] = [];
  const events = platformsOf(test).flatMap((platform) => {
    const run = runOn(platform, test, command, payloads);
    for (const n of run.notes) if (!notes.includes(n)) notes.push(n);
    return run.events;
  });
  return { events, notes };
}

/** Platforms the evaluator models; cloud and container platforms produce no host events. */
export function platformsOf(test: Pick<TestInput, 'platforms'>): ('windows' | 'linux' | 'macos')[] {
  return (['windows', 'linux', 'macos'] as const).filter((p) => test.platforms.includes(p));
}

function runOn(platform: 'windows' | 'linux' | 'macos', test: TestInput, rawCommand: string, payloads: PayloadStore): SimulatedTest {
  const { executor, elevationRequired: elevated } = test;
  const host = platform === 'windows' ? windowsHost(elevated) : unixHost(platform, elevated);
  // Files the prerequisites download (`-OutFile …\ExternalPayloads\x.ps1`) are known by their URL.
  const fetched = (test.dependencies ?? []).map((d) => substituteArguments(d.getPrereqCommand ?? '', test.inputArguments ?? []));
  const sim = newSimulation(
    payloads,
    downloadTargets(
      [...fetched, rawCommand].map((t) => substituteHarnessPaths(t, host)),
      host,
    ),
  );
  const trace = newTrace(host, sim);
  const command = substituteHarnessPaths(rawCommand, host);
  const harness = harnessProcess(host);
  // Invoke-AtomicRedTeam swaps command_prompt and sh/bash to the platform's shell.
  const shell =
    platform === 'windows'
      ? executor === 'powershell'
        ? 'powershell'
        : 'command_prompt'
      : executor === 'powershell'
        ? 'powershell'
        : executor === 'bash'
          ? 'bash'
          : 'sh';
  const origin = `${executor} executor`;
  if (shell === 'command_prompt') {
    const joined = command.replace(/\n/g, ' & ');
    launchWindows(trace, { program: 'cmd.exe', commandLine: `"cmd.exe" /c ${joined}`, parent: harness, origin });
  } else if (shell === 'powershell' && platform === 'windows') {
    const escaped = command.replace(/"/g, '\\""');
    launchWindows(trace, { program: 'powershell.exe', commandLine: `"powershell.exe" & {${escaped}}`, parent: harness, origin });
  } else if (shell === 'powershell') {
    launchUnix(trace, ['pwsh', ...splitWindowsArgs(`-Command ${command.replace(/"/g, '\\""')}`)], harness, origin);
  } else {
    launchUnix(trace, [shell, ...harnessShellArguments(command)], harness, origin);
  }
  return { events: trace.events, notes: sim.notes };
}

/** The Invoke-AtomicTest session: the parent of every executor process (itself not recorded). */
function harnessProcess(host: Host): Proc {
  if (host.os === 'windows')
    return {
      image: POWERSHELL,
      commandLine: `"${POWERSHELL}" `,
      user: host.user,
      integrityLevel: host.integrityLevel,
      cwd: `C:\\Users\\${host.env['USERNAME']}`,
    };
  return { image: PWSH, commandLine: 'pwsh', user: host.user, cwd: host.env['HOME']! };
}

/**
 * argv after the shell name, exactly as the harness builds it: backslashes (not before `;`)
 * doubled, quotes escaped, newlines not after `;` replaced by "; ", wrapped in `-c "…"` and
 * split again by .NET. Joining lines can break the script (`then; …`), as it does for real.
 */
export function harnessShellArguments(command: string): string[] {
  const escaped = command
    .trim()
    .replace(/\\(?!;)/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/(?<!;)\n/g, '; ');
  return splitWindowsArgs(`-c "${escaped}"`);
}

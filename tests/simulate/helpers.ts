/** Runs an Atomic command through the synthesiser and picks out what a test looks at. */
import { simulateTest, type SynthesisedEvent, type TestInput } from '../../src/lib/simulate/harness.ts';

export function run(executor: string, command: string, options: Partial<TestInput> = {}): SynthesisedEvent[] {
  const platforms = options.platforms ?? [executor === 'sh' || executor === 'bash' ? 'linux' : 'windows'];
  return simulateTest({ guid: 'g', executor, commandResolved: command, elevationRequired: false, ...options, platforms }).events;
}

export function processes(events: SynthesisedEvent[]) {
  return events.filter((e) => e.logsource.category === 'process_creation').map((e) => e.fields);
}

export function commandLines(events: SynthesisedEvent[]): string[] {
  return processes(events).map((f) => String(f['CommandLine']));
}

export function ofCategory(events: SynthesisedEvent[], category: string) {
  return events.filter((e) => e.logsource.category === category).map((e) => e.fields);
}

/**
 * Event coverage of a log source (e.g. windows/process_creation → Sysmon 1, Security 4688),
 * from the mapping in src/lib/sigma/logsource.ts.
 */
import type { LogSource } from '../sigma/logsource.ts';
import { findLogSource, type LogEvent } from '../sigma/logsource.ts';

export interface EventCoverage {
  events: LogEvent[];
  /** Whether predicted detections can derive events of this source from Atomic commands. */
  synthesised: boolean;
  note?: string;
}

export function eventCoverage(logsource: LogSource): EventCoverage | undefined {
  const entry = findLogSource(logsource);
  if (!entry || entry.events.length === 0) return undefined;
  const coverage: EventCoverage = { events: entry.events, synthesised: entry.synthesised };
  if (entry.note) coverage.note = entry.note;
  return coverage;
}

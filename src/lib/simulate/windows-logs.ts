/**
 * Events Windows writes itself when a test acts on the system, beside the process events: the
 * event log service's record of a log cleared, and the Security log's record of an account
 * created. Only what a command says outright (`wevtutil cl System`, `net user x /add`), never a
 * log or account computed at run time.
 */
import type { Trace } from './trace.ts';

/**
 * A name known only at run time: a cmd variable (`%name%`, a `for` variable `%1`, `%%a`), a
 * PowerShell variable left unexpanded (`$name`, `${…}`, `$(…)`), a wildcard. A `$` ending a name
 * or standing alone is literal in both shells (`AtomicOperator$`, the account `$`).
 */
const UNRESOLVED = /%[\w%]|\$[\w{(:]|[*?]/;

/**
 * A log cleared (`wevtutil cl`, `Clear-EventLog`): Security records it itself (1102); any other
 * log is recorded in System as 104, naming the cleared log in `Channel`.
 */
export function logCleared(trace: Trace, log: string, origin: string): void {
  if (trace.host.os !== 'windows' || log === '' || UNRESOLVED.test(log)) return;
  if (log.toLowerCase() === 'security') {
    trace.events.push({
      logsource: { product: 'windows', service: 'security' },
      fields: { EventID: 1102, Provider_Name: 'Microsoft-Windows-Eventlog' },
      origin,
    });
    return;
  }
  trace.events.push({
    logsource: { product: 'windows', service: 'system' },
    fields: { EventID: 104, Provider_Name: 'Microsoft-Windows-Eventlog', Channel: log },
    origin,
  });
}

/** A local account created (`net user <name> … /add`, `New-LocalUser`): Security 4720. */
export function accountCreated(trace: Trace, name: string, origin: string): void {
  if (trace.host.os !== 'windows' || name === '' || UNRESOLVED.test(name)) return;
  trace.events.push({
    logsource: { product: 'windows', service: 'security' },
    fields: {
      EventID: 4720,
      Provider_Name: 'Microsoft-Windows-Security-Auditing',
      TargetUserName: name,
      SamAccountName: name,
      SubjectUserName: trace.host.user.split('\\').pop() ?? '',
    },
    origin,
  });
}

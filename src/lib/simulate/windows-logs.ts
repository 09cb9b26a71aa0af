/**
 * Events Windows writes itself when a test acts on the system, beside the process events: the
 * event log service's record of a log cleared, and the Security log's records of an account or a
 * scheduled task created. Only what a command says outright (`wevtutil cl System`, `net user x
 * /add`, `schtasks /create /tn x /tr …`), never a name computed at run time.
 */
import type { Trace } from './trace.ts';

/**
 * A name known only at run time: a cmd variable (`%name%`, a `for` variable `%1`, `%%a`, `%~1`,
 * delayed `!name!`), a PowerShell variable left unexpanded (`$name`, `${…}`, `$(…)`), a wildcard. A `$` ending a name
 * or standing alone is literal in both shells (`AtomicOperator$`, the account `$`).
 */
const UNRESOLVED = /%[\w%~]|![\w]+!|\$[\w{(:]|[*?]/;

/** `DOMAIN\\user` → `user`, as Security events name their subject. */
const accountName = (user: string) => user.split('\\').pop() ?? '';

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
      SubjectUserName: accountName(trace.host.user),
    },
    origin,
  });
}

/** A task's user as the Task Scheduler stores it: SYSTEM by its SID. */
const principal = (user: string): string => {
  const u = user
    .trim()
    .toLowerCase()
    .replace(/^nt authority\\/, '');
  // `/ru ""` runs the task as SYSTEM, as `/ru system` does.
  return u === '' || u === 'system' ? 'S-1-5-18' : u === 'local service' ? 'S-1-5-19' : u === 'network service' ? 'S-1-5-20' : user;
};

/** XML text content. */
const xmlText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * A scheduled task registered (`schtasks /create /tn <name> /tr <command>`): Security 4698, whose
 * `TaskContent` is the task's XML as the Task Scheduler stores it; the action's program and its
 * arguments are split as schtasks splits `/tr` (a quoted program, else the first word).
 */
export function taskCreated(trace: Trace, task: { name: string; command: string; user?: string }, origin: string): void {
  const tr = task.command.trim();
  const quoted = tr.startsWith('"') ? tr.indexOf('"', 1) : -1;
  const cut = quoted > 0 ? quoted + 1 : tr.search(/\s|$/);
  const program = tr.slice(0, cut);
  const args = tr.slice(cut).trim();
  if (trace.host.os !== 'windows' || UNRESOLVED.test(task.name) || program === '' || UNRESOLVED.test(program)) return;
  const uri = task.name.startsWith('\\') ? task.name : `\\${task.name}`;
  const author = trace.host.user;
  const content = [
    '<?xml version="1.0" encoding="UTF-16"?>',
    '<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">',
    '  <RegistrationInfo>',
    `    <Author>${xmlText(author)}</Author>`,
    `    <URI>${xmlText(uri)}</URI>`,
    '  </RegistrationInfo>',
    '  <Principals>',
    '    <Principal id="Author">',
    `      <UserId>${xmlText(principal(task.user ?? author))}</UserId>`,
    '    </Principal>',
    '  </Principals>',
    '  <Actions Context="Author">',
    '    <Exec>',
    `      <Command>${xmlText(program)}</Command>`,
    ...(args ? [`      <Arguments>${xmlText(args)}</Arguments>`] : []),
    '    </Exec>',
    '  </Actions>',
    '</Task>',
  ].join('\r\n');
  trace.events.push({
    logsource: { product: 'windows', service: 'security' },
    fields: {
      EventID: 4698,
      Provider_Name: 'Microsoft-Windows-Security-Auditing',
      TaskName: uri,
      TaskContent: content,
      SubjectUserName: accountName(author),
    },
    origin,
  });
}

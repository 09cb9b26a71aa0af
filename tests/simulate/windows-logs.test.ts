/** What Windows logs itself when a test clears a log or creates an account (simulate/windows-logs.ts). */
import { describe, expect, it } from 'vitest';
import { run } from './helpers.ts';

const ofService = (events: ReturnType<typeof run>, service: string) => events.filter((e) => e.logsource.service === service).map((e) => e.fields);

describe('event logs cleared', () => {
  it('wevtutil cl <log>: System 104 naming the log; Security records its own clearing as 1102', () => {
    expect(ofService(run('command_prompt', 'wevtutil cl System\nwevtutil clear-log "Windows PowerShell"'), 'system')).toEqual([
      { EventID: 104, Provider_Name: 'Microsoft-Windows-Eventlog', Channel: 'System' },
      { EventID: 104, Provider_Name: 'Microsoft-Windows-Eventlog', Channel: 'Windows PowerShell' },
    ]);
    const security = run('command_prompt', 'wevtutil cl Security');
    expect(ofService(security, 'security')).toEqual([{ EventID: 1102, Provider_Name: 'Microsoft-Windows-Eventlog' }]);
    expect(ofService(security, 'system')).toEqual([]);
  });
  it('Clear-EventLog, each log named; not another computer', () => {
    expect(ofService(run('powershell', 'Clear-EventLog -LogName Application, System'), 'system').map((f) => f['Channel'])).toEqual(['Application', 'System']);
    expect(ofService(run('powershell', 'Clear-EventLog -LogName System -ComputerName dc01'), 'system')).toEqual([]);
  });
  it('not a log on another computer; this computer by any of its names is not another', () => {
    expect(ofService(run('command_prompt', 'wevtutil cl System /r:dc01'), 'system')).toEqual([]);
    expect(ofService(run('command_prompt', 'wevtutil cl System /remote:dc01'), 'system')).toEqual([]);
    expect(ofService(run('powershell', 'Clear-EventLog System dc01'), 'system')).toEqual([]);
    expect(ofService(run('powershell', 'Clear-EventLog -LogName System dc01'), 'system')).toEqual([]);
    expect(ofService(run('command_prompt', 'wevtutil cl System /r:localhost'), 'system')).toHaveLength(1);
    expect(ofService(run('command_prompt', 'wevtutil cl System /r:%COMPUTERNAME%'), 'system')).toHaveLength(1);
    expect(ofService(run('powershell', 'Clear-EventLog -LogName System -ComputerName $env:COMPUTERNAME'), 'system')).toHaveLength(1);
  });
  it('a log named only at run time is not guessed', () => {
    expect(ofService(run('command_prompt', `for /F "tokens=*" %1 in ('wevtutil.exe el') DO wevtutil.exe cl "%1"`), 'system')).toEqual([]);
    expect(ofService(run('command_prompt', 'wevtutil el'), 'system')).toEqual([]);
  });
});

describe('accounts created', () => {
  it('net user <name> <password> /add and New-LocalUser: Security 4720', () => {
    expect(ofService(run('command_prompt', 'net user art-user Passw0rd! /add'), 'security')).toEqual([
      expect.objectContaining({ EventID: 4720, TargetUserName: 'art-user' }),
    ]);
    expect(ofService(run('powershell', 'New-LocalUser -Name "art-local" -NoPassword'), 'security')).toEqual([
      expect.objectContaining({ EventID: 4720, TargetUserName: 'art-local' }),
    ]);
  });
  it('with /add first, with a name ending in $ or the name $; SamAccountName too', () => {
    const created = (command: string) => ofService(run('command_prompt', command), 'security').map((f) => [f['TargetUserName'], f['SamAccountName']]);
    expect(created('net user /add "T1136.001_CMD" "T1136.001_CMD!"')).toEqual([['T1136.001_CMD', 'T1136.001_CMD']]);
    expect(created('NET USER AtomicOperator$ At0micRedTeam! /ADD')).toEqual([['AtomicOperator$', 'AtomicOperator$']]);
    expect(created('net user $ ATOMIC123! /add /active:yes')).toEqual([['$', '$']]);
  });
  it('not a name known only at run time', () => {
    expect(ofService(run('command_prompt', 'net user %NEWUSER% P@ss /add'), 'security')).toEqual([]);
    expect(ofService(run('command_prompt', 'net user !n! P@ss /add'), 'security')).toEqual([]);
    expect(ofService(run('command_prompt', 'wevtutil cl %~1'), 'system')).toEqual([]);
    expect(ofService(run('powershell', 'New-LocalUser -Name $name -NoPassword'), 'security')).toEqual([]);
  });
  it('not a domain account, a listing, or a change to an existing account', () => {
    const none = ['net user art /add /domain', 'net user', 'net user art', 'net user art /active:yes'];
    for (const command of none) expect(ofService(run('command_prompt', command), 'security')).toEqual([]);
  });
});

describe('scheduled tasks created', () => {
  const task = (command: string) => ofService(run('command_prompt', command), 'security').filter((f) => f['EventID'] === 4698);
  it('schtasks /create /tn … /tr …: Security 4698 with the task XML, the program and its arguments split as schtasks does', () => {
    const [event] = task('schtasks /create /tn "T1053_005_OnStartup" /sc onstart /ru system /tr "cmd.exe /c calc.exe"');
    expect(event).toMatchObject({ EventID: 4698, TaskName: '\\T1053_005_OnStartup' });
    const xml = String(event!['TaskContent']);
    expect(xml).toContain('<Command>cmd.exe</Command>');
    expect(xml).toContain('<Arguments>/c calc.exe</Arguments>');
    expect(xml).toContain('<UserId>S-1-5-18</UserId>');
    const [quoted] = task('schtasks /create /tn x /tr "\\"C:\\Program Files\\a b.exe\\" -q <in>" /sc daily');
    expect(String(quoted!['TaskContent'])).toContain('<Command>"C:\\Program Files\\a b.exe"</Command>');
    expect(String(quoted!['TaskContent'])).toContain('<Arguments>-q &lt;in&gt;</Arguments>');
  });
  it('not on another computer, not from an XML file, not without /create, not a program known only at run time', () => {
    expect(task('schtasks /create /s dc01 /tn x /tr calc.exe /sc daily')).toEqual([]);
    expect(task('schtasks /create /s localhost /tn x /tr calc.exe /sc daily')).toHaveLength(1);
    expect(task('schtasks /create /tn x /tr "!cmd! /c calc" /sc daily')).toEqual([]);
    expect(String(task('schtasks /create /tn x /tr calc.exe /ru "" /sc daily')[0]!['TaskContent'])).toContain('<UserId>S-1-5-18</UserId>');
    expect(task('schtasks /create /tn x /xml task.xml')).toEqual([]);
    expect(task('schtasks /run /tn x')).toEqual([]);
  });
});

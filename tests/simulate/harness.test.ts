import { describe, expect, it } from 'vitest';
import { harnessShellArguments } from '../../src/lib/simulate/harness.ts';
import { commandLines, ofCategory, processes, run } from './helpers.ts';

describe('executors (Invoke-AtomicRedTeam)', () => {
  it('command_prompt: cmd.exe /c with lines joined by " & ", child of powershell.exe', () => {
    const [cmd] = processes(run('command_prompt', 'whoami\nhostname'));
    expect(cmd).toMatchObject({
      Image: 'C:\\Windows\\System32\\cmd.exe',
      OriginalFileName: 'Cmd.Exe',
      CommandLine: '"cmd.exe" /c whoami & hostname',
      ParentImage: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
    });
  });
  it('command_prompt: each program is a child of cmd.exe with a full Image path', () => {
    const [, whoami, hostname] = processes(run('command_prompt', 'whoami\nhostname'));
    expect(whoami).toMatchObject({ Image: 'C:\\Windows\\System32\\whoami.exe', CommandLine: 'whoami', ParentImage: 'C:\\Windows\\System32\\cmd.exe' });
    expect(hostname?.['Image']).toBe('C:\\Windows\\System32\\hostname.exe');
  });
  it('powershell: powershell.exe "& {…}" with quotes escaped as \\""', () => {
    const [ps] = processes(run('powershell', 'Write-Host "hi"'));
    expect(ps).toMatchObject({
      Image: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
      CommandLine: '"powershell.exe" & {Write-Host \\""hi\\""}',
    });
  });
  it('powershell: the script block (4104) holds the script', () => {
    expect(ofCategory(run('powershell', 'Get-Process lsass'), 'ps_script')).toEqual([
      { EventID: 4104, MessageNumber: 1, MessageTotal: 1, ScriptBlockText: '& {Get-Process lsass}', Path: '' },
    ]);
  });
  it('powershell: the engine start (400) names the host application without quotes', () => {
    expect(String(ofCategory(run('powershell', 'Get-Date'), 'ps_classic_start')[0]?.['Data'])).toContain('HostApplication=powershell.exe & {Get-Date}');
  });
  it('powershell: module logging (4103) records each cmdlet with its parameters', () => {
    const [event] = ofCategory(run('powershell', 'Get-Process -Name lsass'), 'ps_module');
    expect(event?.['Payload']).toBe('CommandInvocation(Get-Process): "Get-Process"\r\nParameterBinding(Get-Process): name="Name"; value="lsass"');
  });
  it('sh: sh -c with lines joined by "; ", child of pwsh, in /tmp', () => {
    const [sh] = processes(run('sh', 'id\nuname -a'));
    expect(sh).toMatchObject({
      Image: '/bin/sh',
      CommandLine: 'sh -c id; uname -a',
      ParentImage: '/opt/microsoft/powershell/7/pwsh',
      CurrentDirectory: '/tmp',
    });
  });
  it('bash: bash -c; programs resolved under /usr/bin', () => {
    expect(processes(run('bash', 'curl -s http://x'))).toMatchObject([
      { Image: '/bin/bash' },
      { Image: '/usr/bin/curl', CommandLine: 'curl -s http://x', ParentImage: '/bin/bash' },
    ]);
  });
  it('sh: auditd EXECVE records carry argv, after the SYSCALL record naming the program', () => {
    const auditd = (command: string) =>
      run('sh', command)
        .filter((e) => e.logsource.service === 'auditd')
        .map((e) => e.fields);
    // sh is a link to dash or bash (its `exe` differs between systems): no SYSCALL record for it.
    expect(auditd('cat /etc/passwd')).toEqual([
      { type: 'EXECVE', argc: 3, a0: 'sh', a1: '-c', a2: 'cat /etc/passwd' },
      { type: 'SYSCALL', SYSCALL: 'execve', success: 'yes', exe: '/usr/bin/cat', comm: 'cat' },
      { type: 'EXECVE', argc: 2, a0: 'cat', a1: '/etc/passwd' },
    ]);
    // A file outside the system's program folders may be a script, whose `exe` is its interpreter: no SYSCALL record.
    expect(auditd('/tmp/x.sh').map((f) => f['type'])).toEqual(['EXECVE', 'EXECVE']);
    // The kmod tools are one program; `comm` is the name run.
    expect(auditd('insmod /tmp/evil.ko').find((f) => f['type'] === 'SYSCALL')).toMatchObject({ exe: '/usr/bin/kmod', comm: 'insmod' });
    expect(auditd('reboot').find((f) => f['type'] === 'SYSCALL')).toMatchObject({ exe: '/usr/bin/systemctl', comm: 'reboot' });
    // Scripts and links whose target differs between systems name no exe.
    expect(auditd('egrep x /etc/passwd; python3 -c 1; vim x').filter((f) => f['type'] === 'SYSCALL')).toEqual([]);
  });
  it('manual: no events', () => expect(run('manual', 'Open the app')).toEqual([]));
  it('a test for linux and macos runs on both', () => {
    const images = processes(run('sh', 'launchctl list', { platforms: ['linux', 'macos'] })).map((f) => f['Image']);
    expect(images).toEqual(['/bin/sh', '/usr/bin/launchctl', '/bin/sh', '/bin/launchctl']);
  });
  it('cloud platforms produce no host events', () => expect(run('powershell', 'Get-AzVM', { platforms: ['iaas:azure'] })).toEqual([]));
  it('elevation_required gives High integrity; otherwise Medium', () => {
    expect(processes(run('command_prompt', 'whoami', { elevationRequired: true }))[1]?.['IntegrityLevel']).toBe('High');
    expect(processes(run('command_prompt', 'whoami'))[1]?.['IntegrityLevel']).toBe('Medium');
  });
  it('elevated Linux tests run as root', () => expect(processes(run('sh', 'id', { elevationRequired: true }))[1]?.['User']).toBe('root'));
  it('PathToAtomicsFolder becomes the default atomics folder', () => {
    expect(commandLines(run('command_prompt', 'PathToAtomicsFolder\\T1/x.exe'))[1]).toBe('C:\\AtomicRedTeam\\atomics\\T1/x.exe');
  });
});

describe('harness quirks', () => {
  it('sh arguments: newlines become "; " unless the line ends with ;', () => {
    expect(harnessShellArguments('a;\nb\nc')).toEqual(['-c', 'a;\nb; c']);
  });
  it('sh arguments: quotes survive the round trip', () => expect(harnessShellArguments('echo "x y"')).toEqual(['-c', 'echo "x y"']));
  it('a multi-line if becomes "then;", a syntax error: the shell runs nothing after it', () => {
    expect(commandLines(run('bash', 'id\nif true; then\n  whoami\nfi'))).toEqual(['bash -c id; if true; then;   whoami; fi', 'id']);
  });
  it('a blank line inside a cmd block makes cmd reject the whole line', () => {
    expect(commandLines(run('command_prompt', 'whoami\n\nhostname'))).toEqual(['"cmd.exe" /c whoami &  & hostname']);
  });
});

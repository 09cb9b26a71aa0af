import { describe, expect, it } from 'vitest';
import { splitWindowsArgs } from '../../../src/lib/simulate/shells/winargs.ts';
import { ofCategory, run } from '../helpers.ts';

describe('splitWindowsArgs', () => {
  // The examples of Microsoft Learn, "Parsing C++ command-line arguments" (msvcr90 and later).
  it.each([
    ['"a b c" d e', ['a b c', 'd', 'e']],
    ['"ab\\"c" "\\\\" d', ['ab"c', '\\', 'd']],
    ['a\\\\\\b d"e f"g h', ['a\\\\\\b', 'de fg', 'h']],
    ['a\\\\\\"b c d', ['a\\"b', 'c', 'd']],
    ['a\\\\\\\\"b c" d e', ['a\\\\b c', 'd', 'e']],
    ['a"b"" c d', ['ab" c d']],
  ])('%s', (line, args) => expect(splitWindowsArgs(line)).toEqual(args));

  it('2n backslashes and "" inside quotes: n backslashes and a literal quote, still quoted', () => {
    expect(splitWindowsArgs('"a\\\\"" b"')).toEqual(['a\\" b']);
    expect(splitWindowsArgs('"a\\\\" b')).toEqual(['a\\', 'b']);
  });
});

describe('a PowerShell test with a string ending in a backslash (T1547.004 #1)', () => {
  // The harness writes each " of the script as \"" on powershell.exe's command line, so the
  // string "…\Winlogon\" arrives as \""…\Winlogon\\"": the quote that ends it must survive.
  const script =
    'Set-ItemProperty "HKCU:\\Software\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon\\" "Shell" "explorer.exe, C:\\Windows\\System32\\cmd.exe" -Force';
  const events = run('powershell', script);

  it('the command line holds \\\\"" and the script block is the script as written', () => {
    expect(String(ofCategory(events, 'process_creation')[0]!['CommandLine'])).toContain('Winlogon\\\\"" \\""Shell\\""');
    expect(ofCategory(events, 'ps_script')[0]!['ScriptBlockText']).toBe(`& {${script}}`);
  });

  it('Set-ItemProperty writes the Winlogon Shell value', () => {
    expect(ofCategory(events, 'registry_set')).toEqual([
      expect.objectContaining({
        TargetObject: 'HKU\\S-1-5-21-3623811015-3361044348-30300820-1001\\Software\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon\\Shell',
        Details: 'explorer.exe, C:\\Windows\\System32\\cmd.exe',
      }),
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { normaliseKey, parseRegAdd, registryDetails, USER_SID } from '../../src/lib/simulate/registry.ts';
import { ofCategory, run } from './helpers.ts';

describe('registry writes', () => {
  it('HKCU is written as HKU\\<SID>', () => expect(normaliseKey('HKEY_CURRENT_USER\\Software\\X')).toBe(`HKU\\${USER_SID}\\Software\\X`));
  it('PowerShell drive paths', () => expect(normaliseKey('HKLM:\\SOFTWARE\\X')).toBe('HKLM\\SOFTWARE\\X'));
  it('Registry:: provider paths', () => expect(normaliseKey('Registry::HKEY_LOCAL_MACHINE\\SYSTEM')).toBe('HKLM\\SYSTEM'));
  it('file paths are not registry paths', () => expect(normaliseKey('C:\\x')).toBeUndefined());
  it('DWORD details', () => expect(registryDetails('REG_DWORD', '0x10')).toBe('DWORD (0x00000010)'));
  it('QWORD details', () => expect(registryDetails('REG_QWORD', '1')).toBe('QWORD (0x00000000-0x00000001)'));
  it('binary details', () => expect(registryDetails('REG_BINARY', '0a0b')).toBe('Binary Data'));
  it('reg add /ve sets the default value', () => {
    expect(parseRegAdd(['add', 'HKLM\\X', '/ve', '/d', 'v', '/f'])).toEqual({ targetObject: 'HKLM\\X\\(Default)', details: 'v' });
  });
  it('reg add without a value only creates a key', () => expect(parseRegAdd(['add', 'HKLM\\X', '/f'])).toBeUndefined());
  it('reg add from cmd is a registry_set event by reg.exe', () => {
    expect(
      ofCategory(run('command_prompt', 'reg add "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run" /v x /t REG_SZ /d "C:\\a b.exe" /f'), 'registry_set'),
    ).toEqual([
      {
        EventID: 13,
        EventType: 'SetValue',
        Image: 'C:\\Windows\\System32\\reg.exe',
        TargetObject: 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\x',
        Details: 'C:\\a b.exe',
        User: 'WIN-ATOMIC\\atomic',
      },
    ]);
  });
});

describe('user classes', () => {
  it('HKCU\\Software\\Classes is written as HKU\\<SID>_Classes', () => {
    expect(normaliseKey('HKCU\\Software\\Classes\\mscfile\\shell\\open\\command')).toBe(`HKU\\${USER_SID}_Classes\\mscfile\\shell\\open\\command`);
  });
});

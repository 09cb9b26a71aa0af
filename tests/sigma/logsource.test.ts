import { describe, expect, it } from 'vitest';
import { findLogSource, logSourceApplies } from '../../src/lib/sigma/logsource.ts';

describe('log sources → events', () => {
  it('windows/process_creation is Sysmon 1 and Security 4688', () => {
    expect((findLogSource({ product: 'windows', category: 'process_creation' })?.events ?? []).map((e) => [e.provider, e.id])).toEqual([
      ['Microsoft-Windows-Sysmon', 1],
      ['Microsoft-Windows-Security-Auditing', 4688],
    ]);
  });
  it('ps_script is PowerShell 4104', () => {
    expect(findLogSource({ product: 'windows', category: 'ps_script' })?.events ?? []).toEqual([
      { id: 4104, provider: 'Microsoft-Windows-PowerShell', title: expect.stringContaining('Scriptblock') },
    ]);
  });
  it('matching ignores case', () => {
    expect((findLogSource({ product: 'Windows', category: 'Registry_Set' })?.events ?? [])[0]?.id).toBe(13);
  });
  it('a generic category without product (webserver) is found with any product', () => {
    expect(findLogSource({ product: 'linux', category: 'webserver' })?.category).toBe('webserver');
  });
  it('an unknown source has no events', () => {
    expect(findLogSource({ product: 'plan9', category: 'telepathy' })?.events ?? []).toEqual([]);
  });
  it('says which sources the evaluator synthesises', () => {
    expect(findLogSource({ product: 'windows', category: 'process_creation' })?.synthesised).toBe(true);
    expect(findLogSource({ product: 'windows', category: 'image_load' })?.synthesised).toBe(false);
  });
});

describe('logSourceApplies', () => {
  const sysmon1 = { product: 'windows', category: 'process_creation', service: 'sysmon' };
  it('fields the rule leaves out match anything', () => {
    expect(logSourceApplies({ category: 'process_creation' }, sysmon1)).toBe(true);
  });
  it('every field the rule names must be equal', () => {
    expect(logSourceApplies({ product: 'linux', category: 'process_creation' }, sysmon1)).toBe(false);
  });
  it('registry_event covers registry_set', () => {
    expect(logSourceApplies({ product: 'windows', category: 'registry_event' }, { product: 'windows', category: 'registry_set' })).toBe(true);
  });
  it('registry_set does not cover registry_event', () => {
    expect(logSourceApplies({ product: 'windows', category: 'registry_set' }, { product: 'windows', category: 'registry_event' })).toBe(false);
  });
});

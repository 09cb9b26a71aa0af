import { describe, expect, test } from 'vitest';
import { platformOf, ruleSeesPlatforms, seesAny, type RuleLogSource } from '../../src/lib/xref/platforms.ts';

/** What the confidence tiers ask: can a rule with this log source see a test run on these platforms? */
const canSee = (logsource: RuleLogSource, platforms: string[]) => seesAny(ruleSeesPlatforms(logsource), platforms.map(platformOf));

describe('log source → Atomic platforms', () => {
  test('host products see their own OS; Linux telemetry sees the host\u2019s containers too', () => {
    expect(ruleSeesPlatforms({ product: 'windows', category: 'registry_set' })).toEqual(['windows']);
    expect(ruleSeesPlatforms({ product: 'linux', service: 'auditd' })).toEqual(['linux', 'containers']);
    expect(ruleSeesPlatforms({ product: 'macos' })).toEqual(['macos']);
    expect(ruleSeesPlatforms({ product: 'rpc_firewall' })).toEqual(['windows']);
  });

  test('cloud and identity products by service', () => {
    expect(ruleSeesPlatforms({ product: 'azure', service: 'signinlogs' })).toEqual(['azure-ad']);
    expect(ruleSeesPlatforms({ product: 'azure', service: 'activitylogs' })).toEqual(['iaas:azure', 'iaas']);
    expect(ruleSeesPlatforms({ product: 'gcp', service: 'gcp.audit' })).toEqual(['iaas:gcp', 'iaas']);
    expect(ruleSeesPlatforms({ product: 'gcp', service: 'google_workspace.admin' })).toEqual(['google-workspace']);
    expect(ruleSeesPlatforms({ product: 'aws', service: 'cloudtrail' })).toEqual(['iaas:aws', 'iaas']);
    expect(ruleSeesPlatforms({ product: 'm365', service: 'threat_management' })).toEqual(['office-365', 'azure-ad']);
    expect(ruleSeesPlatforms({ product: 'okta', service: 'okta' })).toEqual(['saas']);
    expect(ruleSeesPlatforms({ product: 'kubernetes', service: 'audit' })).toEqual(['containers']);
  });

  test('no product, network sensors and applications are not tied to a platform', () => {
    expect(ruleSeesPlatforms({})).toBeUndefined();
    expect(ruleSeesPlatforms({ product: 'zeek', service: 'smb_files' })).toBeUndefined();
    expect(ruleSeesPlatforms({ product: 'django' })).toBeUndefined();
    expect(canSee({ category: 'proxy' }, ['linux'])).toBe(true);
  });

  test('canSee: one shared platform is enough; Atomic spellings are normalised', () => {
    expect(canSee({ product: 'windows' }, ['Windows '])).toBe(true);
    expect(canSee({ product: 'Windows' }, ['linux', 'macos'])).toBe(false);
    expect(canSee({ product: 'linux' }, ['linux', 'macos'])).toBe(true);
    expect(canSee({ product: 'azure', service: 'auditlogs' }, ['iaas:azure'])).toBe(false);
    expect(canSee({ product: 'cisco', service: 'aaa' }, ['windows'])).toBe(false);
  });
});

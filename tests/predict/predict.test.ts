import { describe, expect, it } from 'vitest';
import yaml from 'js-yaml';
import { SIGMA_YAML_SCHEMA } from '../../src/lib/sigma/yaml-schema.ts';
import type { CatalogRule, CatalogTest } from '../../src/lib/catalog/types.ts';
import { parseDetection } from '../../src/lib/sigma/detection.ts';
import { predictDetections } from '../../src/lib/predict/predict.ts';
import { rule as catalogRule, test as catalogTest } from '../catalog/entities.ts';

function rule(slug: string, logsource: CatalogRule['logsource'], detection: string, extra: Partial<CatalogRule> = {}): CatalogRule {
  const parsed = parseDetection(yaml.load(detection, { schema: SIGMA_YAML_SCHEMA }) as Record<string, unknown>, `${slug}.yml`).detection;
  return catalogRule(slug, { title: slug, path: `${slug}.yml`, logsource, detection: parsed, url: '', ...extra });
}

function test(guid: string, executor: string, command: string, platforms = ['windows']): CatalogTest {
  return catalogTest(guid, 'T1', 1, guid, { platforms, executor, command, commandResolved: command, anchor: '', url: '' });
}

const win = { product: 'windows', category: 'process_creation' };
const netUser = rule('net-user', win, `sel: {Image|endswith: ['\\net.exe', '\\net1.exe'], CommandLine|contains: ' user'}\ncondition: sel`);
const whoami = rule('whoami', win, `sel: {Image|endswith: '\\whoami.exe'}\ncondition: sel`);
const linuxWhoami = rule('linux-whoami', { product: 'linux', category: 'process_creation' }, `sel: {Image|endswith: '/whoami'}\ncondition: sel`);
const script = rule('script', { product: 'windows', category: 'ps_script' }, `sel: {ScriptBlockText|contains: 'Get-LocalUser'}\ncondition: sel`);
const tests = [test('b', 'command_prompt', 'net user\nwhoami'), test('a', 'powershell', 'Get-LocalUser'), test('c', 'sh', 'whoami', ['linux'])];

describe('predictDetections', () => {
  const predictions = predictDetections([whoami, netUser, linuxWhoami, script], tests);

  it('pairs each test with the rules its events trigger, sorted by test then rule', () => {
    expect(predictions.map((p) => [p.test, p.rule])).toEqual([
      ['a', 'script'],
      ['b', 'net-user'],
      ['b', 'whoami'],
      ['c', 'linux-whoami'],
    ]);
  });
  it('explains with the first matching event (net.exe before its net1.exe child)', () => {
    const p = predictions.find((x) => x.rule === 'net-user')!;
    expect(p.event.fields['Image']).toBe('C:\\Windows\\System32\\net.exe');
    expect(p.event.origin).toBe('command_prompt executor: net user');
    expect(p.explanation.identifiers).toEqual([{ name: 'sel', value: true }]);
    expect(p.explanation.matches.map((m) => m.matches[0]?.value)).toEqual(['\\net.exe', ' user']);
  });
  it('only applies rules to events of their log source', () => {
    expect(predictions.filter((p) => p.rule === 'linux-whoami').map((p) => p.test)).toEqual(['c']);
  });
  it('skips inactive rules unless asked', () => {
    const old = rule('old', win, `sel: {Image|endswith: '\\whoami.exe'}\ncondition: sel`, { active: false });
    expect(predictDetections([old], tests)).toEqual([]);
    expect(predictDetections([old], tests, { includeInactive: true }).map((p) => p.test)).toEqual(['b']);
  });
  it('skips correlation rules and rules without detection', () => {
    expect(
      predictDetections(
        [
          { ...whoami, kind: 'correlation' },
          { ...whoami, detection: undefined },
        ],
        tests,
      ),
    ).toEqual([]);
  });
  it('is deterministic', () => expect(predictDetections([script, whoami, netUser, linuxWhoami], [...tests].reverse())).toEqual(predictions));
});

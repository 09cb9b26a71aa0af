import { describe, expect, it } from 'vitest';
import { ENTERPRISE_TACTICS, orderTactics, tacticFromTag, tacticNameFromId } from '../../src/lib/attack/tactics.ts';

describe('ENTERPRISE_TACTICS', () => {
  it('is the Enterprise matrix in order, with TA ids', () => {
    expect(ENTERPRISE_TACTICS.map((t) => `${t.order} ${t.id} ${t.externalId} ${t.name}`)).toEqual([
      '0 reconnaissance TA0043 Reconnaissance',
      '1 resource-development TA0042 Resource Development',
      '2 initial-access TA0001 Initial Access',
      '3 execution TA0002 Execution',
      '4 persistence TA0003 Persistence',
      '5 privilege-escalation TA0004 Privilege Escalation',
      '6 defense-evasion TA0005 Defense Evasion',
      '7 credential-access TA0006 Credential Access',
      '8 discovery TA0007 Discovery',
      '9 lateral-movement TA0008 Lateral Movement',
      '10 collection TA0009 Collection',
      '11 command-and-control TA0011 Command and Control',
      '12 exfiltration TA0010 Exfiltration',
      '13 impact TA0040 Impact',
    ]);
  });

  it('cannot be changed by a caller', () => {
    expect(Object.isFrozen(ENTERPRISE_TACTICS)).toBe(true);
  });
});

describe('tacticFromTag', () => {
  it.each([
    ['attack.credential-access', 'credential-access'],
    ['attack.command-and-control', 'command-and-control'],
    ['attack.defense_evasion', 'defense-evasion'],
    ['Attack.Initial-Access', 'initial-access'],
    // Newer than ATT&CK v18 but already in Sigma: returned, not dropped.
    ['attack.stealth', 'stealth'],
    ['attack.defense-impairment', 'defense-impairment'],
    ['attack.t1003.001', undefined],
    ['attack.g0016', undefined],
    ['attack.s0002', undefined],
    ['attack.', undefined],
    ['attack.-dash', undefined],
    ['car.2016-04-005', undefined],
    ['credential-access', undefined],
  ])('%j → %j', (tag, tactic) => {
    expect(tacticFromTag(tag)).toBe(tactic);
  });
});

describe('orderTactics', () => {
  it('puts known tactics in matrix order, once each', () => {
    expect(orderTactics(['impact', 'execution', 'reconnaissance', 'execution']).map((t) => [t.id, t.order])).toEqual([
      ['reconnaissance', 0],
      ['execution', 3],
      ['impact', 13],
    ]);
  });

  it('puts unknown tactics after every known one, alphabetically, with a readable name', () => {
    expect(orderTactics(['stealth', 'impact', 'defense-impairment'])).toEqual([
      { id: 'impact', name: 'Impact', externalId: 'TA0040', order: 13 },
      { id: 'defense-impairment', name: 'Defense Impairment', order: 14 },
      { id: 'stealth', name: 'Stealth', order: 15 },
    ]);
  });

  it('orders against the tactics it is given (a bundle’s)', () => {
    const bundle = [
      { id: 'execution', name: 'Execution', order: 0 },
      { id: 'persistence', name: 'Persistence', order: 1 },
    ];
    expect(orderTactics(['reconnaissance', 'persistence', 'execution'], bundle).map((t) => [t.id, t.order])).toEqual([
      ['execution', 0],
      ['persistence', 1],
      ['reconnaissance', 2],
    ]);
  });

  it('returns copies, never the table itself', () => {
    const [first] = orderTactics(['impact']);
    first!.order = 99;
    expect(ENTERPRISE_TACTICS[13]!.order).toBe(13);
  });
});

describe('tacticNameFromId', () => {
  it('title-cases words and keeps small words small', () => {
    expect(tacticNameFromId('command-and-control')).toBe('Command and Control');
    expect(tacticNameFromId('stealth')).toBe('Stealth');
  });
});

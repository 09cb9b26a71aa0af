import { describe, expect, it } from 'vitest';
import { compareIds, isTechniqueId, parentTechnique, TECHNIQUE_ID_PATTERN, techniqueFromTag } from '../../src/lib/attack/technique-id.ts';

describe('technique ids', () => {
  it.each([
    ['attack.t1003.001', 'T1003.001'],
    ['attack.t1003', 'T1003'],
    ['ATTACK.T1059.003', 'T1059.003'],
    [' attack.t1110.002 ', 'T1110.002'],
    ['attack.credential-access', undefined],
    ['attack.g0016', undefined],
    ['attack.s0002', undefined],
    ['attack.t1003.01', undefined],
    ['attack.t1003.001.002', undefined],
    ['cve.2021-44228', undefined],
    ['t1003', undefined],
  ])('techniqueFromTag(%j) → %j', (tag, id) => {
    expect(techniqueFromTag(tag)).toBe(id);
  });

  it('finds the parent of a sub-technique only', () => {
    expect(parentTechnique('T1003.001')).toBe('T1003');
    expect(parentTechnique('T1003')).toBeUndefined();
    expect(parentTechnique('not an id.001')).toBeUndefined();
  });

  it('validates the upper-case form', () => {
    expect(['T1003', 'T1003.001'].every(isTechniqueId)).toBe(true);
    expect(['t1003', 'T103', 'T1003.1', 'T1003.001 ', 'TA0006'].some(isTechniqueId)).toBe(false);
    expect(TECHNIQUE_ID_PATTERN.source).toBe('^T\\d{4}(?:\\.\\d{3})?$');
  });

  it('orders ids by code unit, parents before their sub-techniques', () => {
    expect(['T1003.001', 'T1059', 'T1003', 'T1003.010'].sort(compareIds)).toEqual(['T1003', 'T1003.001', 'T1003.010', 'T1059']);
  });
});

import { describe, expect, it } from 'vitest';
import { detection, matches } from './helpers.ts';
import { prepareEvent } from '../../src/lib/match/event.ts';

const ids = `sel_a: {A: x}\nsel_b: {B: y}\n_hidden: {H: z}\nfilter: {F: z}\n`;

describe('conditions', () => {
  it('1 of pattern is OR', () => expect(matches(`${ids}condition: 1 of sel_*`, { B: 'y' })).toBe(true));
  it('any of is 1 of', () => expect(matches(`${ids}condition: any of sel_*`, { A: 'x' })).toBe(true));
  it('all of pattern is AND', () => expect(matches(`${ids}condition: all of sel_*`, { A: 'x' })).toBe(false));
  it('1 of them covers every identifier', () => expect(matches(`${ids}condition: 1 of them`, { F: 'z' })).toBe(true));
  it('them does not pull in identifiers starting with _', () => expect(matches(`${ids}condition: 1 of them`, { H: 'z' })).toBe(false));
  it('all of them', () => expect(matches(`${ids}condition: all of them`, { A: 'x', B: 'y', F: 'z' })).toBe(true));
  it('not negates', () => expect(matches(`${ids}condition: sel_a and not filter`, { A: 'x' })).toBe(true));
  it('parentheses override precedence', () => expect(matches(`${ids}condition: (sel_a or sel_b) and filter`, { A: 'x' })).toBe(false));
  it('a list of conditions matches if any does', () => expect(matches(`${ids}condition: [sel_a, sel_b]`, { B: 'y' })).toBe(true));
  it('a list of maps is OR', () => expect(matches(`sel:\n  - {A: x}\n  - {B: y}\ncondition: sel`, { B: 'y' })).toBe(true));
  it('a map is AND', () => expect(matches(`sel: {A: x, B: y}\ncondition: sel`, { A: 'x' })).toBe(false));
});

describe('unknown values (three-valued logic)', () => {
  const unknownSel = `sel: {A: x}\nplaceholder: {B|expand: '%x%'}\n`;
  it('true or unknown is true', () => expect(matches(`${unknownSel}condition: sel or placeholder`, { A: 'x' })).toBe(true));
  it('true and unknown is unknown', () => expect(matches(`${unknownSel}condition: sel and placeholder`, { A: 'x' })).toBeUndefined());
  it('false and unknown is false', () => expect(matches(`${unknownSel}condition: sel and placeholder`, { A: 'no' })).toBe(false));
  it('not unknown is unknown', () => expect(matches(`${unknownSel}condition: sel and not placeholder`, { A: 'x' })).toBeUndefined());
  it('a refused regex is unknown, not an error', () => expect(matches(`sel: {A|re: '(a+)+$'}\ncondition: sel`, { A: 'aaa' })).toBeUndefined());
  it('the matcher lists why parts are unknown', () => expect(detection(`sel: {A|expand: '%x%'}\ncondition: sel`).unknown[0]).toMatch(/expand/));
  it('aggregations are unsupported', () => expect(detection(`sel: {A: x}\ncondition: sel | count() > 5`).unsupported).toMatch(/aggregation/));
});

describe('null and keywords', () => {
  it('null matches an empty field', () => expect(matches(`sel: {User: null}\ncondition: sel`, { User: '' })).toBe(true));
  it('null does not match a present value', () => expect(matches(`sel: {User: null}\ncondition: sel`, { User: 'x' })).toBe(false));
  it('not null requires a value', () => expect(matches(`sel: {User: null}\ncondition: not sel`, { User: 'x' })).toBe(true));
  it("keywords are OR'ed", () => expect(matches(`keywords: [foo, bar]\ncondition: keywords`, { A: 'xBARx' })).toBe(true));
  it('keywords with all need every value, in any fields', () => {
    expect(matches(`keywords:\n  '|all': [foo, bar]\ncondition: keywords`, { A: 'foo', B: 'bar' })).toBe(true);
    expect(matches(`keywords:\n  '|all': [foo, bar]\ncondition: keywords`, { A: 'foo' })).toBe(false);
  });
  it('keywords keep wildcards', () => expect(matches(`keywords: ['a*c']\ncondition: keywords`, { A: 'xabbcx' })).toBe(true));
  it('keywords search numbers as text', () => expect(matches(`keywords: ['4688']\ncondition: keywords`, { EventID: 4688 })).toBe(true));
});

describe('explanations', () => {
  it('name the true identifiers and the values matched', () => {
    const m = detection(
      `sel: {Image|endswith: '\\net.exe', CommandLine|contains: [' user ', ' group ']}\nfilter: {User: SYSTEM}\ncondition: sel and not filter`,
    );
    const event = prepareEvent({ Image: 'C:\\Windows\\System32\\net.exe', CommandLine: 'net user x /add', User: 'bob' });
    expect(m.test(event)).toBe(true);
    expect(m.explain(event)).toEqual({
      condition: 'sel and not filter',
      identifiers: [
        { name: 'filter', value: false },
        { name: 'sel', value: true },
      ],
      matches: [
        {
          identifier: 'sel',
          field: 'Image',
          modifiers: ['endswith'],
          matches: [{ value: '\\net.exe', field: 'Image', eventValue: 'C:\\Windows\\System32\\net.exe' }],
        },
        {
          identifier: 'sel',
          field: 'CommandLine',
          modifiers: ['contains'],
          matches: [{ value: ' user ', field: 'CommandLine', eventValue: 'net user x /add' }],
        },
      ],
    });
  });

  it('show only the identifiers the condition holds by: not a filter that matched under `not`, not a branch that failed', () => {
    // As SigmaHQ 737e618a: `selection_1 or (selection_2 and not filter)`, fired by selection_1 while the filter matched.
    const m = detection(
      `selection_1: {Image|endswith: '\\calc.exe'}\nselection_2: {CommandLine|contains: copy}\nfilter: {Image|contains: ':\\Windows\\System32\\'}\ncondition: selection_1 or (selection_2 and not filter)`,
    );
    const event = prepareEvent({ Image: 'C:\\Windows\\System32\\calc.exe', CommandLine: 'copy calc.exe x' });
    expect(m.test(event)).toBe(true);
    const explained = m.explain(event);
    expect(explained.identifiers.filter((i) => i.value).map((i) => i.name)).toEqual(['filter', 'selection_1', 'selection_2']);
    expect(explained.matches.map((x) => x.identifier)).toEqual(['selection_1']);
    // `1 of` shows every true one; `all of` all of them.
    const ofs = detection(`sel_a: {A: x}\nsel_b: {B: y}\nsel_c: {C: z}\ncondition: 1 of sel_* and not sel_c`);
    const both = prepareEvent({ A: 'x', B: 'y' });
    expect(ofs.explain(both).matches.map((x) => x.identifier)).toEqual(['sel_a', 'sel_b']);
  });
});

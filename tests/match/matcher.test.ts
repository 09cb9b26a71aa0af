import { describe, expect, it } from 'vitest';
import { matches } from './helpers.ts';

/** The "Cases an evaluator must get right" table of the Sigma reference, one row per test. */
describe('cases an evaluator must get right', () => {
  it('endswith is case-insensitive and \\n is a literal backslash + n', () => {
    expect(matches(`sel: {Image|endswith: '\\net.exe'}\ncondition: sel`, { Image: 'C:\\Windows\\System32\\NET.EXE' })).toBe(true);
  });
  it('the backslash is part of the value (internet.exe does not end with \\net.exe)', () => {
    expect(matches(`sel: {Image|endswith: '\\net.exe'}\ncondition: sel`, { Image: 'C:\\tools\\internet.exe' })).toBe(false);
  });
  it('contains keeps surrounding spaces', () => {
    expect(matches(`sel: {CommandLine|contains: ' use '}\ncondition: sel`, { CommandLine: 'net use \\\\host\\c$' })).toBe(true);
  });
  it('endswith matches the end of the value', () => {
    expect(matches(`sel: {CommandLine|endswith: ' use'}\ncondition: sel`, { CommandLine: 'net use' })).toBe(true);
  });
  it('a star matches any run of characters', () => {
    expect(matches(`sel: {CommandLine: 'net*sessions'}\ncondition: sel`, { CommandLine: 'net sessions' })).toBe(true);
  });
  it('an escaped star is a literal star', () => {
    const rule = `sel: {CommandLine: 'a\\*b'}\ncondition: sel`;
    expect(matches(rule, { CommandLine: 'a*b' })).toBe(true);
    expect(matches(rule, { CommandLine: 'axb' })).toBe(false);
  });
  it('contains|all needs every value', () => {
    const rule = `sel: {CommandLine|contains|all: [' -w ', 'hidden']}\ncondition: sel`;
    expect(matches(rule, { CommandLine: 'powershell -w hidden -c x' })).toBe(true);
  });
  it('contains|all fails when one value is missing', () => {
    const rule = `sel: {CommandLine|contains|all: [' -w ', 'hidden']}\ncondition: sel`;
    expect(matches(rule, { CommandLine: 'powershell -c hidden' })).toBe(false);
  });
  it('windash accepts / for -', () => {
    expect(matches(`sel: {CommandLine|windash|contains: ' -enc '}\ncondition: sel`, { CommandLine: 'powershell /enc AAA' })).toBe(true);
  });
  it('base64offset finds the value at one of three offsets', () => {
    const encoded = Buffer.from('IEX http://x').toString('base64');
    expect(matches(`sel: {CommandLine|base64offset|contains: 'http://'}\ncondition: sel`, { CommandLine: `powershell -enc ${encoded}` })).toBe(true);
  });
  it('cased makes the comparison case-sensitive', () => {
    expect(matches(`sel: {CommandLine|cased: 'Net'}\ncondition: sel`, { CommandLine: 'net' })).toBe(false);
  });
  it('a field spelt in another case is found; the exact spelling wins', () => {
    expect(matches(`sel: {commandline|contains: 'whoami'}\ncondition: sel`, { CommandLine: 'cmd /c whoami' })).toBe(true);
    const both = { Image: 'C:\\a\\x.exe', image: 'C:\\a\\y.exe' };
    expect(matches(`sel: {Image|endswith: 'x.exe'}\ncondition: sel`, both)).toBe(true);
    expect(matches(`sel: {IMAGE|endswith: 'y.exe'}\ncondition: sel`, both)).toBe(true);
    expect(matches(`sel: {IMAGE|endswith: 'x.exe'}\ncondition: sel`, both)).toBe(false);
    expect(matches(`sel: {ParentImage|endswith: 'x.exe'}\ncondition: sel`, both)).toBe(false);
  });
  it('null matches an absent field', () => {
    expect(matches(`sel: {User: null}\ncondition: sel`, { Image: 'x' })).toBe(true);
  });
  it('keywords match any field containing the value, ignoring case', () => {
    expect(matches(`keywords: ['mimikatz']\ncondition: keywords`, { Image: 'C:\\x.exe', CommandLine: 'run MIMIKATZ now' })).toBe(true);
  });
  it('not binds tighter than and', () => {
    const rule = `selection_a: {A: x}\nselection_b: {B: y}\nfilter: {F: z}\ncondition: 1 of selection_* and not filter`;
    expect(matches(rule, { A: 'x', F: 'z' })).toBe(false);
  });
  it('and binds tighter than or', () => {
    expect(matches(`a: {A: x}\nb: {B: y}\nc: {C: z}\ncondition: a or b and c`, { A: 'x' })).toBe(true);
  });
});

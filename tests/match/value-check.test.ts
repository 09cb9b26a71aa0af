import { describe, expect, it } from 'vitest';
import { matches } from './helpers.ts';
import { matchOffset } from '../../src/lib/match/value-check.ts';

const rule = (item: string) => `sel:\n  ${item}\ncondition: sel`;

describe('modifiers', () => {
  it('contains', () => expect(matches(rule(`F|contains: 'b c'`), { F: 'a B C d' })).toBe(true));
  it('startswith', () => expect(matches(rule(`F|startswith: 'ab'`), { F: 'ABc' })).toBe(true));
  it('startswith does not match the end', () => expect(matches(rule(`F|startswith: 'bc'`), { F: 'abc' })).toBe(false));
  it('endswith', () => expect(matches(rule(`F|endswith: '.EXE'`), { F: 'x.exe' })).toBe(true));
  it('a plain value is whole-value equality', () => expect(matches(rule(`F: 'net'`), { F: 'net.exe' })).toBe(false));
  it('? matches exactly one character', () => {
    expect(matches(rule(`F: 'a?c'`), { F: 'abc' })).toBe(true);
    expect(matches(rule(`F: 'a?c'`), { F: 'abbc' })).toBe(false);
  });
  it('an escaped ? is literal', () => expect(matches(rule(`F: 'a\\?c'`), { F: 'abc' })).toBe(false));
  it('\\\\ is one literal backslash', () => expect(matches(rule(`F: 'C:\\\\Windows'`), { F: 'C:\\Windows' })).toBe(true));
  it('a trailing lone backslash is literal', () => expect(matches(rule(`F|endswith: 'dir\\'`), { F: 'C:\\dir\\' })).toBe(true));
  it('a list is OR', () => expect(matches(rule(`F: [a, b]`), { F: 'b' })).toBe(true));
  it('all makes a list AND', () => expect(matches(rule(`F|contains|all: [a, z]`), { F: 'abc' })).toBe(false));
  it('cased keeps case in contains', () => expect(matches(rule(`F|contains|cased: 'ABC'`), { F: 'xabcx' })).toBe(false));
  it('windash: en dash, em dash and horizontal bar', () => {
    for (const dash of ['\u2013', '\u2014', '\u2015', '-', '/']) expect(matches(rule(`F|windash|contains: ' -exec '`), { F: `x ${dash}exec y` })).toBe(true);
  });
  it('windash leaves a dash inside a word alone', () => expect(matches(rule(`F|windash|contains: 'a-b'`), { F: 'a/b' })).toBe(false));
  it('base64', () => expect(matches(rule(`F|base64: 'hello'`), { F: 'aGVsbG8=' })).toBe(true));
  it('base64offset|contains finds all three offsets', () => {
    for (const prefix of ['', 'x', 'xy']) {
      const encoded = Buffer.from(`${prefix}http://evil`).toString('base64');
      expect(matches(rule(`F|base64offset|contains: 'http://'`), { F: encoded })).toBe(true);
    }
  });
  it("base64offset gives pySigma's three strings for http://", () => {
    for (const s of ['aHR0cDovL', 'h0dHA6Ly', 'odHRwOi8v']) expect(matches(rule(`F|base64offset|contains: 'http://'`), { F: `..${s}..` })).toBe(true);
  });
  it('wide|base64offset (utf16le) finds a UTF-16 encoded command', () => {
    const encoded = Buffer.from('IEX (New-Object Net.WebClient)', 'utf16le').toString('base64');
    expect(matches(rule(`F|wide|base64offset|contains: 'Net.WebClient'`), { F: `powershell -enc ${encoded}` })).toBe(true);
  });
  it('utf16le|base64offset equals wide', () => {
    const encoded = Buffer.from('whoami', 'utf16le').toString('base64');
    expect(matches(rule(`F|utf16le|base64offset|contains: 'whoami'`), { F: encoded })).toBe(true);
  });
  it('utf16be|base64offset', () => {
    const encoded = Buffer.from('whoami', 'utf16le').swap16().toString('base64');
    expect(matches(rule(`F|utf16be|base64offset|contains: 'whoami'`), { F: encoded })).toBe(true);
  });
  it('utf16 adds a byte-order mark', () => {
    const encoded = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('ab', 'utf16le')]).toString('base64');
    expect(matches(rule(`F|utf16|base64: 'ab'`), { F: encoded })).toBe(true);
  });
  it('cidr (IPv4)', () => {
    expect(matches(rule(`F|cidr: 10.0.0.0/8`), { F: '10.20.30.40' })).toBe(true);
    expect(matches(rule(`F|cidr: 10.0.0.0/8`), { F: '11.0.0.1' })).toBe(false);
  });
  it('cidr (IPv6)', () => {
    expect(matches(rule(`F|cidr: 'fe80::/10'`), { F: 'fe80::1ff:fe23:4567:890a' })).toBe(true);
    expect(matches(rule(`F|cidr: 'fe80::/10'`), { F: '2001:db8::1' })).toBe(false);
  });
  it('exists: true needs the field, false its absence', () => {
    expect(matches(rule(`F|exists: true`), { F: '' })).toBe(true);
    expect(matches(rule(`F|exists: false`), { G: 'x' })).toBe(true);
    expect(matches(rule(`F|exists: true`), { G: 'x' })).toBe(false);
  });
  it('fieldref compares with another field', () => {
    expect(matches(rule(`A|fieldref: B`), { A: 'X', B: 'x' })).toBe(true);
    expect(matches(rule(`A|fieldref: B`), { A: 'x', B: 'y' })).toBe(false);
  });
  it('fieldref with endswith', () => expect(matches(rule(`A|fieldref|endswith: B`), { A: 'C:\\x\\evil.exe', B: 'evil.exe' })).toBe(true));
  it('lt, lte, gt, gte compare numbers', () => {
    expect(matches(rule(`N|lt: 10`), { N: 9 })).toBe(true);
    expect(matches(rule(`N|lte: 10`), { N: '10' })).toBe(true);
    expect(matches(rule(`N|gt: 10`), { N: 10 })).toBe(false);
    expect(matches(rule(`N|gte: 10`), { N: 11 })).toBe(true);
  });
  it('a comparison with a non-numeric field is false', () => expect(matches(rule(`N|gt: 1`), { N: 'abc' })).toBe(false));
  it('neq is true for a different value and false for an absent field', () => {
    expect(matches(rule(`F|neq: a`), { F: 'b' })).toBe(true);
    expect(matches(rule(`F|neq: a`), { F: 'A' })).toBe(false);
    expect(matches(rule(`F|neq: a`), {})).toBe(false);
  });
  it('re searches (unanchored), case-sensitively', () => {
    expect(matches(rule(`F|re: 'net\\s+user'`), { F: 'cmd /c net  user x' })).toBe(true);
    expect(matches(rule(`F|re: 'NET'`), { F: 'net' })).toBe(false);
  });
  it('re|i ignores case', () => expect(matches(rule(`F|re|i: 'NET'`), { F: 'net' })).toBe(true));
  it('re|m lets ^ match after a newline', () => {
    expect(matches(rule(`F|re: '^b'`), { F: 'a\nb' })).toBe(false);
    expect(matches(rule(`F|re|m: '^b'`), { F: 'a\nb' })).toBe(true);
  });
  it('re|s lets . match a newline', () => {
    expect(matches(rule(`F|re: 'a.b'`), { F: 'a\nb' })).toBe(false);
    expect(matches(rule(`F|re|s: 'a.b'`), { F: 'a\nb' })).toBe(true);
  });
  it('re understands a leading (?i)', () => expect(matches(rule(`F|re: '(?i)net'`), { F: 'NET' })).toBe(true));
  it('expand is not evaluable', () => expect(matches(rule(`F|expand: '%Admins%'`), { F: 'x' })).toBeUndefined());
  it('time parts are not evaluable', () => expect(matches(rule(`T|hour: 3`), { T: '2024-01-01T03:00:00Z' })).toBeUndefined());
  it('numbers compare as numbers with a numeric field', () => {
    expect(matches(rule(`EventID: 4688`), { EventID: '4688' })).toBe(true);
    expect(matches(rule(`EventID: 4688`), { EventID: 4688 })).toBe(true);
    expect(matches(rule(`EventID: 4688`), { EventID: '04688' })).toBe(true);
  });
  it('a number with contains compares as text', () => expect(matches(rule(`F|contains: 46`), { F: 'x4688' })).toBe(true));
  it('an empty string matches an empty field, not an absent one', () => {
    expect(matches(rule(`F: ''`), { F: '' })).toBe(true);
    expect(matches(rule(`F: ''`), {})).toBe(false);
  });
  it('field names fall back to a case-insensitive match', () => expect(matches(rule(`commandline|contains: x`), { CommandLine: 'x' })).toBe(true));
  it('many contains values (merged into one search) still match any one', () => {
    const values = Array.from({ length: 20 }, (_, i) => `tool${i}.exe`);
    expect(matches(rule(`F|contains: [${values.join(', ')}]`), { F: 'C:\\TOOL17.EXE' })).toBe(true);
    expect(matches(rule(`F|contains: [${values.join(', ')}]`), { F: 'C:\\tool.exe' })).toBe(false);
  });
});

describe('matchOffset (where a matched value is, to point at its line)', () => {
  const text = 'first line\nAccess`r`n here\nmimikatz';
  it('is the regular expression’s first match for re', () => expect(matchOffset(['re'], 'Access`r`n', text)).toBe(11));
  it('honours the regex flags', () => expect(matchOffset(['re', 'i'], 'MIMI', text)).toBe(text.indexOf('mimikatz')));
  it('is the longest literal piece of a wildcard value, case-insensitively', () =>
    expect(matchOffset(['contains'], '*MIMIKATZ*', text)).toBe(text.indexOf('mimikatz')));
  it('is -1 when the form is not in the text', () => expect(matchOffset(['base64'], 'mimikatz', text)).toBe(-1));
  it('is the end for endswith, the dash written for windash, case-sensitive for cased', () => {
    const cmd = 'C:\\tools\\x.exe /s C:\\Windows\\x.exe';
    expect(matchOffset(['endswith'], '\\x.exe', cmd)).toBe(cmd.length - 6);
    expect(matchOffset(['contains', 'windash'], ' -s ', cmd)).toBe(cmd.indexOf(' /s '));
    expect(matchOffset(['contains', 'cased'], 'Windows', 'windows Windows')).toBe(8);
  });
});

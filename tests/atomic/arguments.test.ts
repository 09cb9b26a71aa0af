import { describe, expect, it } from 'vitest';
import { substituteArguments } from '../../src/lib/atomic/arguments.ts';

describe('substituteArguments', () => {
  const args = [{ name: 'output_file', default: 'C:\\Temp\\out.txt' }, { name: 'count', default: '10' }, { name: 'optional_args' }];

  it('replaces each placeholder with its default, every occurrence', () => {
    expect(substituteArguments('dir > #{output_file} & type #{output_file} | more +#{count}', args)).toBe(
      'dir > C:\\Temp\\out.txt & type C:\\Temp\\out.txt | more +10',
    );
  });

  it('keeps placeholders no argument declares, as written', () => {
    expect(substituteArguments('echo #{unknown} #{} #{count}', args)).toBe('echo #{unknown} #{} 10');
  });

  it('substitutes the empty string for an argument without a default', () => {
    expect(substituteArguments('net user #{optional_args}/domain', args)).toBe('net user /domain');
  });

  it('is case-sensitive, like Invoke-AtomicTest', () => {
    expect(substituteArguments('#{Count}', args)).toBe('#{Count}');
  });

  it('accepts a plain record of values', () => {
    expect(substituteArguments('ping -n #{n} #{host}', { n: '4', host: '127.0.0.1' })).toBe('ping -n 4 127.0.0.1');
  });

  it('resolves defaults that refer to other arguments (T1055.011 does)', () => {
    const nested = { exe: 'bin\\payload_#{arch}.exe', arch: 'x64' };
    expect(substituteArguments('#{exe}', nested)).toBe('bin\\payload_x64.exe');
  });

  it('stops at a cycle instead of looping', () => {
    expect(substituteArguments('#{a}', { a: 'A(#{b})', b: 'B(#{a})' })).toBe('A(B(#{a}))');
    expect(substituteArguments('#{self}', { self: '#{self}!' })).toBe('#{self}!');
  });

  it('does not treat replacement text as a pattern', () => {
    expect(substituteArguments('#{x}', { x: '$& $1 $$' })).toBe('$& $1 $$');
  });

  it('leaves text without placeholders alone', () => {
    expect(substituteArguments('whoami /all', args)).toBe('whoami /all');
  });
});

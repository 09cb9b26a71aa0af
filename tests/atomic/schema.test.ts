import { describe, expect, it } from 'vitest';
import { atomicFileSchema, atomicTestSchema, formatIssues } from '../../src/lib/atomic/schema.ts';

const minimal = {
  name: 'Enumerate users',
  auto_generated_guid: '55555555-5555-4555-8555-555555555555',
  supported_platforms: ['linux'],
  executor: { name: 'sh', command: 'cat /etc/passwd' },
};

describe('atomicTestSchema', () => {
  it('fills in what the corpus leaves out', () => {
    expect(atomicTestSchema.parse(minimal)).toEqual({
      ...minimal,
      input_arguments: {},
      dependencies: [],
      executor: { name: 'sh', command: 'cat /etc/passwd', elevation_required: false },
    });
  });

  it('reads numeric and boolean defaults as text, and null as no default', () => {
    const test = atomicTestSchema.parse({
      ...minimal,
      input_arguments: {
        port: { description: 'Port', type: 'integer', default: 8080 },
        flag: { description: 'Flag', type: 'string', default: false },
        optional_args: { description: 'Extra', type: 'string', default: null },
      },
    });
    expect(test.input_arguments).toEqual({
      port: { description: 'Port', type: 'integer', default: '8080' },
      flag: { description: 'Flag', type: 'string', default: 'false' },
      optional_args: { description: 'Extra', type: 'string' },
    });
  });

  it('treats empty keys (null) as absent', () => {
    const test = atomicTestSchema.parse({
      ...minimal,
      input_arguments: null,
      dependencies: null,
      executor: { name: 'sh', command: 'id', cleanup_command: null, elevation_required: null },
    });
    expect(test.input_arguments).toEqual({});
    expect(test.dependencies).toEqual([]);
    expect(test.executor).toEqual({ name: 'sh', command: 'id', elevation_required: false });
  });

  it('trims names (a few corpus names end with a space)', () => {
    expect(atomicTestSchema.parse({ ...minimal, name: 'operating system discovery ' }).name).toBe('operating system discovery');
  });

  it('accepts a manual executor with steps and no command', () => {
    const test = atomicTestSchema.parse({ ...minimal, executor: { name: 'manual', steps: '1. Do it' } });
    expect(test.executor.steps).toBe('1. Do it');
  });

  it.each([
    ['a missing executor', { ...minimal, executor: undefined }, 'executor: Invalid input: expected object, received undefined'],
    ['a blank guid', { ...minimal, auto_generated_guid: '  ' }, 'auto_generated_guid: must not be empty'],
    ['no platforms', { ...minimal, supported_platforms: [] }, 'supported_platforms: Too small'],
    ['an executor with nothing to run', { ...minimal, executor: { name: 'sh' } }, 'executor: an executor needs a command'],
    ['a non-boolean elevation_required', { ...minimal, executor: { name: 'sh', command: 'id', elevation_required: 'maybe' } }, 'executor.elevation_required'],
    ['an argument that is not a mapping', { ...minimal, input_arguments: { x: 'oops' } }, 'input_arguments.x'],
  ])('rejects %s', (_, input, expected) => {
    const result = atomicTestSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(formatIssues(result.error!)).toContain(expected);
  });
});

describe('atomicFileSchema', () => {
  it('checks the envelope and leaves tests unvalidated', () => {
    const file = atomicFileSchema.parse({ attack_technique: 'T1087', display_name: 'Account Discovery', atomic_tests: [1, 'x'] });
    expect(file.atomic_tests).toEqual([1, 'x']);
  });

  it('rejects a file without tests', () => {
    const result = atomicFileSchema.safeParse({ attack_technique: 'T1087', display_name: 'Account Discovery' });
    expect(formatIssues(result.error!)).toBe('atomic_tests: Invalid input: expected array, received undefined');
  });
});

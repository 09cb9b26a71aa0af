import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAtomics, type AtomicTechnique } from '../../src/lib/atomic/load.ts';
import type { Diagnostic } from '../../src/lib/diagnostics.ts';
import { removeTemp, tempDir } from '../safety/helpers.ts';

afterAll(removeTemp);

const fixtures = path.relative(process.cwd(), path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/atomic'));

describe('loadAtomics on a clean folder', () => {
  const root = path.join(fixtures, 'valid');
  let result: Awaited<ReturnType<typeof loadAtomics>>;
  let byId: Map<string, AtomicTechnique>;
  beforeAll(async () => {
    result = await loadAtomics(root);
    byId = new Map(result.techniques.map((technique) => [technique.id, technique]));
  });

  it('reads only each folder’s Txxxx.yaml and Txxxx.md, without diagnostics', () => {
    expect(result.diagnostics).toEqual([]);
    expect(result.files).toBe(3);
    expect(result.techniques.map((technique) => technique.id)).toEqual(['T1003.001', 'T1016']);
  });

  it('gives file paths as the root was given', () => {
    expect(byId.get('T1016')!.file).toBe(path.join(root, 'T1016/T1016.yaml'));
  });

  it('takes the description from the markdown', () => {
    expect(byId.get('T1016')!.description).toBe(
      [
        'Adversaries may look for details about the network configuration of systems they access.',
        '',
        'Tools such as [ipconfig](https://attack.mitre.org/software/S0100) and <code>ifconfig</code> can be used:',
        '',
        '* `arp`',
        '* `route`',
      ].join('\n'),
    );
    expect(byId.get('T1003.001')!.description).toBeUndefined();
  });

  it('builds catalog tests with resolved commands and sorted, textual arguments', () => {
    expect(byId.get('T1016')!.tests[0]).toEqual({
      guid: '11111111-1111-4111-8111-111111111111',
      technique: 'T1016',
      number: 1,
      name: 'List Network Interfaces (FreeBSD, Linux & MacOS)',
      description: 'Lists the network interfaces.\n',
      platforms: ['linux', 'macos'],
      executor: 'sh',
      elevationRequired: false,
      command: 'ifconfig -a #{optional_args}| head -n #{count} > #{output_file} # v#{version} #{not_an_argument}\n',
      commandResolved: 'ifconfig -a | head -n 10 > /tmp/atomic_interfaces.txt # v16.0 #{not_an_argument}\n',
      cleanup: 'rm -f #{output_file}',
      cleanupResolved: 'rm -f /tmp/atomic_interfaces.txt',
      inputArguments: [
        { name: 'count', description: 'Lines to keep (an integer in the yaml)', type: 'integer', default: '10' },
        { name: 'optional_args', description: 'Extra arguments (no default)', type: 'string' },
        {
          name: 'output_file',
          description: 'Where the listing goes (refers to another argument)',
          type: 'path',
          default: '/tmp/#{prefix}_interfaces.txt',
        },
        { name: 'prefix', description: 'File name prefix', type: 'string', default: 'atomic' },
        { name: 'version', description: 'A float whose trailing zero matters', type: 'float', default: '16.0' },
      ],
      dependencies: [
        {
          description: 'ifconfig must exist\n',
          prereqCommand: 'which ifconfig\n',
          getPrereqCommand: 'apt-get install -y net-tools\n',
        },
      ],
      dependencyExecutor: 'sh',
      anchor: 'atomic-test-1-list-network-interfaces-freebsd-linux--macos',
    });
  });

  it('keeps manual steps and leaves absent fields out', () => {
    expect(byId.get('T1016')!.tests[1]).toEqual({
      guid: '22222222-2222-4222-8222-222222222222',
      technique: 'T1016',
      number: 2,
      name: 'Review Adapter Settings',
      description: 'Look at the adapter settings by hand.',
      platforms: ['windows'],
      executor: 'manual',
      elevationRequired: false,
      steps: '1. Open ncpa.cpl\n2. Inspect the adapter\n',
      inputArguments: [],
      dependencies: [],
      anchor: 'atomic-test-2-review-adapter-settings',
    });
  });

  it('computes the anchor when there is no markdown', () => {
    const [test] = byId.get('T1003.001')!.tests;
    expect(test).toMatchObject({
      name: 'Dump LSASS.exe Memory (ProcDump)',
      anchor: 'atomic-test-1-dump-lsassexe-memory-procdump',
      elevationRequired: true,
      commandResolved: 'procdump.exe -accepteula:true -ma lsass.exe C:\\Windows\\Temp\\lsass_dump.dmp\n',
    });
  });

  it('is deterministic', async () => {
    expect(await loadAtomics(root)).toEqual(result);
  });
});

describe('loadAtomics on broken input', () => {
  const root = path.join(fixtures, 'broken');
  let result: Awaited<ReturnType<typeof loadAtomics>>;
  const at = (file: string) => path.join(root, file);
  const find = (code: string, file: string): Diagnostic[] => result.diagnostics.filter((d) => d.code === code && d.file === at(file));
  beforeAll(async () => {
    result = await loadAtomics(root);
  });

  it('reports a markdown page without its yaml', () => {
    expect(find('missing-yaml', 'T1059/T1059.md')).toEqual([
      {
        file: at('T1059/T1059.md'),
        severity: 'error',
        code: 'missing-yaml',
        message: 'T1059 has a markdown page but no T1059.yaml',
      },
    ]);
  });

  it('reports yaml syntax errors with line and column, and skips the technique', () => {
    expect(find('yaml-syntax', 'T1082/T1082.yaml')).toEqual([
      {
        file: at('T1082/T1082.yaml'),
        severity: 'error',
        code: 'yaml-syntax',
        message: 'bad indentation of a mapping entry',
        line: 6,
        column: 15,
      },
    ]);
    expect(result.techniques.find((technique) => technique.id === 'T1082')).toBeUndefined();
  });

  it('drops a test that fails the schema, naming file, index and line; the others keep their numbers', () => {
    expect(find('schema', 'T1087/T1087.yaml')).toEqual([
      {
        file: at('T1087/T1087.yaml'),
        severity: 'error',
        code: 'schema',
        message: 'atomic_tests[1] (Atomic Test #2: No executor): executor: Invalid input: expected object, received undefined',
        line: 12,
      },
    ]);
    const technique = result.techniques.find((t) => t.id === 'T1087')!;
    expect(technique.tests.map((test) => [test.number, test.name])).toEqual([
      [1, 'Enumerate users'],
      [3, 'Enumerate groups'],
    ]);
  });

  it('has no description when the markdown has none, and warns when headings and yaml disagree', () => {
    const technique = result.techniques.find((t) => t.id === 'T1087')!;
    expect(technique.description).toBeUndefined();
    // The page's anchor wins: it is what GitHub renders and what links point at.
    expect(technique.tests[1]!.anchor).toBe('atomic-test-3-enumerate-local-groups');
    expect(find('markdown', 'T1087/T1087.md').map((d) => [d.severity, d.line, d.message])).toEqual([
      ['warning', 11, 'heading for Atomic Test #3 reads "Enumerate local groups" but the yaml names it "Enumerate groups"'],
      ['warning', 13, 'heading for Atomic Test #4 has no test in the yaml'],
    ]);
  });

  it('keeps the first of two tests sharing a guid and reports the second', () => {
    expect(find('duplicate-guid', 'T1105/T1105.yaml')).toEqual([
      {
        file: at('T1105/T1105.yaml'),
        severity: 'error',
        code: 'duplicate-guid',
        message: 'Atomic Test #1 reuses guid 55555555-5555-4555-8555-555555555555 of T1087 Atomic Test #1; dropped',
        line: 4,
      },
    ]);
    expect(result.techniques.find((t) => t.id === 'T1105')!.tests).toEqual([]);
  });

  it('reports a file whose envelope is wrong', () => {
    expect(find('schema', 'T1112/T1112.yaml').map((d) => d.message)).toEqual(['atomic_tests: Invalid input: expected array, received string']);
  });

  it('warns when attack_technique does not match the folder, and uses attack_technique', () => {
    expect(find('schema', 'T1113/T1113.yaml').map((d) => [d.severity, d.message])).toEqual([
      ['warning', 'attack_technique T1114 does not match its folder T1113'],
    ]);
    expect(result.techniques.map((t) => t.id)).toEqual(['T1087', 'T1105', 'T1114']);
  });

  it('accounts for every file: each one is a technique or has a diagnostic', () => {
    expect(result.files).toBe(7);
    const files = new Set([...result.techniques.map((t) => t.file), ...result.diagnostics.map((d) => d.file)]);
    for (const file of ['T1059/T1059.md', 'T1082/T1082.yaml', 'T1087/T1087.yaml', 'T1105/T1105.yaml', 'T1112/T1112.yaml', 'T1113/T1113.yaml']) {
      expect(files).toContain(at(file));
    }
  });
});

describe('loadAtomics on a missing folder', () => {
  it('returns one diagnostic, not an exception', async () => {
    const root = path.join(fixtures, 'does-not-exist');
    expect(await loadAtomics(root)).toEqual({
      techniques: [],
      files: 0,
      diagnostics: [{ file: root, severity: 'error', code: 'read-error', message: 'not a directory' }],
    });
  });
});

describe('loadAtomics and links to the files tests load', () => {
  it("reports a linked src/ or bin/ folder (the payload store does not enter it), not a technique's own src/", async () => {
    const { cpSync, mkdirSync, symlinkSync } = await import('node:fs');
    // T1016 has a src/ folder of its own, not reported.
    const root = path.join(tempDir('atomics-src-link'), 'atomics');
    cpSync(path.join(fixtures, 'valid'), root, { recursive: true });
    mkdirSync(path.join(root, '..', 'outside'));
    mkdirSync(path.join(root, 'T1016', 'src'), { recursive: true });
    symlinkSync(path.join(root, '..', 'outside'), path.join(root, 'T1016', 'bin'));
    symlinkSync(path.join(root, '..', 'outside'), path.join(root, 'T1003.001', 'src'));
    const result = await loadAtomics(root);
    expect(result.diagnostics.map((d: Diagnostic) => [path.relative(root, d.file), d.code])).toEqual([
      ['T1003.001/src', 'symlink'],
      ['T1016/bin', 'symlink'],
    ]);
    expect(result.techniques.map((technique) => technique.id)).toEqual(['T1003.001', 'T1016']);
  });
});

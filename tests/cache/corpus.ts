/**
 * A small hand-written corpus in a temporary folder, for the cache, change-list and export tests:
 * four Sigma rules and two Atomic techniques, each file editable by name.
 */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const GUID = {
  lsass: '33333333-3333-4333-8333-333333333333',
  comsvcs: '44444444-4444-4444-8444-444444444444',
  ifconfig: '11111111-1111-4111-8111-111111111111',
};

const ATOMICS = 'https://github.com/redcanaryco/atomic-red-team/blob/master/atomics';

export function rule(fields: {
  id: string;
  title: string;
  tags?: string[];
  status?: string;
  level?: string;
  date?: string;
  modified?: string;
  references?: string[];
  selection: string;
}): string {
  const list = (name: string, items?: string[]) => (items?.length ? `${name}:\n${items.map((i) => `  - ${i}`).join('\n')}\n` : '');
  return [
    `title: ${fields.title}\n`,
    `id: ${fields.id}\n`,
    fields.status ? `status: ${fields.status}\n` : '',
    `description: Test rule\n`,
    list('references', fields.references),
    `author: Tester\n`,
    `date: ${fields.date ?? '2024-01-10'}\n`,
    fields.modified ? `modified: ${fields.modified}\n` : '',
    list('tags', fields.tags),
    'logsource:\n  category: process_creation\n  product: windows\n',
    `detection:\n  selection:\n    ${fields.selection}\n  condition: selection\n`,
    `level: ${fields.level ?? 'high'}\n`,
  ].join('');
}

/** Version 1 of the sample: rules A and B share an indicator and a technique; A references an Atomic test. */
export const RULES: Record<string, string> = {
  'rules/windows/a.yml': rule({
    id: 'aaaaaaaa-0000-4000-8000-000000000001',
    title: 'Procdump Dumping LSASS',
    tags: ['attack.credential-access', 'attack.t1003.001'],
    references: [`${ATOMICS}/T1003.001/T1003.001.md#atomic-test-1---dump-lsassexe-memory-procdump`],
    selection: "CommandLine|contains: 'procdump'",
  }),
  'rules/windows/b.yml': rule({
    id: 'bbbbbbbb-0000-4000-8000-000000000002',
    title: 'Procdump Anywhere',
    tags: ['attack.t1003.001'],
    level: 'medium',
    references: [`${ATOMICS}/T1003.001/T1003.001.md#atomic-test-1---dump-lsassexe-memory-procdump`],
    selection: "CommandLine|contains: 'procdump'",
  }),
  'rules/windows/c.yml': rule({
    id: 'cccccccc-0000-4000-8000-000000000003',
    title: 'Network Interfaces Listed',
    tags: ['attack.discovery', 'attack.t1016'],
    selection: "Image|endswith: '\\ipconfig.exe'",
  }),
  'rules/windows/d.yml': rule({
    id: 'dddddddd-0000-4000-8000-000000000004',
    title: 'Comsvcs MiniDump',
    tags: ['attack.t1003.001'],
    selection: "CommandLine|contains: 'comsvcs'",
  }),
};

function atomicTest(name: string, guid: string, platform: string, executor: string, command: string): string {
  return [
    `- name: ${name}`,
    `  auto_generated_guid: ${guid}`,
    `  description: ${name}.`,
    `  supported_platforms:`,
    `  - ${platform}`,
    `  executor:`,
    `    name: ${executor}`,
    `    command: ${JSON.stringify(command)}`,
  ].join('\n');
}

export const ATOMIC_TESTS = {
  lsass: atomicTest('Dump LSASS.exe Memory (ProcDump)', GUID.lsass, 'windows', 'command_prompt', 'procdump.exe -ma lsass.exe out.dmp'),
  comsvcs: atomicTest('Dump LSASS with comsvcs', GUID.comsvcs, 'windows', 'command_prompt', 'rundll32 comsvcs.dll MiniDump'),
  ifconfig: atomicTest('List Network Interfaces', GUID.ifconfig, 'linux', 'sh', 'ifconfig -a'),
};

export function techniqueYaml(id: string, name: string, tests: string[]): string {
  return `attack_technique: ${id}\ndisplay_name: ${JSON.stringify(name)}\natomic_tests:\n${tests.join('\n')}\n`;
}

export const ATOMICS_FILES: Record<string, string> = {
  'T1003.001/T1003.001.yaml': techniqueYaml('T1003.001', 'OS Credential Dumping: LSASS Memory', [ATOMIC_TESTS.lsass, ATOMIC_TESTS.comsvcs]),
  'T1016/T1016.yaml': techniqueYaml('T1016', 'System Network Configuration Discovery', [ATOMIC_TESTS.ifconfig]),
};

export interface Corpus {
  dir: string;
  sigma: string;
  atomics: string;
  /** Writes (or with `undefined`, deletes) a file below the corpus; `mtime` in seconds defaults to an old fixed time. */
  write(file: string, text: string | undefined, mtime?: number): void;
  remove(): void;
}

/** A fresh copy of the sample with old, fixed modification times (so stat alone can prove a file unchanged). */
export function makeCorpus(rules = RULES, atomics = ATOMICS_FILES): Corpus {
  const dir = mkdtempSync(path.join(tmpdir(), 'atlas-corpus-'));
  const corpus: Corpus = {
    dir,
    sigma: path.join(dir, 'sigma'),
    atomics: path.join(dir, 'atomics'),
    write(file, text, mtime = 1_700_000_000) {
      const full = path.join(dir, file);
      if (text === undefined) {
        rmSync(full, { force: true });
        return;
      }
      mkdirSync(path.dirname(full), { recursive: true });
      writeFileSync(full, text);
      utimesSync(full, mtime, mtime);
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
  for (const [file, text] of Object.entries(rules)) corpus.write(path.join('sigma', file), text);
  for (const [file, text] of Object.entries(atomics)) corpus.write(path.join('atomics', file), text);
  return corpus;
}

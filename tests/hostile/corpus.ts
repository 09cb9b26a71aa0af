/**
 * Writes the hostile corpus into a temporary folder: Sigma rules, Atomic techniques and an ATT&CK
 * bundle that try every trick a contributed commit can bring. Files that cannot live in git as
 * fixtures (binary, symbolic links, unreadable, 1 MB) are made here, in code. Each Sigma file
 * comes with what must happen to it: it becomes a rule (maybe with diagnostics), or it is
 * rejected with a diagnostic naming it.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { ALL, BAD_URLS, DATA_URL, JS_URL, MARKDOWN, PAYLOADS } from './payloads.ts';

export interface Expectation {
  /** Path relative to the Sigma root, forward slashes. */
  file: string;
  /**
   * `rule`: becomes at least one rule; `rejected`: no rule, a diagnostic naming the file;
   * `ignored`: not a rule file at all (dot files, like `.github/`), no rule and no diagnostic.
   */
  outcome: 'rule' | 'rejected' | 'ignored';
  /** Diagnostic codes of which at least one must name the file (none: no diagnostic needed). */
  codes?: string[];
  /** What the case is, for the report. */
  case: string;
}

export interface HostileCorpus {
  root: string;
  sigma: string;
  atomics: string;
  attack: string;
  expectations: Expectation[];
  /** True when permissions cannot make a file unreadable (tests run as root). */
  rootUser: boolean;
}

/** Temporary folders written by this process, removed by `removeCorpora` (call it in afterAll). */
const created: string[] = [];

export function removeCorpora(): void {
  for (const root of created.splice(0)) rmSync(root, { recursive: true, force: true });
}

const UUID = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** A valid detection rule; `extra` overrides or adds keys. */
export function rule(n: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: `Rule ${n}`,
    id: UUID(n),
    status: 'test',
    description: `Rule number ${n}.`,
    author: 'Hostile Tests',
    date: '2024-01-01',
    tags: ['attack.execution', 'attack.t1059'],
    logsource: { product: 'windows', category: 'process_creation' },
    detection: { selection: { 'Image|endswith': `\\tool${n}.exe` }, condition: 'selection' },
    level: 'medium',
    ...extra,
  };
}

const dump = (value: unknown): string => yaml.dump(value, { lineWidth: -1, noRefs: true });

/** Markup and script in every text field of a rule (and the detection's names and values). */
function markupRule(): Record<string, unknown> {
  return rule(1, {
    title: `Markup ${ALL}`,
    description: MARKDOWN,
    author: ALL,
    license: ALL,
    date: PAYLOADS.img,
    modified: PAYLOADS.script,
    tags: ['attack.execution', 'attack.t1059', `cve.${PAYLOADS.script}`, `attack.${PAYLOADS.img}`, PAYLOADS.double, JS_URL],
    references: [...BAD_URLS, ALL, 'https://example.org/ok?a=1&b=<x>'],
    falsepositives: [ALL, JS_URL],
    fields: [PAYLOADS.script, PAYLOADS.single],
    related: [
      { id: PAYLOADS.img, type: 'derived' },
      { id: JS_URL, type: PAYLOADS.script },
    ],
    logsource: {
      product: PAYLOADS.script,
      category: PAYLOADS.double,
      service: `../../${PAYLOADS.single}`,
      definition: ALL,
    },
    detection: {
      [`sel_${'x'}`]: {
        [`${PAYLOADS.script}|contains`]: [ALL, JS_URL, DATA_URL],
        'CommandLine|contains|all': [PAYLOADS.closeScript, PAYLOADS.single],
        [`Image${PAYLOADS.double}`]: PAYLOADS.svg,
      },
      keywords: [ALL, PAYLOADS.iframe],
      condition: 'sel_x or keywords',
    },
  });
}

export function writeHostileCorpus(): HostileCorpus {
  const root = mkdtempSync(path.join(tmpdir(), 'atlas-hostile-'));
  created.push(root);
  const sigma = path.join(root, 'sigma');
  const atomics = path.join(root, 'atomics');
  const attack = path.join(root, 'attack.json');
  const expectations: Expectation[] = [];
  const put = (file: string, content: string | Buffer, expectation: Omit<Expectation, 'file'>) => {
    const full = path.join(sigma, file);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, content);
    expectations.push({ file, ...expectation });
  };
  const good = (file: string, value: unknown, kase: string, codes?: string[]) =>
    put(file, dump(value), { outcome: 'rule', case: kase, ...(codes ? { codes } : {}) });

  // --- good rules, some carrying markup everywhere -------------------------------------------
  good('rules/markup.yml', markupRule(), 'markup and javascript:/data: in every text field');
  good('rules/plain-2.yml', rule(2), 'plain rule');
  good('rules/plain-3.yml', rule(3, { tags: ['attack.persistence', 'attack.t1547.001'] }), 'plain rule');
  put('rules/bom-crlf.yml', `\uFEFF${dump(rule(4)).replace(/\n/g, '\r\n')}`, { outcome: 'rule', case: 'byte-order mark and CRLF' });
  put('rules/UPPER.YML', dump(rule(5)), { outcome: 'rule', case: 'upper-case extension' });
  put('rules/huge-value.yml', dump(rule(6, { detection: { sel: { 'CommandLine|contains': 'A'.repeat(1 << 20) }, condition: 'sel' } })), {
    outcome: 'rule',
    case: 'a 1 MB value',
  });
  put('rules/huge-description.yml', dump(rule(7, { description: `${'word '.repeat(200_000)}${PAYLOADS.script}` })), {
    outcome: 'rule',
    case: 'a 1 MB description',
  });
  // A directory named like a rule file: only the files inside it are rules.
  good('rules/folder.yml/inner.yml', rule(8), 'a directory named x.yml');

  // --- broken files ---------------------------------------------------------------------------
  put('bad/broken.yml', 'title: [unclosed\ndetection:\n  sel: {a: b\n', { outcome: 'rejected', codes: ['yaml-syntax'], case: 'broken YAML' });
  put('bad/tab-indent.yml', 'title: x\n\tdetection: y\n', { outcome: 'rejected', codes: ['yaml-syntax'], case: 'tab indentation' });
  put('bad/empty.yml', '', { outcome: 'rejected', codes: ['empty-file'], case: 'empty file' });
  put('bad/blank.yml', '\n   \n\r\n', { outcome: 'rejected', codes: ['empty-file'], case: 'whitespace only' });
  put('bad/comments.yml', '# nothing here\n---\n# nor here\n', { outcome: 'rejected', codes: ['empty-file'], case: 'comments only' });
  put('bad/binary.yml', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]), {
    outcome: 'rejected',
    codes: ['binary-file'],
    case: 'binary file (PNG) named .yml',
  });
  put('bad/latin1.yml', Buffer.from([0xff, 0xfe, 0xe9, 0x3a, 0x20, 0x80, 0x81, 0x0a]), {
    outcome: 'rejected',
    codes: ['yaml-syntax', 'schema'],
    case: 'invalid UTF-8 without NUL bytes',
  });
  put('bad/controls.yml', `title: "a\u0007b"\n\u0001\u0002: x\n`, { outcome: 'rejected', codes: ['yaml-syntax'], case: 'control characters' });
  put('bad/list.yml', '- a\n- b\n', { outcome: 'rejected', codes: ['schema'], case: 'a list, not a mapping' });
  put('bad/scalar.yml', 'just text\n', { outcome: 'rejected', codes: ['schema'], case: 'a scalar, not a mapping' });
  put('bad/no-detection.yml', dump({ title: 'x', logsource: { product: 'windows' } }), { outcome: 'rejected', codes: ['schema'], case: 'no detection' });
  put('bad/title-markup-list.yml', dump({ ...rule(9), title: [PAYLOADS.script] }), { outcome: 'rejected', codes: ['schema'], case: 'title of the wrong type' });
  put('bad/dup-keys.yml', `${dump(rule(10))}title: again\n`, { outcome: 'rejected', codes: ['yaml-syntax'], case: 'duplicate mapping key' });
  put('bad/unknown-tag.yml', `${dump(rule(11))}extra: !!js/function 'function () { return 1 }'\n`, {
    outcome: 'rejected',
    codes: ['yaml-syntax'],
    case: 'unknown YAML tag (!!js/function)',
  });
  put('bad/deep.yml', `title: x\nvalue: ${'['.repeat(5000)}${']'.repeat(5000)}\n`, {
    outcome: 'rejected',
    codes: ['yaml-syntax'],
    case: 'very deep nesting (5000 levels)',
  });
  put('bad/deep-block.yml', `title: x\n${Array.from({ length: 300 }, (_, i) => `${' '.repeat(i)}k:`).join('\n')}\n`, {
    outcome: 'rejected',
    codes: ['yaml-syntax'],
    case: 'deep block nesting (300 levels)',
  });
  put('bad/alias-bomb.yml', aliasBomb('logsource', 'x'), { outcome: 'rejected', codes: ['yaml-size'], case: 'alias bomb (billion laughs) in logsource' });
  put('bad/alias-bomb-correlation.yml', correlationBomb(), { outcome: 'rejected', codes: ['yaml-size'], case: 'alias bomb in a correlation rule' });
  put('bad/alias-bomb-global.yml', globalBomb(), {
    outcome: 'rejected',
    codes: ['yaml-size'],
    case: 'alias bomb merged by a legacy action: global collection',
  });
  put('bad/alias-deep.yml', aliasDepth(), { outcome: 'rejected', codes: ['yaml-size'], case: 'aliases chained to 2000 levels' });
  put('bad/merge-bomb.yml', mergeBomb(), { outcome: 'rejected', codes: ['yaml-syntax', 'yaml-size'], case: 'merge keys (<<) bomb' });

  // --- rules that parse but say something wrong: a page and a diagnostic ------------------------
  const det = (condition: string, extra: Record<string, unknown> = {}) => ({ selection: { Image: 'a.exe' }, filter: { User: 'x' }, ...extra, condition });
  good('conditions/missing-identifier.yml', rule(20, { detection: det('selection and not nosuch') }), 'condition references a missing identifier', [
    'condition',
  ]);
  good('conditions/unbalanced-open.yml', rule(21, { detection: det('(selection and (not filter)') }), 'unbalanced parentheses (open)', ['condition']);
  good('conditions/unbalanced-close.yml', rule(22, { detection: det('selection) and filter') }), 'unbalanced parentheses (close)', ['condition']);
  good(
    'conditions/deep-parens.yml',
    rule(23, { detection: det(`${'('.repeat(20_000)}selection${')'.repeat(20_000)}`) }),
    'condition nested 20,000 parentheses deep',
    ['condition'],
  );
  good('conditions/not-chain.yml', rule(24, { detection: det(`${'not '.repeat(20_000)}selection`) }), "20,000 chained 'not'", ['condition']);
  good('conditions/long-or.yml', rule(25, { detection: det(Array(20_000).fill('selection').join(' or ')) }), '20,000-term condition');
  good(
    'conditions/glob-redos.yml',
    rule(26, { detection: { [`sel_${'a'.repeat(60)}`]: { Image: 'x' }, condition: `1 of ${'*a'.repeat(30)}*b` } }),
    "catastrophic 'of' pattern (*a*a…*b)",
    ['condition'],
  );
  good('conditions/markup-condition.yml', rule(27, { detection: det(`selection and ${PAYLOADS.script}`) }), 'markup in the condition', ['condition']);
  good('conditions/no-condition.yml', rule(28, { detection: { selection: { Image: 'a' } } }), 'no condition', ['condition']);
  good(
    'modifiers/unknown.yml',
    rule(30, { detection: { sel: { 'Image|endswithh': 'a', [`CommandLine|${PAYLOADS.script}`]: 'b' }, condition: 'sel' } }),
    'unknown modifiers',
    ['unknown-modifier'],
  );
  good(
    'modifiers/proto.yml',
    rule(31, { detection: { sel: { 'Image|__proto__': 'a', 'Image|constructor': 'b', 'Image|toString': 'c' }, condition: 'sel' } }),
    'modifiers named like Object.prototype members',
    ['unknown-modifier'],
  );
  good('modifiers/regex-invalid.yml', rule(32, { detection: { sel: { 'CommandLine|re': '(unclosed[' }, condition: 'sel' } }), 'invalid regular expression', [
    'invalid-regex',
  ]);
  good(
    'modifiers/regex-catastrophic.yml',
    rule(33, { detection: { sel: { 'CommandLine|re': '(a+)+$' }, condition: 'sel' } }),
    'exponential regular expression (a+)+$',
  );
  good(
    'modifiers/regex-alternation.yml',
    rule(35, { detection: { sel: { 'CommandLine|re': '(a|aa)*$' }, condition: 'sel' } }),
    'exponential regular expression (a|aa)*$',
  );
  good(
    'modifiers/regex-huge.yml',
    rule(37, { detection: { sel: { 'CommandLine|re': `(${'a|'.repeat(50_000)}b)` }, condition: 'sel' } }),
    '100 KB regular expression',
  );
  good(
    'modifiers/proto-keys.yml',
    rule(34, { detection: { __proto__sel: { __proto__: 'x', constructor: 'y' }, condition: '__proto__sel' } }),
    'field and identifier names __proto__ / constructor',
  );

  // --- identities: duplicates, collisions, traversal --------------------------------------------
  good('ids/dup-a.yml', rule(40, { title: 'Duplicate A' }), 'duplicate id (first file)', ['duplicate-id']);
  good('ids/dup-b.yml', rule(40, { title: 'Duplicate B' }), 'duplicate id (second file)', ['duplicate-id']);
  good('ids/case-upper.yml', rule(41, { id: 'ABC' }), "ids 'ABC' and 'abc' (collide after lower-casing)", ['duplicate-id']);
  good('ids/case-lower.yml', rule(42, { id: 'abc' }), "ids 'ABC' and 'abc' (collide after lower-casing)", ['duplicate-id']);
  const traversal = [
    '../../x',
    '..\\..\\x',
    '/etc/passwd',
    '%2e%2e%2fx',
    '%2E%2E/%2e%2e/x',
    'C:\\Windows\\x',
    '.',
    '..',
    '...',
    '-',
    'a/../../b',
    `${PAYLOADS.img}`,
    'x'.repeat(5000),
    'con',
    'index.html',
    'ÄBC',
    '\u202eevil',
  ];
  traversal.forEach((id, i) =>
    good(
      `ids/traversal-${i}.yml`,
      rule(50 + i, { id, related: [{ id: '../../x', type: 'derived' }] }),
      `id ${JSON.stringify(id.length > 40 ? `${id.slice(0, 20)}…` : id)}`,
      ['invalid-id'],
    ),
  );
  good('ids/slug-collision-a.yml', rule(80, { id: 'a-b' }), "ids 'a/b', 'a b', 'a-b' (collide after slugging)", ['invalid-id']);
  good('ids/slug-collision-b.yml', rule(81, { id: 'a/b' }), "ids 'a/b', 'a b', 'a-b' (collide after slugging)", ['invalid-id']);
  good('ids/slug-collision-c.yml', rule(82, { id: 'a b' }), "ids 'a/b', 'a b', 'a-b' (collide after slugging)", ['invalid-id']);
  good('ids/slug-suffix.yml', rule(83, { id: 'a-b-2' }), "id 'a-b-2' (the suffix another rule would get)", ['invalid-id']);
  const { id: _dropped, ...noId } = rule(84);
  good('names/%2e%2e%2fx.yml', noId, 'file name %2e%2e%2fx.yml, no id', ['missing-id']);
  put('names/..yml', dump(noId), { outcome: 'ignored', case: 'file name ..yml (a dot file: skipped like .github/)' });
  good(`names/we ird<script>alert('pwn-name')<\\script>.yml`, noId, 'file name with markup, no id', ['missing-id']);
  good('names/a b.yml', noId, "file names 'a b.yml' and 'a-b.yml', no id", ['missing-id']);
  good('names/a-b.yml', noId, "file names 'a b.yml' and 'a-b.yml', no id", ['missing-id']);
  good(
    'names/technique-tags.yml',
    rule(85, { tags: ['attack.t1059/../../x', 'attack.t1059.001/..', 'attack.T9999', 'attack.ta0001', 'attack.../../tactic', 'attack.<script>'] }),
    'technique and tactic tags that try traversal',
    // The two technique tags with a path after the id are no technique ids: reported, not counted.
    ['invalid-tag', 'invalid-tag'],
  );

  // --- symbolic links and unreadable files --------------------------------------------------------
  const links = path.join(sigma, 'links');
  mkdirSync(links, { recursive: true });
  symlinkSync('..', path.join(links, 'loop'));
  symlinkSync('self.yml', path.join(links, 'self.yml'));
  symlinkSync('ping.yml', path.join(links, 'pong.yml'));
  symlinkSync('pong.yml', path.join(links, 'ping.yml'));
  symlinkSync('/nonexistent/atlas/x.yml', path.join(links, 'dangling.yml'));
  symlinkSync('/etc/hostname', path.join(links, 'outside.yml'));
  symlinkSync('../rules/plain-2.yml', path.join(links, 'inside.yml'));
  for (const [file, kase] of [
    ['links/self.yml', 'symbolic link to itself'],
    ['links/ping.yml', 'symbolic link loop (ping → pong → ping)'],
    ['links/pong.yml', 'symbolic link loop (ping → pong → ping)'],
    ['links/dangling.yml', 'dangling symbolic link (also how an unreadable file is simulated)'],
    ['links/outside.yml', 'symbolic link to a file outside the repository'],
    ['links/inside.yml', 'symbolic link to a rule inside the repository'],
  ]) {
    expectations.push({ file: file!, outcome: 'rejected', codes: ['symlink'], case: kase! });
  }
  if (spawnSync('mkfifo', [path.join(sigma, 'bad', 'fifo.yml')]).status === 0) {
    expectations.push({ file: 'bad/fifo.yml', outcome: 'rejected', codes: ['unreadable'], case: 'a FIFO named .yml (reading it would block)' });
  }
  put('unreadable/locked.yml', dump(rule(90)), { outcome: 'rejected', codes: ['unreadable'], case: 'unreadable file (chmod 000)' });
  chmodSync(path.join(sigma, 'unreadable/locked.yml'), 0o000);
  const rootUser = process.getuid?.() === 0;
  if (rootUser) {
    // Root reads any file whatever its mode: the file is an ordinary good rule then.
    const locked = expectations.find((e) => e.file === 'unreadable/locked.yml')!;
    Object.assign(locked, { outcome: 'rule', codes: undefined, case: 'unreadable file (chmod 000; read anyway as root)' });
  }

  writeAtomics(atomics);
  writeFileSync(attack, JSON.stringify(attackBundle(), null, 1));
  return { root, sigma, atomics, attack, expectations, rootUser };
}

/**
 * One rule with the given selection, and one Atomic test whose command line is bait for
 * backtracking: what predicted evaluation meets when a hostile pattern is run. Kept apart from
 * the main corpus because a pattern that hangs the evaluator would hang every test using it.
 */
export function writeEvaluationCorpus(selection: Record<string, unknown>): { root: string; sigma: string; atomics: string } {
  const root = mkdtempSync(path.join(tmpdir(), 'atlas-hostile-eval-'));
  created.push(root);
  const sigma = path.join(root, 'sigma');
  const atomics = path.join(root, 'atomics');
  mkdirSync(sigma, { recursive: true });
  writeFileSync(path.join(sigma, 'rule.yml'), dump(rule(200, { detection: { sel: selection, condition: 'sel' } })));
  const bait = atomicTest('Backtracking bait', '66666666-6666-4666-8666-666666666666', {
    description: 'bait',
    supported_platforms: ['windows'],
    input_arguments: {},
    dependencies: [],
    executor: { name: 'command_prompt', command: `cmd.exe /c echo ${'a'.repeat(3000)}! ${' '.repeat(3000)}!` },
  });
  mkdirSync(path.join(atomics, 'T1059'), { recursive: true });
  writeFileSync(path.join(atomics, 'T1059', 'T1059.yaml'), dump({ attack_technique: 'T1059', display_name: 'Bait', atomic_tests: [bait] }));
  return { root, sigma, atomics };
}

// ---------------------------------------------------------------------------------------------
// Alias bombs

/** Nine levels of nine aliases each: 9^9 (387 million) strings once expanded. */
function laughs(): string {
  const names = 'abcdefghi';
  const lines = [`  a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]`];
  for (let i = 1; i < names.length; i++)
    lines.push(
      `  ${names[i]}: &${names[i]} [${Array(9)
        .fill(`*${names[i - 1]}`)
        .join(', ')}]`,
    );
  return lines.join('\n');
}

function aliasBomb(section: string, key: string): string {
  return `title: Bomb\nid: ${UUID(100)}\n${section}:\n  product: windows\n  ${key}:\n${laughs().replace(/^/gm, '  ')}\n  y: *i\ndetection:\n  sel: {Image: a}\n  condition: sel\n`;
}

function correlationBomb(): string {
  const indented = laughs().replace(/^/gm, '  ');
  return `title: Correlation bomb\nid: ${UUID(101)}\ncorrelation:\n  type: event_count\n  rules: [x]\n  aliases:\n${indented}\n  condition: {gte: 1, z: *i}\n`;
}

/** Legacy collection: the global document's maps are merged into the next, recursively. */
function globalBomb(): string {
  const names = 'abcdefghijklmnopqrst';
  const lines = ['  m0: &m0 {k: v}'];
  for (let i = 1; i < names.length; i++) lines.push(`  m${i}: &m${i} {l: *m${i - 1}, r: *m${i - 1}}`);
  const anchors = lines.join('\n');
  // Anchors do not cross documents: each document builds its own 2^19-leaf tree.
  return `action: global\ntitle: Global bomb\nanchors:\n${anchors}\nlogsource:\n  product: windows\n  deep: *m19\n---\nid: ${UUID(102)}\nanchors:\n${anchors}\nlogsource:\n  deep: *m19\ndetection:\n  sel: {Image: a}\n  condition: sel\n`;
}

/** Each anchor holds the previous one 90 levels down: depth grows past any recursion limit. */
function aliasDepth(): string {
  const lines = [`title: Deep aliases\nid: ${UUID(103)}\nlogsource:\n  product: windows\ndetection:\n  sel: {Image: a}\n  condition: sel\nchain:`];
  lines.push(`  - &d0 ${'['.repeat(90)}x${']'.repeat(90)}`);
  for (let i = 1; i < 25; i++) lines.push(`  - &d${i} ${'['.repeat(90)}*d${i - 1}${']'.repeat(90)}`);
  lines.push(`logsource2: *d24`);
  return `${lines.join('\n')}\n`;
}

/** `<<` is no merge key under the JSON schema, but the lists of aliases still multiply. */
function mergeBomb(): string {
  const lines = ['  m0: &m0 {a: 1}'];
  for (let i = 1; i < 25; i++)
    lines.push(
      `  m${i}: &m${i}\n    <<: [${Array(8)
        .fill(`*m${i - 1}`)
        .join(', ')}]\n    k${i}: v`,
    );
  return `title: merge\nid: ${UUID(104)}\nlogsource:\n  product: windows\n${lines.join('\n')}\ndetection:\n  sel: {Image: a}\n  condition: sel\n`;
}

// ---------------------------------------------------------------------------------------------
// Atomic Red Team

function atomicTest(name: string, guid: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name,
    auto_generated_guid: guid,
    description: MARKDOWN,
    supported_platforms: ['windows', PAYLOADS.script],
    input_arguments: {
      [`arg${PAYLOADS.double}`]: { description: ALL, type: PAYLOADS.img, default: PAYLOADS.closeScript },
      file: { description: 'plain', type: 'path', default: `..\\..\\${PAYLOADS.script}` },
    },
    dependency_executor_name: PAYLOADS.script,
    dependencies: [{ description: ALL, prereq_command: PAYLOADS.closeScript, get_prereq_command: `echo ${JS_URL}` }],
    executor: {
      name: 'command_prompt',
      command: `echo ${ALL} #{file} #{arg${PAYLOADS.double}}`,
      cleanup_command: `del ${PAYLOADS.closeScript}`,
      elevation_required: false,
    },
    ...extra,
  };
}

function atomicMarkdown(id: string, tests: Record<string, unknown>[]): string {
  return [
    `# ${id} - ${PAYLOADS.script}`,
    '',
    '## Description from ATT&CK',
    '',
    ...MARKDOWN.split('\n').map((line) => `> ${line}`),
    '',
    `[Source](${JS_URL})`,
    '',
    '## Atomic Tests',
    '',
    ...tests.flatMap((t, i) => [`### Atomic Test #${i + 1}: ${String(t.name)}`, '', 'text', '']),
  ].join('\n');
}

function writeAtomics(root: string): void {
  const technique = (id: string, yamlText: string | Buffer, md?: string, folder = id) => {
    mkdirSync(path.join(root, folder), { recursive: true });
    writeFileSync(path.join(root, folder, `${folder}.yaml`), yamlText);
    if (md !== undefined) writeFileSync(path.join(root, folder, `${folder}.md`), md);
  };
  const tests = [
    atomicTest(`Markup ${ALL}`, '11111111-1111-4111-8111-111111111111'),
    atomicTest('Traversal guid', '../../evil'),
    atomicTest('Backslash guid', '..\\..\\evil'),
    atomicTest('Case guid upper', 'ABCDEFAB-1111-4111-8111-111111111111'),
    atomicTest('Case guid lower', 'abcdefab-1111-4111-8111-111111111111'),
    atomicTest('Markup guid', PAYLOADS.img),
    atomicTest('Executor markup', '22222222-2222-4222-8222-222222222222', { executor: { name: PAYLOADS.script, command: 'x' } }),
    // Bait for backtracking regular expressions when rules are evaluated against the command.
    atomicTest('Backtracking bait', '55555555-5555-4555-8555-555555555555', {
      input_arguments: {},
      executor: { name: 'command_prompt', command: `cmd.exe /c echo ${'a'.repeat(3000)}!` },
    }),
  ];
  technique('T1059', dump({ attack_technique: 'T1059', display_name: `Command ${ALL}`, atomic_tests: tests }), atomicMarkdown('T1059', tests));
  // A technique id that tries to leave its folder; the folder itself is ordinary.
  technique(
    'T1070',
    dump({
      attack_technique: '../../evil',
      display_name: PAYLOADS.script,
      atomic_tests: [atomicTest('Evil technique', '33333333-3333-4333-8333-333333333333')],
    }),
  );
  technique(
    'T1071',
    dump({ attack_technique: 't1071', display_name: 'Lower-case id', atomic_tests: [atomicTest('Lower', '44444444-4444-4444-8444-444444444444')] }),
  );
  technique('T1000', 'attack_technique: [unclosed\n');
  technique('T1001', Buffer.from([0x00, 0x01, 0x02, 0xff]));
  technique('T1002', '');
  technique('T1003', `${laughs().replace(/^ {2}/gm, '')}\nattack_technique: T1003\ndisplay_name: bomb\natomic_tests: [*i]\n`);
  mkdirSync(path.join(root, 'T1004'), { recursive: true });
  symlinkSync('/etc/hostname', path.join(root, 'T1004', 'T1004.yaml'));
  symlinkSync('.', path.join(root, 'T1004', 'loop'));
  symlinkSync('..', path.join(root, 'T1005'));
}

// ---------------------------------------------------------------------------------------------
// ATT&CK

function attackBundle(): unknown {
  const ref = (id: string, url = `https://attack.mitre.org/x/${id}`) => [{ source_name: 'mitre-attack', external_id: id, url }];
  const pattern = (n: number, id: string, extra: Record<string, unknown> = {}) => ({
    type: 'attack-pattern',
    id: `attack-pattern--${UUID(n)}`,
    name: `Technique ${ALL}`,
    description: MARKDOWN,
    external_references: ref(id),
    kill_chain_phases: [{ kill_chain_name: 'mitre-attack', phase_name: 'execution' }],
    x_mitre_platforms: ['Windows', PAYLOADS.script],
    ...extra,
  });
  return {
    type: 'bundle',
    id: 'bundle--hostile',
    objects: [
      {
        type: 'x-mitre-tactic',
        id: 'x-mitre-tactic--exec',
        name: `Execution ${PAYLOADS.script}`,
        x_mitre_shortname: 'execution',
        external_references: ref('TA0002'),
      },
      {
        type: 'x-mitre-tactic',
        id: 'x-mitre-tactic--evil',
        name: PAYLOADS.img,
        x_mitre_shortname: '../../evil-tactic',
        external_references: ref('TA9999', JS_URL),
      },
      {
        type: 'x-mitre-matrix',
        id: 'x-mitre-matrix--e',
        name: 'Enterprise',
        external_references: ref('enterprise-attack'),
        tactic_refs: ['x-mitre-tactic--exec', 'x-mitre-tactic--evil'],
      },
      pattern(1, 'T1059', { external_references: ref('T1059', JS_URL) }),
      pattern(2, 'T1059.001', { external_references: ref('T1059.001', DATA_URL) }),
      pattern(3, '../../T1060'),
      pattern(4, 'T1547.001', {
        kill_chain_phases: [
          { kill_chain_name: 'mitre-attack', phase_name: '../../phase' },
          { kill_chain_name: 'mitre-attack', phase_name: PAYLOADS.script },
        ],
      }),
      { type: 'attack-pattern', id: 'attack-pattern--broken', name: 5 },
      'not an object',
    ],
  };
}

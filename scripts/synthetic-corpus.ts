/**
 * A synthetic Sigma corpus of N rules, for the scaling benchmark: realistic in shape (SigmaHQ
 * folders, log sources, modifiers, conditions, tags, Atomic references) and in repetition (values
 * come from Zipf-weighted pools, so common indicators recur across rules as they do in the real
 * corpus). Deterministic: the same N and seed write the same bytes.
 *
 *   npx tsx scripts/synthetic-corpus.ts 20000 /tmp/sigma-20k [seed]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { prng } from './prng.ts';

type Random = () => number;

const int = (random: Random, n: number) => Math.floor(random() * n);
const pick = <T>(random: Random, items: readonly T[]): T => items[int(random, items.length)]!;

/** Index into a pool of n with Zipf weights (s = 1): item k is k times rarer than the first. */
function zipf(random: Random, n: number): number {
  const h = Math.log(n) + 0.5772;
  const target = random() * h;
  return Math.min(n - 1, Math.max(0, Math.floor(Math.exp(target - 0.5772)) - 1));
}

/**
 * Values as the real corpus has them: a pool of common values and a long tail, drawn
 * Zipf-weighted, and in `fresh` of the draws a value no other rule uses (the SigmaHQ corpus has
 * about nine distinct indicators per rule, most of them used once).
 */
function pool(common: readonly string[], tail: (i: number) => string, size: number, fresh = 0.5): (random: Random) => string {
  const items = [...common, ...Array.from({ length: Math.max(0, size - common.length) }, (_, i) => tail(i))];
  let next = size;
  return (random) => (random() < fresh ? tail(next++) : items[zipf(random, items.length)]!);
}

const BINARIES = pool(
  [
    '\\powershell.exe',
    '\\cmd.exe',
    '\\rundll32.exe',
    '\\regsvr32.exe',
    '\\mshta.exe',
    '\\wscript.exe',
    '\\cscript.exe',
    '\\certutil.exe',
    '\\schtasks.exe',
    '\\reg.exe',
    '\\net.exe',
    '\\net1.exe',
    '\\wmic.exe',
    '\\bitsadmin.exe',
    '\\msiexec.exe',
    '\\pwsh.exe',
    '\\sc.exe',
    '\\whoami.exe',
    '\\curl.exe',
    '\\msbuild.exe',
  ],
  (i) => `\\tool${i}.exe`,
  3000,
);
const FRAGMENTS = pool(
  [
    ' -enc ',
    ' -EncodedCommand ',
    ' /c ',
    'Invoke-Expression',
    'IEX',
    'DownloadString',
    'FromBase64String',
    ' -nop ',
    ' -w hidden ',
    '/create ',
    'add ',
    ' /v ',
    'comsvcs.dll',
    'MiniDump',
    'sekurlsa',
    'http://',
    'https://',
    '\\AppData\\Local\\Temp\\',
    '\\Users\\Public\\',
    'vssadmin delete shadows',
  ],
  (i) => `--opt${i}=`,
  6000,
  0.8,
);
const REGISTRY = pool(
  [
    '\\CurrentVersion\\Run',
    '\\CurrentVersion\\RunOnce',
    '\\Services\\',
    '\\Image File Execution Options\\',
    '\\Winlogon\\',
    '\\Policies\\Microsoft\\Windows Defender\\',
    '\\Control\\Lsa\\',
  ],
  (i) => `\\Software\\Vendor${i}\\Key`,
  2000,
);
const FILES = pool(['\\AppData\\Roaming\\', '\\Windows\\Temp\\', '.ps1', '.vbs', '.hta', '.lnk', '\\Startup\\', '.dll'], (i) => `\\payload${i}.bin`, 2000);
const HOSTS = pool(['.ngrok.io', 'pastebin.com', 'raw.githubusercontent.com', 'transfer.sh', 'discord.com'], (i) => `c2-${i}.example.net`, 1500);
const LINUX = pool(
  ['/bin/bash', '/usr/bin/curl', '/usr/bin/wget', '/usr/bin/python3', '/bin/sh', '/usr/bin/nc', '/usr/bin/base64', '/usr/bin/crontab'],
  (i) => `/opt/tool${i}`,
  1000,
);
const EVENTS = pool(
  ['ConsoleLogin', 'CreateUser', 'DeleteTrail', 'StopLogging', 'PutBucketPolicy', 'AttachUserPolicy', 'CreateAccessKey'],
  (i) => `Action${i}`,
  800,
);

/** A technique pool (parents and sub-techniques) and the tactics they go with. */
const TECHNIQUES = pool(
  [
    't1059.001',
    't1059.003',
    't1218.011',
    't1547.001',
    't1053.005',
    't1003.001',
    't1105',
    't1027',
    't1112',
    't1562.001',
    't1070.004',
    't1021.002',
    't1569.002',
    't1036',
    't1082',
  ],
  (i) => `t${1000 + (i % 600)}${i >= 600 ? `.${String((i % 9) + 1).padStart(3, '0')}` : ''}`,
  1200,
  0,
);
const TACTICS = [
  'execution',
  'persistence',
  'privilege-escalation',
  'defense-evasion',
  'credential-access',
  'discovery',
  'lateral-movement',
  'collection',
  'command-and-control',
  'exfiltration',
  'impact',
];

interface Source {
  logsource: Record<string, string>;
  folder: string;
  weight: number;
  /** Field → value generator and the modifiers it is usually written with; the first is the specific one. */
  fields: [field: string, value: (random: Random) => string | number, modifiers: string[][]][];
}

const SOURCES: Source[] = [
  {
    logsource: { product: 'windows', category: 'process_creation' },
    folder: 'windows/process_creation',
    weight: 40,
    fields: [
      ['CommandLine', FRAGMENTS, [['contains'], ['contains'], ['contains', 'all'], ['contains', 'windash'], ['base64offset', 'contains']]],
      ['Image', BINARIES, [['endswith']]],
      ['ParentImage', BINARIES, [['endswith']]],
      ['OriginalFileName', (r) => BINARIES(r).slice(1).toUpperCase(), [[]]],
      ['User', (r) => pick(r, ['AUTHORI', 'AUTORI', 'SYSTEM']), [['contains']]],
      ['IntegrityLevel', (r) => pick(r, ['High', 'System', 'S-1-16-12288']), [[]]],
    ],
  },
  {
    logsource: { product: 'windows', category: 'registry_set' },
    folder: 'windows/registry/registry_set',
    weight: 10,
    fields: [
      ['TargetObject', REGISTRY, [['contains'], ['endswith']]],
      ['Details', (r) => pick(r, ['DWORD (0x00000001)', 'DWORD (0x00000000)', '%', '.exe']), [[], ['contains']]],
      ['Image', BINARIES, [['endswith']]],
    ],
  },
  {
    logsource: { product: 'windows', category: 'file_event' },
    folder: 'windows/file/file_event',
    weight: 10,
    fields: [
      ['TargetFilename', FILES, [['contains'], ['endswith']]],
      ['Image', BINARIES, [['endswith']]],
    ],
  },
  {
    logsource: { product: 'windows', category: 'network_connection' },
    folder: 'windows/network_connection',
    weight: 6,
    fields: [
      ['DestinationHostname', HOSTS, [['endswith'], ['contains']]],
      ['DestinationPort', (r) => pick(r, [4444, 8080, 443, 3389, 445, 53]), [[]]],
      ['DestinationIp', (r) => pick(r, ['10.0.0.0/8', '192.168.0.0/16', '172.16.0.0/12']), [['cidr']]],
      ['Image', BINARIES, [['endswith']]],
    ],
  },
  {
    logsource: { product: 'windows', category: 'ps_script' },
    folder: 'windows/powershell/powershell_script',
    weight: 8,
    fields: [['ScriptBlockText', FRAGMENTS, [['contains'], ['contains', 'all']]]],
  },
  {
    logsource: { product: 'windows', service: 'security' },
    folder: 'windows/builtin/security',
    weight: 6,
    fields: [
      ['ServiceFileName', FRAGMENTS, [['contains']]],
      ['EventID', (r) => pick(r, [4624, 4625, 4688, 4698, 4720, 4732, 5145]), [[]]],
      ['SubjectUserName', (r) => pick(r, ['$', 'admin']), [['endswith']]],
    ],
  },
  {
    logsource: { product: 'linux', category: 'process_creation' },
    folder: 'linux/process_creation',
    weight: 10,
    fields: [
      [
        'CommandLine',
        (r) => (r() < 0.8 ? `--flag${int(r, 1e6)}` : pick(r, [' -c ', 'base64 -d', '/dev/tcp/', 'chmod +x', 'nohup', '| sh', 'curl ', 'wget '])),
        [['contains']],
      ],
      ['Image', LINUX, [['endswith']]],
      ['CommandLine', (r) => pick(r, ['^.*\\s-e\\s+/bin/(ba)?sh', '/dev/tcp/\\d+', 'echo\\s+[A-Za-z0-9+/=]{20,}\\s*\\|']), [['re']]],
    ],
  },
  {
    logsource: { product: 'aws', service: 'cloudtrail' },
    folder: 'cloud/aws/cloudtrail',
    weight: 6,
    fields: [
      ['eventName', EVENTS, [[]]],
      ['eventSource', (r) => pick(r, ['iam.amazonaws.com', 's3.amazonaws.com', 'cloudtrail.amazonaws.com', 'sts.amazonaws.com']), [[]]],
    ],
  },
];
const TOTAL_WEIGHT = SOURCES.reduce((n, s) => n + s.weight, 0);

function pickSource(random: Random): Source {
  let x = random() * TOTAL_WEIGHT;
  for (const source of SOURCES) if ((x -= source.weight) < 0) return source;
  return SOURCES[0]!;
}

function uuid(random: Random): string {
  const hex = Array.from({ length: 32 }, () => int(random, 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${'89ab'[int(random, 4)]}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * One selection map: the source's specific field (a command line, a key, a file name …) and one
 * or two others, each with 1–6 values, as real rules pair a broad field with a narrow one.
 */
function selection(random: Random, source: Source): Record<string, unknown> {
  const map: Record<string, unknown> = {};
  const count = Math.min(source.fields.length, 2 + int(random, 2));
  for (let i = 0; i < count * 2 && Object.keys(map).length < count; i++) {
    const [field, value, chains] = i === 0 ? source.fields[0]! : pick(random, source.fields);
    const modifiers = pick(random, chains);
    const key = [field, ...modifiers].join('|');
    if (key in map) continue;
    const n = modifiers.includes('all') ? 2 + int(random, 2) : 1 + int(random, 6);
    const values = [...new Set(Array.from({ length: n }, () => value(random)))];
    map[key] = values.length === 1 ? values[0] : values;
  }
  return map;
}

/** A detection: selections (and sometimes filters) under one of the common condition shapes. */
function detection(random: Random, source: Source): Record<string, unknown> {
  // Keyword searches are rare in the real corpus: one rule in twenty here.
  const shape = random() < 0.05 ? 5 : int(random, 5);
  const det: Record<string, unknown> = {};
  if (shape === 0) {
    det.selection = selection(random, source);
    det.condition = 'selection';
  } else if (shape === 1) {
    det.selection = selection(random, source);
    det.filter_main = selection(random, source);
    det.condition = 'selection and not filter_main';
  } else if (shape === 2) {
    det.selection_img = selection(random, source);
    det.selection_cli = selection(random, source);
    det.condition = 'all of selection_*';
  } else if (shape === 3) {
    const n = 2 + int(random, 3);
    for (let i = 0; i < n; i++) det[`selection_${i + 1}`] = selection(random, source);
    det.filter_optional = selection(random, source);
    det.condition = '1 of selection_* and not 1 of filter_optional*';
  } else if (shape === 4) {
    det.selection_parent = selection(random, source);
    det.selection_child = [selection(random, source), selection(random, source)];
    det.condition = 'selection_parent and selection_child';
  } else {
    det.keywords = Array.from({ length: 1 + int(random, 3) }, (_, i) => `${FRAGMENTS(random).trim()}-keyword-${i}`);
    det.selection = selection(random, source);
    det.condition = 'keywords or selection';
  }
  return det;
}

function ruleDocument(random: Random, n: number, source: Source): Record<string, unknown> {
  const technique = TECHNIQUES(random);
  const tags = [`attack.${pick(random, TACTICS)}`, `attack.${technique}`];
  if (random() < 0.3) tags.push(`attack.${TECHNIQUES(random)}`);
  if (random() < 0.05) tags.push(`cve.20${20 + int(random, 5)}-${1000 + int(random, 9000)}`);
  const references = [`https://example.org/research/${n}`];
  if (random() < 0.1) {
    const id = technique.toUpperCase();
    references.push(`https://github.com/redcanaryco/atomic-red-team/blob/master/atomics/${id}/${id}.md#atomic-test-${1 + int(random, 5)}`);
  }
  const year = 2018 + int(random, 8);
  const month = String(1 + int(random, 12)).padStart(2, '0');
  return {
    title: `Synthetic ${source.logsource.category ?? source.logsource.service} detection ${n}`,
    id: uuid(random),
    status: pick(random, ['test', 'test', 'experimental', 'stable']),
    description: `Detects synthetic behaviour number ${n} seen with ${BINARIES(random).slice(1)}.`,
    references,
    author: pick(random, ['Synthetic Author', 'Detection Team', 'Jane Doe', 'John Roe']),
    date: `${year}-${month}-01`,
    ...(random() < 0.4 ? { modified: `${year + 1}-${month}-15` } : {}),
    tags,
    logsource: source.logsource,
    detection: detection(random, source),
    falsepositives: [pick(random, ['Unknown', 'Legitimate administration', 'Software installers'])],
    level: pick(random, ['low', 'medium', 'medium', 'high', 'high', 'critical']),
  };
}

/**
 * Writes `count` rules under `dir` as a SigmaHQ checkout (`rules/…`, about 3% in `deprecated/`),
 * one rule per file. Returns the number of files written.
 */
export function writeSyntheticCorpus(dir: string, count: number, seed = 1): number {
  const random = prng(seed);
  const made = new Set<string>();
  for (let n = 1; n <= count; n++) {
    const source = pickSource(random);
    const top = random() < 0.03 ? 'deprecated' : 'rules';
    const folder = path.join(dir, top, source.folder);
    if (!made.has(folder)) mkdirSync(folder, { recursive: true });
    made.add(folder);
    const text = yaml.dump(ruleDocument(random, n, source), { lineWidth: -1, noRefs: true, indent: 4 });
    writeFileSync(path.join(folder, `synthetic_${String(n).padStart(6, '0')}.yml`), text);
  }
  return count;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [count, dir, seed] = process.argv.slice(2);
  if (!count || !dir || !Number.isInteger(Number(count))) {
    console.error('usage: tsx scripts/synthetic-corpus.ts COUNT DIR [SEED]');
    process.exitCode = 2;
  } else {
    writeSyntheticCorpus(dir, Number(count), seed === undefined ? 1 : Number(seed));
    console.log(`${count} synthetic rules written to ${dir}`);
  }
}

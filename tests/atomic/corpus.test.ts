/**
 * The loaders against the real corpus beside the project (../shared/corpus): counts, anchors
 * and the ATT&CK bundle. The corpus is read in place, never copied. Without it the tests are
 * skipped with a message, except in CI where a missing corpus is a failure.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadAttackBundle } from '../../src/lib/attack/stix.ts';
import { ENTERPRISE_TACTICS } from '../../src/lib/attack/tactics.ts';
import type { AttackData } from '../../src/lib/attack/types.ts';
import { loadAtomics, type AtomicTechnique } from '../../src/lib/atomic/load.ts';
import { parseAtomicMarkdown, testAnchor, type AtomicMarkdown } from '../../src/lib/atomic/markdown.ts';
import type { Diagnostic } from '../../src/lib/diagnostics.ts';

const corpus = path.resolve(__dirname, '../../../shared/corpus');
const atomicsRoot = path.join(corpus, 'atomic-red-team/atomics');
const bundleFile = path.join(corpus, 'attack/enterprise-attack.json');
const present = existsSync(atomicsRoot) && existsSync(bundleFile);
const inCi = process.env.CI === 'true';

/** Both suites need the Atomic load (about 3 s); do it once. */
let atomicsOnce: ReturnType<typeof loadAtomics> | undefined;
const atomics = () => (atomicsOnce ??= loadAtomics(atomicsRoot));

if (!present) {
  console.warn(`[corpus] ${corpus} not found: skipping the full-corpus tests${inCi ? ' (CI: this fails)' : ''}`);
}

it.runIf(!present && inCi)('finds the corpus (required in CI)', () => {
  expect.fail(`the corpus is missing at ${corpus}`);
});

describe.skipIf(!present)('Atomic Red Team corpus', () => {
  let techniques: AtomicTechnique[];
  let diagnostics: Diagnostic[];
  let files: number;
  const pages = new Map<string, { text: string; parsed: AtomicMarkdown }>();

  beforeAll(async () => {
    ({ techniques, diagnostics, files } = await atomics());
    for (const technique of techniques) {
      const text = await readFile(path.join(atomicsRoot, technique.id, `${technique.id}.md`), 'utf8');
      pages.set(technique.id, { text, parsed: parseAtomicMarkdown(text) });
    }
  });

  const allTests = () => techniques.flatMap((technique) => technique.tests);

  it('loads 341 techniques and 1,819 tests from 682 files, without diagnostics', () => {
    expect(diagnostics).toEqual([]);
    expect(files).toBe(682);
    expect(techniques).toHaveLength(341);
    expect(allTests()).toHaveLength(1819);
    expect(techniques.filter((technique) => !technique.description).map((t) => t.id)).toEqual([]);
  });

  it('counts executors', () => {
    const counts: Record<string, number> = {};
    for (const test of allTests()) counts[test.executor] = (counts[test.executor] ?? 0) + 1;
    // What the yaml holds (and the .md's "Run with" lines confirm). The corpus README says
    // powershell 693, command_prompt 553, bash 124: those add up to 1,799, not 1,819.
    expect(counts).toEqual({ powershell: 703, command_prompt: 559, sh: 413, bash: 128, manual: 16 });
  });

  it('anchors every test at a heading of its page', () => {
    const mismatches = techniques.flatMap((technique) => {
      const { anchors } = pages.get(technique.id)!.parsed;
      return technique.tests.filter((test) => !anchors.includes(test.anchor)).map((test) => `${technique.id} #${test.number} ${test.name}: #${test.anchor}`);
    });
    expect(mismatches).toEqual([]);
  });

  it('finds a current-format heading for every test, matching the anchor computed from its name', () => {
    const mismatches = techniques.flatMap((technique) => {
      const headings = pages.get(technique.id)!.parsed.tests;
      if (headings.length !== technique.tests.length || headings.some((h) => h.legacy)) {
        return [`${technique.id}: ${headings.length} headings for ${technique.tests.length} tests`];
      }
      return technique.tests
        .filter((test) => test.anchor !== testAnchor(test.number, test.name))
        .map((test) => `${technique.id} #${test.number}: page #${test.anchor}, computed #${testAnchor(test.number, test.name)}`);
    });
    expect(mismatches).toEqual([]);
  });

  it('agrees with the anchors the pages link to, except three upstream links', () => {
    const broken = techniques.flatMap((technique) => {
      const { text, parsed } = pages.get(technique.id)!;
      return [...text.matchAll(/\]\(#(atomic-test-[^)]*)\)/g)]
        .map((match) => match[1]!)
        .filter((anchor) => !parsed.anchors.includes(anchor))
        .map((anchor) => `${technique.id} #${anchor}`);
    });
    // Upstream's table of contents slugs the raw yaml name; these three end with a space, which
    // the heading (and GitHub) trims, so the link's trailing "-" points nowhere.
    expect(broken).toEqual([
      'T1082 #atomic-test-34-operating-system-discovery-',
      'T1547.001 #atomic-test-15-hklm---modify-default-system-shell---winlogon-shell-key-value-',
      'T1680 #atomic-test-2-local-storage-discovery-via-wmic-',
    ]);
  });

  it('resolves every placeholder in commands and cleanups', () => {
    const left = allTests()
      .filter((test) => /#\{[^}]*\}/.test(`${test.commandResolved ?? ''}${test.cleanupResolved ?? ''}`))
      .map((test) => `${test.technique} #${test.number}`);
    expect(left).toEqual([]);
  });
});

describe.skipIf(!present)('ATT&CK bundle in the corpus', () => {
  let data: AttackData;
  let diagnostics: Diagnostic[];

  beforeAll(async () => {
    const result = await loadAttackBundle(bundleFile);
    diagnostics = result.diagnostics;
    data = result.data!;
  });

  it('parses without diagnostics into a plausible number of techniques', () => {
    expect(diagnostics).toEqual([]);
    expect(data.techniques.length).toBeGreaterThan(600);
    expect(data.techniques.length).toBeLessThan(2000);
    expect(data.techniques.filter((t) => t.parent).length).toBeGreaterThan(300);
    expect(data.techniques.some((t) => t.revoked)).toBe(true);
    expect(data.techniques.some((t) => t.deprecated)).toBe(true);
  });

  it('has the 14 Enterprise tactics (or more) in matrix order', () => {
    expect(data.tactics.length).toBeGreaterThanOrEqual(14);
    expect(data.tactics.map((t) => t.order)).toEqual(data.tactics.map((_, i) => i));
    expect(data.tactics.slice(0, 14).map((t) => [t.id, t.externalId])).toEqual(ENTERPRISE_TACTICS.map((t) => [t.id, t.externalId]));
  });

  it('knows the parent of every sub-technique, and every tactic a technique names', () => {
    const ids = new Set(data.techniques.map((t) => t.id));
    const tactics = new Set(data.tactics.map((t) => t.id));
    expect(data.techniques.filter((t) => t.parent && !ids.has(t.parent)).map((t) => t.id)).toEqual([]);
    expect(data.techniques.flatMap((t) => t.tactics.filter((tactic) => !tactics.has(tactic)))).toEqual([]);
  });

  it('misses a few techniques the newer Atomic snapshot has', async () => {
    const ids = new Set(data.techniques.map((t) => t.id));
    const missing = (await atomics()).techniques.map((t) => t.id).filter((id) => !ids.has(id));
    console.info(`[corpus] Atomic techniques not in the ATT&CK bundle: ${missing.join(', ')}`);
    expect(missing).toEqual(['T1027.018', 'T1685', 'T1685.001', 'T1685.002', 'T1685.004', 'T1685.005', 'T1685.006', 'T1686', 'T1688', 'T1689', 'T1690']);
  });
});

/**
 * Bad files and good files: every bad file is a diagnostic naming it, every good file still
 * becomes a rule, and nothing a file holds can stall or blow up the catalog stages.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { toJson } from '../../src/lib/catalog/write.ts';
import { matchPattern, parseCondition } from '../../src/lib/sigma/condition.ts';
import { parseSigmaYaml } from '../../src/lib/sigma/load.ts';
import { ALL, JS_URL } from './payloads.ts';
import { removeCorpora } from './corpus.ts';
import { BOUND_MS, hostileCatalog, type HostileRun } from './run.ts';

let run: HostileRun;

beforeAll(async () => {
  run = await hostileCatalog();
}, BOUND_MS);

afterAll(removeCorpora);

const diagnosticsFor = (file: string) => run.catalog.diagnostics.filter((d) => d.file === path.join(run.corpus.sigma, file));
const rulesFrom = (file: string) => run.catalog.rules.filter((r) => r.path === file);

describe('each Sigma file of the hostile corpus', { timeout: BOUND_MS }, () => {
  test('the catalog stages finish quickly', () => {
    expect(run.milliseconds).toBeLessThan(10_000);
  });

  test('a rejected file is a diagnostic naming it, and no rule', () => {
    const wrong = run.corpus.expectations
      .filter((e) => e.outcome === 'rejected')
      .flatMap((e) => {
        const codes = diagnosticsFor(e.file).map((d) => d.code);
        const problems: string[] = [];
        if (!codes.some((c) => e.codes!.includes(c))) problems.push(`${e.file} (${e.case}): expected one of ${e.codes}, got [${codes}]`);
        if (rulesFrom(e.file).length > 0) problems.push(`${e.file} (${e.case}): became a rule`);
        return problems;
      });
    expect(wrong).toEqual([]);
  });

  test('a good file becomes a rule, with the diagnostics its flaws call for', () => {
    const wrong = run.corpus.expectations
      .filter((e) => e.outcome === 'rule')
      .flatMap((e) => {
        const codes = diagnosticsFor(e.file).map((d) => d.code);
        const problems: string[] = [];
        if (rulesFrom(e.file).length === 0) problems.push(`${e.file} (${e.case}): no rule; diagnostics [${codes}]`);
        for (const code of e.codes ?? []) if (!codes.includes(code)) problems.push(`${e.file} (${e.case}): no ${code} diagnostic; got [${codes}]`);
        if (!e.codes && codes.length > 0) problems.push(`${e.file} (${e.case}): unexpected diagnostics [${codes}]`);
        return problems;
      });
    expect(wrong).toEqual([]);
  });

  test('dot files are not rule files (like .github/): neither a rule nor a diagnostic', () => {
    for (const e of run.corpus.expectations.filter((x) => x.outcome === 'ignored')) {
      expect(rulesFrom(e.file), e.file).toEqual([]);
      expect(diagnosticsFor(e.file), e.file).toEqual([]);
    }
  });

  test('every rule comes from an expected file, and every Sigma diagnostic names a corpus file', () => {
    const known = new Set(run.corpus.expectations.map((e) => e.file));
    expect(run.catalog.rules.map((r) => r.path).filter((p) => !known.has(p))).toEqual([]);
    const sigmaDiagnostics = run.catalog.diagnostics.filter((d) => d.file.startsWith(run.corpus.sigma));
    expect(sigmaDiagnostics.filter((d) => !known.has(path.relative(run.corpus.sigma, d.file)))).toEqual([]);
  });

  test('a symbolic link is never read: nothing from /etc/hostname, no duplicate of the linked rule', () => {
    const text = JSON.stringify(run.catalog);
    expect(run.catalog.rules.filter((r) => r.path.startsWith('links/'))).toEqual([]);
    expect(rulesFrom('rules/plain-2.yml')).toHaveLength(1);
    expect(text).not.toContain('/etc/hostname"'); // the link target is not even named
  });

  test('text stays data: markup and javascript: links are kept verbatim in the catalog', () => {
    const [markup] = rulesFrom('rules/markup.yml');
    expect(markup!.title).toBe(`Markup ${ALL}`);
    expect(markup!.references).toContain(JS_URL);
    expect(markup!.author).toBe(ALL);
  });

  test('the 1 MB value is kept whole', () => {
    const [huge] = rulesFrom('rules/huge-value.yml');
    const indicator = huge!.indicators.find((i) => i.value.length === 1 << 20);
    expect(indicator).toBeDefined();
  });

  test('the catalog serialises to a bounded size (no alias expansion reaches it)', () => {
    const start = performance.now();
    const bytes = toJson(run.catalog).length;
    expect(performance.now() - start).toBeLessThan(5_000);
    // Two 1 MB values, each in a rule, an indicator and a YAML source: about 8 MB with indentation.
    expect(bytes).toBeLessThan(20 * 1024 * 1024);
  });
});

describe('Atomic and ATT&CK files of the hostile corpus', { timeout: BOUND_MS }, () => {
  const atomicCodes = (folder: string) => run.catalog.diagnostics.filter((d) => d.file.startsWith(path.join(run.corpus.atomics, folder))).map((d) => d.code);

  test('each bad Atomic file is a diagnostic naming it', () => {
    expect(atomicCodes('T1000')).toContain('yaml-syntax'); // broken YAML
    expect(atomicCodes('T1001')).toContain('yaml-syntax'); // binary
    expect(atomicCodes('T1002')).toContain('schema'); // empty
    expect(atomicCodes('T1003')).toContain('schema'); // alias bomb in atomic_tests
    expect(atomicCodes('T1004')).toEqual(['symlink']); // T1004.yaml → /etc/hostname, not read
    expect(atomicCodes('T1005')).toEqual(['symlink']); // a folder that links to its parent
    expect(atomicCodes('T1070')).toContain('schema'); // attack_technique: ../../evil
  });

  test('good Atomic techniques and tests are kept; a lower-case technique id is read as upper-case', () => {
    expect(run.catalog.techniques.map((t) => t.id)).toEqual(expect.arrayContaining(['T1059', 'T1071']));
    expect(run.catalog.tests.filter((t) => t.technique === 'T1059')).toHaveLength(8);
  });

  test('bad ATT&CK objects are diagnostics; their ids and tactics never become pages', () => {
    const attack = run.catalog.diagnostics.filter((d) => d.file === run.corpus.attack).map((d) => d.message);
    expect(attack.some((m) => m.includes('"../../T1060"'))).toBe(true);
    expect(attack.some((m) => m.includes('x_mitre_shortname'))).toBe(true);
    expect(attack.some((m) => m.includes('"../../phase"'))).toBe(true);
    expect(run.catalog.tactics.map((t) => t.id).filter((id) => !/^[a-z]+(-[a-z]+)*$/.test(id))).toEqual([]);
  });
});

describe('limits inside the parsers', { timeout: BOUND_MS }, () => {
  test('a billion-laughs document is refused before anything walks it', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 12; i++)
      levels.push(
        `l${i}: &l${i} [${Array(9)
          .fill(i === 1 ? '*a' : `*l${i - 1}`)
          .join(',')}]`,
      );
    const start = performance.now();
    const { documents, diagnostics } = parseSigmaYaml(Buffer.from(`title: x\n${levels.join('\n')}\n`), 'bomb.yml');
    expect(performance.now() - start).toBeLessThan(1_000);
    expect(documents).toEqual([]);
    expect(diagnostics).toMatchObject([{ file: 'bomb.yml', code: 'yaml-size', severity: 'error' }]);
  });

  test('the largest ordinary documents still load (lists of a few thousand values)', () => {
    const values = Array.from({ length: 20_000 }, (_, i) => `  - v${i}`).join('\n');
    const { documents, diagnostics } = parseSigmaYaml(Buffer.from(`title: x\nlist:\n${values}\n`), 'big.yml');
    expect(diagnostics).toEqual([]);
    expect(documents).toHaveLength(1);
  });

  test('deeply nested conditions are a syntax error, not a stack overflow', () => {
    for (const source of [`${'('.repeat(100_000)}a${')'.repeat(100_000)}`, `${'not '.repeat(100_000)}a`]) {
      const { condition, errors } = parseCondition(source, ['a']);
      expect(condition).toBeUndefined();
      expect(errors[0]!.message).toMatch(/nest more than \d+ levels/);
    }
    expect(parseCondition(`${'('.repeat(30)}a${')'.repeat(30)}`, ['a']).errors).toEqual([]);
  });

  test("an 'of' pattern that would backtrack exponentially as a RegExp matches in linear time", () => {
    const start = performance.now();
    expect(matchPattern(`${'*a'.repeat(40)}*b`, ['a'.repeat(200), `${'a'.repeat(60)}b`])).toEqual([`${'a'.repeat(60)}b`]);
    expect(performance.now() - start).toBeLessThan(1_000);
    expect(matchPattern('sel_*', ['sel_a', 'selb', '_sel_c'])).toEqual(['sel_a']);
    expect(matchPattern('*_proc*', ['a_process', 'proc', 'x_proc'])).toEqual(['a_process', 'x_proc']);
  });
});

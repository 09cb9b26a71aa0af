/** Observed-run records: both formats read, resolved against the fixture catalog, compared with predictions. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Catalog } from '../../src/lib/catalog/types.ts';
import { withObserved } from '../../src/lib/observed/apply.ts';
import { agreement, calibrate } from '../../src/lib/observed/calibration.ts';
import { loadObserved, parseCsv, type ObservedLoad } from '../../src/lib/observed/load.ts';
import { analyzeTrust } from '../../src/lib/trust/analyze.ts';
import { buildModel } from '../../src/lib/site/model.ts';
import { ruleTests, testRules } from '../../src/lib/site/trust-views.ts';
import { fixtureCatalog, projectRoot } from '../site/fixture-site.ts';

const dir = path.join(projectRoot, 'tests/fixtures/observed');
const CSV = path.join(dir, 'lab-runs.csv');
const JSON_FILE = path.join(dir, 'purple-team.json');
const REDCANARY = path.join(dir, 'sigma_redcanaryco');
const NET = '1c67a717-32ba-409b-a45d-0fb704a73a81';
const VSS = 'b7c6d5e4-1111-4c2d-9e8f-a0b1c2d3e4f5';
const ENCODED = '9b2e7a31-4f0c-4a6e-8d51-2a5f3c6d7e80';
const T1049_1 = '0940a971-809a-48f1-9c4d-b1d785e96ee5';
const T1049_LINUX = 'bcf05343-ef1d-4052-8a27-b00c9be42b9f';
const VSS_1 = 'c1d2e3f4-0001-4a5b-8c6d-7e8f9a0b1c2d';
const VSS_2 = 'c1d2e3f4-0002-4a5b-8c6d-7e8f9a0b1c2d';
const ENCODED_TEST = 'a5b3c2d1-0e9f-4a8b-9c7d-6e5f4a3b2c1d';

const fresh = () => JSON.parse(readFileSync(fixtureCatalog, 'utf8')) as Catalog;
const short = (d: { file: string; line?: number; code: string; message: string }) => [path.relative(dir, d.file), d.line, d.code, d.message];

describe('reading records', () => {
  it('parses CSV with quoted commas, doubled quotes and CRLF, keeping line numbers', () => {
    expect(parseCsv('test,rule\r\n"a,b","say ""hi""\nthere"\r\n\r\nc,d')).toEqual([
      { line: 1, fields: ['test', 'rule'] },
      { line: 2, fields: ['a,b', 'say "hi"\nthere'] },
      { line: 5, fields: ['c', 'd'] },
    ]);
  });

  it('reads a CSV table: ids, titles, dates cut to the day, an empty rule for a run where nothing fired', async () => {
    const load = await loadObserved([CSV]);
    expect(load.records.map((r) => [r.line, r.test.slice(0, 8), r.rule, r.date, r.source])).toEqual([
      [2, '0940a971', NET, '2026-10-02', 'lab, Sysmon 15'],
      [3, 'c1d2e3f4', 'Shadow Copies Deletion Using Operating Systems Utilities', '2026-10-03', 'lab'],
      [4, 'c1d2e3f4', NET.toUpperCase(), '2026-10-03', 'lab'],
      [5, 'a5b3c2d1', undefined, '2026-10-04', 'lab'],
      [6, 'ffffffff', NET, '2026-10-05', 'lab'],
      [7, '0940a971', 'no-such-rule', '2026-10-05', 'lab'],
      [8, '0940a971', NET, undefined, 'lab'],
    ]);
    expect(load.diagnostics.map(short)).toEqual([['lab-runs.csv', 8, 'observed-record', 'date "last tuesday" is not YYYY-MM-DD: kept without a date']]);
  });

  it('reads a JSON table; a record without a test is a diagnostic, not a crash', async () => {
    const load = await loadObserved([JSON_FILE]);
    expect(load.records).toMatchObject([{ test: VSS_2, rule: VSS, date: '2026-09-30', source: 'purple team' }]);
    expect(load.diagnostics.map(short)).toEqual([
      ['purple-team.json', undefined, 'observed-record', 'record 2: test: Invalid input: expected string, received undefined'],
    ]);
  });

  it('reads the sigma_redcanaryco layout: one YAML per test, rules by id with their file name, "sigma: false" as a run with no firing', async () => {
    const load = await loadObserved([REDCANARY]);
    expect(load.files.map((f) => path.relative(REDCANARY, f))).toEqual([
      'yml/discovery/T1049/0940a971-809a-48f1-9c4d-b1d785e96ee5.yml',
      'yml/discovery/T1049/bcf05343-ef1d-4052-8a27-b00c9be42b9f.yml',
      'yml/impact/T1490/c1d2e3f4-0002-4a5b-8c6d-7e8f9a0b1c2d.yml',
    ]);
    expect(load.records.map((r) => [r.test.slice(0, 8), r.rule, r.alias, r.line, r.source])).toEqual([
      ['0940a971', NET, 'proc_creation_win_net_use_network_connections_discovery.yml', 13, 'sigma_redcanaryco'],
      ['0940a971', '00000000-dead-4bee-8f00-000000000000', 'proc_creation_win_susp_shadow_copies_deletion.yml', 15, 'sigma_redcanaryco'],
      ['0940a971', '11111111-dead-4bee-8f00-000000000000', 'proc_creation_win_gone.yml', 17, 'sigma_redcanaryco'],
      ['bcf05343', undefined, undefined, undefined, 'sigma_redcanaryco'],
      ['c1d2e3f4', 'proc_creation_win_susp_shadow_copies_deletion.yml', undefined, 6, 'sigma_redcanaryco'],
    ]);
    expect(load.diagnostics).toEqual([]);
  });

  it('a missing path is an error diagnostic', async () => {
    const load = await loadObserved([path.join(dir, 'nope.csv')]);
    expect(load.diagnostics.map((d) => [d.code, d.severity])).toEqual([['observed-missing', 'error']]);
  });
});

describe('records in the catalog', () => {
  let catalog: Catalog;
  let load: ObservedLoad;
  beforeAll(async () => {
    catalog = fresh();
    load = await loadObserved([CSV, JSON_FILE, REDCANARY]);
    catalog = withObserved(catalog, load);
  });
  const test = (guid: string) => catalog.tests.find((t) => t.guid === guid)!;

  it('lists per test the rules seen firing, once each, with the latest date and its source', () => {
    expect(test(T1049_1).observed).toEqual([
      { rule: NET, date: '2026-10-02', source: 'lab, Sysmon 15' },
      // Found by its file name: the id in the record is unknown.
      { rule: VSS, source: 'sigma_redcanaryco' },
    ]);
    expect(test(VSS_1).observed).toEqual([
      { rule: NET, date: '2026-10-03', source: 'lab' },
      { rule: VSS, date: '2026-10-03', source: 'lab' },
    ]);
    expect(test(VSS_2).observed).toEqual([{ rule: VSS, date: '2026-09-30', source: 'purple team' }]);
    expect(test(ENCODED_TEST).observed).toEqual([]);
    expect(test(T1049_LINUX).observed).toEqual([]);
    expect(test('c1d2e3f4-0003-4a5b-8c6d-7e8f9a0b1c2d').observed).toBeUndefined();
    expect(catalog.rules.find((r) => r.slug === VSS)!.observedTests).toEqual([T1049_1, VSS_1, VSS_2]);
    expect(catalog.observed).toMatchObject({ records: 12, tests: 5 });
  });

  it('leaves the catalog it was given as it was', () => {
    const given = fresh();
    const before = structuredClone(given);
    expect(withObserved(given, load).observed).toBeDefined();
    expect(given).toEqual(before);
  });

  it('unknown tests and rules are warnings with file and line', () => {
    const observed = catalog.diagnostics.filter((d) => d.code.startsWith('observed'));
    expect(observed.map(short)).toEqual([
      ['lab-runs.csv', 6, 'observed-unknown-test', 'no Atomic test has the guid ffffffff-0000-4000-8000-000000000000'],
      ['lab-runs.csv', 7, 'observed-unknown-rule', `no rule has the id, file name or title "no-such-rule" (test ${T1049_1})`],
      ['lab-runs.csv', 8, 'observed-record', 'date "last tuesday" is not YYYY-MM-DD: kept without a date'],
      ['purple-team.json', undefined, 'observed-record', 'record 2: test: Invalid input: expected string, received undefined'],
      [
        'sigma_redcanaryco/yml/discovery/T1049/0940a971-809a-48f1-9c4d-b1d785e96ee5.yml',
        17,
        'observed-unknown-rule',
        `no rule has the id, file name or title "11111111-dead-4bee-8f00-000000000000" (test ${T1049_1})`,
      ],
    ]);
    expect(observed.every((d) => d.severity === 'warning')).toBe(true);
    expect(catalog.stats.diagnosticsByCode['observed-unknown-rule']).toBe(2);
  });

  it('observed is the top tier on both pages, above a test reference and a prediction', () => {
    const model = buildModel({ ...catalog, trust: analyzeTrust(catalog) });
    expect(testRules(model, test(VSS_1)).map((r) => [r.rule.slug, r.link.tier, r.link.basis])).toEqual([
      // Same tier: the more severe rule first.
      [VSS, 1, ['observed', 'test-reference', 'predicted', 'shared-tag']],
      [NET, 1, ['observed']],
    ]);
    expect(ruleTests(model, model.rule(NET)!).rows.map((r) => [r.test.guid, r.link.tier])).toEqual([
      [T1049_1, 1],
      [VSS_1, 1],
    ]);
  });

  it('says per test where prediction and observation agree and differ', () => {
    expect(agreement(test(VSS_1))).toEqual({ both: [VSS], observedNotPredicted: [NET], predictedNotObserved: [] });
    expect(agreement(test(ENCODED_TEST))).toEqual({ both: [], observedNotPredicted: [], predictedNotObserved: [ENCODED] });
    expect(agreement(test('c1d2e3f4-0003-4a5b-8c6d-7e8f9a0b1c2d'))).toBeUndefined();
  });

  it('calibrates predictions against observations over the tests with records, by executor and log source', () => {
    const c = calibrate(catalog);
    // VSS_1: both VSS, observed-only NET; VSS_2: both VSS; T1049_1: observed-only NET and VSS; encoded: predicted-only; linux: nothing.
    expect(c.total).toEqual({ key: 'all', tests: 5, both: 2, observedNotPredicted: 3, predictedNotObserved: 1, recall: 2 / 5, precision: 2 / 3 });
    expect(c.byExecutor.map((s) => [s.key, s.tests, s.both, s.observedNotPredicted, s.predictedNotObserved])).toEqual([
      ['bash', 1, 0, 0, 0],
      ['command_prompt', 3, 2, 3, 0],
      ['powershell', 1, 0, 0, 1],
    ]);
    expect(c.byLogsource.map((s) => [s.key, s.both, s.observedNotPredicted, s.predictedNotObserved, s.recall, s.precision])).toEqual([
      ['windows/process_creation', 2, 3, 1, 2 / 5, 2 / 3],
    ]);
  });
});

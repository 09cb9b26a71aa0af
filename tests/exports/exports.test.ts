import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Catalog } from '../../src/lib/catalog/types.ts';
import { csvCell, rulesCsv, toCsv } from '../../src/lib/exports/csv.ts';
import { gzipDeterministic, gzipDeterministicAsync } from '../../src/lib/exports/gzip.ts';
import { navigatorLayer } from '../../src/lib/exports/navigator.ts';
import { writeExports } from '../../src/lib/exports/write.ts';
import { runCatalog } from '../../src/lib/pipeline.ts';
import { prng } from '../../scripts/prng.ts';
import { RULES, makeCorpus, type Corpus } from '../cache/corpus.ts';

let corpus: Corpus;
let catalog: Catalog;
beforeAll(async () => {
  corpus = makeCorpus({
    ...RULES,
    'deprecated/old.yml': RULES['rules/windows/d.yml'].replace('dddddddd', 'dddddddd-old').replace('Comsvcs MiniDump', '=HYPERLINK("http://x")'),
  });
  catalog = await runCatalog({ sigma: [corpus.sigma], atomics: corpus.atomics, title: 'ACME' });
});
afterAll(() => corpus.remove());

describe('CSV', () => {
  it('quotes as RFC 4180 says', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(3)).toBe('3');
    expect(toCsv(['a', 'b'], [['1', '2']])).toBe('a,b\r\n1,2\r\n');
  });

  it('defuses cells a spreadsheet would run as a formula', () => {
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('+cmd')).toBe("'+cmd");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\t=x')).toBe("'\t=x");
    expect(csvCell('=HYPERLINK("http://x","a,b")')).toBe(`"'=HYPERLINK(""http://x"",""a,b"")"`);
    expect(csvCell('a=b')).toBe('a=b');
  });

  it('has one row per rule with its links and dates', () => {
    const lines = rulesCsv(catalog).split('\r\n');
    expect(lines[0]).toBe(
      'id,title,status,level,kind,collection,active,product,category,service,techniques,tactics,tests,author,date,modified,created,lastModified,path,url',
    );
    expect(lines).toHaveLength(catalog.rules.length + 2); // header, rows, and the final line end
    expect(lines).toContain(
      'aaaaaaaa-0000-4000-8000-000000000001,Procdump Dumping LSASS,,high,rule,rules,true,windows,process_creation,,T1003.001,credential-access,33333333-3333-4333-8333-333333333333,Tester,2024-01-10,,2024-01-10,2024-01-10,rules/windows/a.yml,/rules/aaaaaaaa-0000-4000-8000-000000000001/',
    );
    expect(lines.find((l) => l.includes('HYPERLINK'))).toContain(`,"'=HYPERLINK(""http://x"")",`);
  });
});

describe('ATT&CK Navigator layer', () => {
  it('has the 4.5 layer shape for the enterprise domain', () => {
    const layer = navigatorLayer(catalog, 'rules');
    expect(layer).toMatchObject({
      name: 'ACME: rule coverage',
      versions: { layer: '4.5', navigator: '5.0.0' },
      domain: 'enterprise-attack',
      sorting: 3,
      layout: { aggregateFunction: 'sum', showAggregateScores: true, expandedSubtechniques: 'annotated' },
      gradient: { colors: ['#ffffff', '#66b1ff'], minValue: 0, maxValue: 3 },
    });
    expect(Object.keys(layer.versions)).toEqual(['layer', 'navigator']);
  });

  it('scores each technique by its active rules; a parent shows what its sub-techniques hold', () => {
    const layer = navigatorLayer(catalog, 'rules');
    expect(layer.techniques).toEqual([
      { techniqueID: 'T1003', comment: '3 active rules on its sub-techniques', enabled: true, showSubtechniques: true },
      { techniqueID: 'T1003.001', score: 3, comment: '3 active rules', enabled: true }, // the deprecated copy is not counted
      { techniqueID: 'T1016', score: 1, comment: '1 active rule', enabled: true },
    ]);
  });

  it('scores Atomic tests too, and links techniques when the site URL is known', () => {
    const layer = navigatorLayer(catalog, 'tests', 'https://example.org/atlas/');
    expect(layer.techniques.find((t) => t.techniqueID === 'T1003.001')).toMatchObject({
      score: 2,
      links: [{ label: 'T1003.001 in ACME', url: 'https://example.org/atlas/techniques/T1003.001/' }],
    });
  });
});

describe('gzip', () => {
  it('is byte-for-byte the same every time, with no timestamp', () => {
    const a = gzipDeterministic('{"a":1}\n');
    expect(gzipDeterministic('{"a":1}\n').equals(a)).toBe(true);
    expect(a.readUInt32LE(4)).toBe(0);
    expect(a[9]).toBe(255);
    expect(gunzipSync(a).toString()).toBe('{"a":1}\n');
  });

  it('compressed in the thread pool, it gives the same bytes as in this thread (several MB, many deflate blocks)', async () => {
    const rnd = prng(7);
    const text = JSON.stringify(Array.from({ length: 60_000 }, (_, i) => ({ i, v: rnd().toString(36), w: 'x'.repeat(Math.floor(rnd() * 40)) })));
    expect(text.length).toBeGreaterThan(3_000_000);
    const sync = gzipDeterministic(text);
    const async = await gzipDeterministicAsync(text);
    expect(async.equals(sync)).toBe(true);
    expect(gunzipSync(async).toString()).toBe(text);
  });
});

describe('writeExports', () => {
  it('writes the layers, the CSV and the compressed catalog into api/, and removes a stale change list', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'atlas-exports-'));
    try {
      const api = path.join(out, 'api');
      await writeExports(catalog, out);
      writeFileSync(path.join(api, 'changes.json'), '{}');
      const files = await writeExports(catalog, out);
      expect(files).toEqual(['navigator-rules.json', 'navigator-tests.json', 'rules.csv', 'catalog.json.gz']);
      expect(existsSync(path.join(api, 'changes.json'))).toBe(false);
      expect(JSON.parse(gunzipSync(readFileSync(path.join(api, 'catalog.json.gz'))).toString())).toEqual(JSON.parse(JSON.stringify(catalog)));
      expect(JSON.parse(readFileSync(path.join(api, 'navigator-rules.json'), 'utf8')).versions.layer).toBe('4.5');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

/**
 * A field page cut into slices is decided once, by the catalog (`fieldSliceBits`): the indicators'
 * URLs, the site's slice pages and a rule page's links to those pages all follow it.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../src/lib/catalog/build.ts';
import { fieldPageUrl, fieldSliceUrl, indicatorAnchor } from '../../src/lib/catalog/urls.ts';
import { sliceOf } from '../../src/lib/indicators/slices.ts';
import { modelSigmaFile } from '../../src/lib/sigma/rule.ts';
import { parseSigmaFile } from '../../src/lib/sigma/load.ts';
import { fieldSliceBitsOf, fieldSlices } from '../../src/lib/site/indicators.ts';
import { buildModel } from '../../src/lib/site/model.ts';
import type { Catalog } from '../../src/lib/catalog/types.ts';
import { analyzeTrust } from '../../src/lib/trust/analyze.ts';
import { ruleView } from '../../src/lib/site/views.ts';

/** The site reads the catalog with its trust data, as the pipeline writes it. */
const withTrust = (catalog: Catalog) => ({ ...catalog, trust: analyzeTrust(catalog) });

const root = path.join('inputs', 'sigma');

function catalogOf(files: Record<string, string>) {
  const rules = [];
  for (const [rel, text] of Object.entries(files)) {
    const loaded = parseSigmaFile(Buffer.from(text), path.join(root, rel), rel, 'rules');
    rules.push(...modelSigmaFile(loaded.documents).rules);
  }
  return buildCatalog({ rules, atomics: [], diagnostics: [], files: { sigma: rules.length, atomics: 0, attack: 0 }, roots: [root] });
}

const rule = (id: string, values: string[]) => `title: Rule ${id}
id: ${id}
logsource:
    product: windows
    category: process_creation
detection:
    selection:
        Image|endswith: '\\cmd.exe'
        CommandLine|contains:
${values.map((v) => `            - '${v}'`).join('\n')}
    condition: selection
`;

// 600 values of ~200 characters: about 300 KB of table, so CommandLine is cut into 4 slices.
const many = Array.from({ length: 600 }, (_, i) => `payload-${i}-`.padEnd(200, 'x'));

describe('field slices decided by the catalog', () => {
  const catalog = catalogOf({
    'big.yml': rule('11111111-1111-4111-8111-111111111111', many),
    'small.yml': rule('22222222-2222-4222-8222-222222222222', [many[0]!, 'other']),
  });
  const commandLine = catalog.indicators.filter((i) => i.field === 'CommandLine');

  it('stores the slice count of cut fields only', () => {
    expect(catalog.fieldSliceBits).toEqual({ commandline: 2 });
  });

  it('gives each indicator of one rule a row on the slice its id picks; shared ones keep their own page', () => {
    const single = commandLine.filter((i) => i.rules.length === 1);
    expect(single).toHaveLength(600);
    for (const i of single) expect(i.url).toBe(`${fieldSliceUrl('commandline', sliceOf(i.id, 2))}#${indicatorAnchor(i.id)}`);
    expect(new Set(single.map((i) => sliceOf(i.id, 2)))).toEqual(new Set([1, 2, 3, 4]));
    expect(commandLine.find((i) => i.value === many[0])!.url).toBe(`/indicators/${commandLine.find((i) => i.value === many[0])!.id}/`);
    const image = catalog.indicators.find((i) => i.field === 'Image')!;
    expect(image.url).toBe(`/indicators/${image.id}/`);
  });

  it('renders each slice page with exactly the rows the catalog URLs point to', () => {
    const model = buildModel(withTrust(catalog));
    const group = model.fields.find((g) => g.segment === 'commandline')!;
    expect(group.sliceBits).toBe(2);
    const slices = fieldSlices(group);
    expect(slices).toHaveLength(4);
    slices.forEach((list, n) => {
      const page = fieldSliceUrl('commandline', n + 1);
      const pointing = commandLine
        .filter((i) => i.url.startsWith(`${page}#`))
        .map((i) => i.id)
        .sort();
      expect(
        list
          .filter((i) => i.rules.length === 1)
          .map((i) => i.id)
          .sort(),
      ).toEqual(pointing);
    });
    expect(model.fields.find((g) => g.segment === 'image')!.sliceBits).toBe(0);
  });

  it("links a big rule's unique values to the slice pages that hold them, numbered", () => {
    const model = buildModel(withTrust(catalog));
    const v = ruleView(model, model.rule('11111111-1111-4111-8111-111111111111')!);
    const group = v.uniqueIndicators.find((g) => g.field === 'CommandLine')!;
    expect(group.values).toHaveLength(599);
    expect(group.pages.map((p) => p.label).sort()).toEqual(['1', '2', '3', '4']);
    for (const p of group.pages) expect(p.href).toBe(fieldSliceUrl('commandline', Number(p.label)));
    group.hrefs.forEach((href) => expect(group.pages.map((p) => p.href)).toContain(href.split('#')[0]));
  });

  it('leaves the key out when no field is cut, and a rule then links the field page itself', () => {
    const small = catalogOf({ 'big.yml': rule('11111111-1111-4111-8111-111111111111', many.slice(0, 100)) });
    expect(small).not.toHaveProperty('fieldSliceBits');
    const model = buildModel(withTrust(small));
    const v = ruleView(model, model.rule('11111111-1111-4111-8111-111111111111')!);
    expect(v.uniqueIndicators.find((g) => g.field === 'CommandLine')!.pages).toEqual([{ href: fieldPageUrl('commandline'), label: 'field page' }]);
  });
});

describe('fields named like Object.prototype members', () => {
  it('are one page unless the catalog lists them as cut', () => {
    expect(fieldSliceBitsOf({ commandline: 3 }, 'commandline')).toBe(3);
    expect(fieldSliceBitsOf({ commandline: 3 }, 'constructor')).toBe(0);
    expect(fieldSliceBitsOf(undefined, 'constructor')).toBe(0);
    expect(fieldSliceBitsOf({ commandline: 3 }, 'hasOwnProperty')).toBe(0);
    expect(fieldSliceBitsOf(JSON.parse('{"__proto__": 2}') as Record<string, number>, '__proto__')).toBe(2);
  });

  it('build a site model and rule views whatever the catalog lists', () => {
    const catalog = catalogOf({
      'proto.yml': `title: Proto
id: 33333333-3333-4333-8333-333333333333
logsource:
    product: windows
detection:
    selection:
        constructor: a
        toString: b
        CommandLine|contains:
${many.map((v) => `            - '${v}'`).join('\n')}
    condition: selection
`,
    });
    expect(catalog.fieldSliceBits).toEqual({ commandline: 2 });
    const model = buildModel(withTrust(catalog));
    for (const segment of ['constructor', 'tostring']) {
      const group = model.fields.find((g) => g.segment === segment)!;
      expect(group.sliceBits).toBe(0);
      expect(fieldSlices(group)).toEqual([group.indicators]);
    }
    const v = ruleView(model, model.rule('33333333-3333-4333-8333-333333333333')!);
    expect(v.uniqueIndicators.find((g) => g.field === 'constructor')!.pages).toEqual([{ href: fieldPageUrl('constructor'), label: 'field page' }]);
  });
});

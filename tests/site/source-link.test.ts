/** src/lib/site/source-link.ts: a rule's "view source" link from --repo-url, --repo-ref and its path. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../src/lib/catalog/build.ts';
import { parseSigmaFile } from '../../src/lib/sigma/load.ts';
import { modelSigmaFile } from '../../src/lib/sigma/rule.ts';
import { buildModel } from '../../src/lib/site/model.ts';
import { sourceLink } from '../../src/lib/site/source-link.ts';
import { ruleView } from '../../src/lib/site/views.ts';
import { analyzeTrust } from '../../src/lib/trust/analyze.ts';

describe('sourceLink', () => {
  it('points into the forge’s file view at the ref, main by default', () => {
    expect(sourceLink('https://github.com/acme/detections', 'abc123', 'rules/windows/a b.yml')).toBe(
      'https://github.com/acme/detections/blob/abc123/rules/windows/a%20b.yml',
    );
    expect(sourceLink('https://github.com/acme/detections/', undefined, 'r.yml')).toBe('https://github.com/acme/detections/blob/main/r.yml');
    expect(sourceLink('https://gitlab.com/acme/detections', 'release/2026', 'r.yml')).toBe('https://gitlab.com/acme/detections/-/blob/release/2026/r.yml');
    expect(sourceLink('https://code.gitlab.example.org/sec/rules', 'main', 'r.yml')).toBe('https://code.gitlab.example.org/sec/rules/-/blob/main/r.yml');
  });

  it('uses a URL that already points into a file view as given', () => {
    expect(sourceLink('https://example.org/sigma/blob/main', 'other', 'r.yml')).toBe('https://example.org/sigma/blob/main/r.yml');
    expect(sourceLink('https://gitlab.com/a/b/-/blob/dev/', undefined, 'r.yml')).toBe('https://gitlab.com/a/b/-/blob/dev/r.yml');
    expect(sourceLink('https://codeberg.org/a/b/src/branch/main', undefined, 'r.yml')).toBe('https://codeberg.org/a/b/src/branch/main/r.yml');
  });

  it('gives no link without a safe repository URL', () => {
    expect(sourceLink(undefined, 'main', 'r.yml')).toBeUndefined();
    expect(sourceLink('javascript:alert(1)', 'main', 'r.yml')).toBeUndefined();
  });
});

describe("a rule page's source link", () => {
  it('follows --repo-ref through the catalog (it was read and dropped before)', () => {
    const root = path.join('inputs', 'sigma');
    const text =
      'title: T\nid: 5f6a2c1e-0000-4000-8000-000000000001\nlogsource:\n    product: windows\ndetection:\n    sel:\n        Image: x\n    condition: sel\n';
    const { rules } = modelSigmaFile(parseSigmaFile(Buffer.from(text), path.join(root, 'rules/a.yml'), 'rules/a.yml', 'rules').documents);
    const link = (repositoryRef?: string) => {
      const catalog = buildCatalog({
        rules,
        atomics: [],
        diagnostics: [],
        files: { sigma: 1, atomics: 0, attack: 0 },
        roots: [root],
        repositoryUrl: 'https://github.com/acme/sigma',
        repositoryRef,
      });
      const model = buildModel({ ...catalog, trust: analyzeTrust(catalog) });
      return ruleView(model, model.catalog.rules[0]!).sourceUrl;
    };
    expect(link('release-1')).toBe('https://github.com/acme/sigma/blob/release-1/rules/a.yml');
    expect(link()).toBe('https://github.com/acme/sigma/blob/main/rules/a.yml');
  });
});

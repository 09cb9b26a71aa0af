/**
 * api/ and the exports are written while the site's search index is built (pipeline.ts
 * writeOutputs hands them to the renderer as `alongside`; scripts/site.ts buildSite runs them beside
 * Pagefind). Here a renderer stands in for buildSite, on a small corpus built by runBuild: the data is
 * written once whether or not the renderer runs it, a failure in either fails the build with nothing
 * published, and the build does not return before the data writes have settled.
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { settleAll } from '../../src/lib/parallel.ts';
import { runBuild, type RenderSite } from '../../src/lib/pipeline.ts';
import { makeCorpus, type Corpus } from '../cache/corpus.ts';

let corpus: Corpus;
let out: string;
let lines: string[];
beforeEach(() => {
  corpus = makeCorpus();
  out = path.join(corpus.dir, 'out');
  lines = [];
});
afterEach(() => corpus.remove());

const build = (renderSite: RenderSite) =>
  runBuild({ sigma: [corpus.sigma], atomics: corpus.atomics, out, version: 'test', renderSite, removeOld: 'wait' }, (line) => lines.push(line));

/** A page, then (as buildSite does) the search index with `alongside` beside it; `index` fails or passes. */
const renderer =
  (index: () => Promise<void>): RenderSite =>
  async (_catalogFile, outDir, _log, alongside) => {
    await mkdir(outDir, { recursive: true });
    await writeFile(path.join(outDir, 'index.html'), '<p>home</p>');
    await settleAll([index(), alongside()]);
    return { pages: 1 };
  };

const stage = (name: string) => lines.findIndex((l) => l.startsWith(name));
/** Nothing published, and no staging folder left beside --out. */
const nothingLeft = () => {
  expect(existsSync(out)).toBe(false);
  expect(readdirSync(corpus.dir).filter((f) => f.startsWith('.atlas-staging'))).toEqual([]);
};

describe('api/ and the exports beside the search index', () => {
  it('are written once, while the renderer indexes, and published with the pages', async () => {
    let apiDuringIndex = false;
    await build(async (catalogFile, outDir, log, alongside) => {
      const site = renderer(async () => {
        // The index is still being built when api/ is complete.
        await alongside();
        apiDuringIndex = existsSync(path.join(outDir, 'api', 'rules.json'));
      });
      const result = await site(catalogFile, outDir, log, alongside);
      await alongside(); // the same writes, not a second run
      return result;
    });
    expect(apiDuringIndex).toBe(true);
    expect(lines.filter((l) => l.startsWith('api ')).length).toBe(1);
    expect(lines.filter((l) => l.startsWith('exports ')).length).toBe(1);
    expect(stage('exports')).toBeLessThan(stage('site '));
    expect(existsSync(path.join(out, 'index.html'))).toBe(true);
    expect(existsSync(path.join(out, 'api', 'rules.json'))).toBe(true);
    expect(existsSync(path.join(out, 'api', 'catalog.json.gz'))).toBe(true);
  });

  it('are written after the pages by a renderer that does not run them', async () => {
    await build(async (_catalogFile, outDir) => {
      await mkdir(outDir, { recursive: true });
      await writeFile(path.join(outDir, 'index.html'), '<p>home</p>');
      return { pages: 1 };
    });
    expect(stage('site ')).toBeLessThan(stage('api '));
    expect(existsSync(path.join(out, 'index.html'))).toBe(true);
    expect(existsSync(path.join(out, 'api', 'rules.json'))).toBe(true);
  });

  it('a failing search index fails the build once the data writes have settled; nothing is published', async () => {
    const run = build(
      renderer(async () => {
        throw new Error('Pagefind writeFiles failed: disk full');
      }),
    );
    await expect(run).rejects.toThrow('Pagefind writeFiles failed: disk full');
    // The exports were finished, not cut off by the staging folder's removal.
    expect(stage('exports')).toBeGreaterThan(-1);
    nothingLeft();
  });

  it('a failing api/ write fails the build while the index succeeds; nothing is published', async () => {
    const run = build(async (catalogFile, outDir, log, alongside) => {
      // api/ cannot be created: a file holds its name.
      await mkdir(outDir, { recursive: true });
      writeFileSync(path.join(outDir, 'api'), 'not a folder');
      return renderer(async () => {})(catalogFile, outDir, log, alongside);
    });
    await expect(run).rejects.toThrow(/EEXIST|ENOTDIR/);
    expect(stage('api ')).toBe(-1);
    nothingLeft();
  });

  it('a renderer that fails without waiting for the data writes: the build waits for them before cleaning up', async () => {
    const run = build(async (_catalogFile, _outDir, _log, alongside) => {
      void alongside();
      throw new Error('Pagefind createIndex failed');
    });
    await expect(run).rejects.toThrow('Pagefind createIndex failed');
    expect(stage('exports')).toBeGreaterThan(-1);
    nothingLeft();
  });

  it('a render that fails before the index writes no data', async () => {
    const run = build(async () => {
      throw new Error('a page did not render');
    });
    await expect(run).rejects.toThrow('a page did not render');
    expect(stage('api ')).toBe(-1);
    nothingLeft();
  });
});

/**
 * Random damage to every cache file, 60 seeded trials: the catalog built over the damaged cache
 * is byte-identical to one built without a cache, and each damaged file gets one warning line (a
 * folder in a file's place, which cannot be replaced, a second one saying so).
 * Also: a same-size edit whose modification time was set back is seen.
 */
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { toJson } from '../../src/lib/catalog/write.ts';
import { runCatalog, type PipelineOptions } from '../../src/lib/pipeline.ts';
import { projectRoot, removeTemp, tempDir, writeRules } from './helpers.ts';
import { prng } from '../../scripts/prng.ts';

const inputs: PipelineOptions = {
  sigma: [path.join(projectRoot, 'rules')],
  atomics: path.join(projectRoot, 'atomics'),
  attack: path.join(projectRoot, 'tests/fixtures/attack/tiny-bundle.json'),
};

let root: string;
let pristine: string;
let clean: string;

const DAMAGE = ['flip one byte', 'flip eight bytes', 'truncate', '64 garbage bytes', 'append garbage', 'empty', 'a folder'] as const;

function damage(file: string, kind: (typeof DAMAGE)[number], rnd: () => number): void {
  const bytes = readFileSync(file);
  const at = () => Math.floor(rnd() * bytes.length);
  const garbage = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(rnd() * 256)));
  switch (kind) {
    case 'flip one byte':
    case 'flip eight bytes':
      for (let i = 0; i < (kind === 'flip one byte' ? 1 : 8); i++) bytes[at()] ^= 1 + Math.floor(rnd() * 255);
      return writeFileSync(file, bytes);
    case 'truncate':
      return writeFileSync(file, bytes.subarray(0, at()));
    case '64 garbage bytes':
      return writeFileSync(file, garbage(64));
    case 'append garbage':
      return writeFileSync(file, Buffer.concat([bytes, garbage(1 + Math.floor(rnd() * 100))]));
    case 'empty':
      return writeFileSync(file, '');
    case 'a folder':
      rmSync(file);
      mkdirSync(file);
  }
}

async function catalogText(cache?: string): Promise<string> {
  return toJson(await runCatalog({ ...inputs, cache }), false);
}

beforeAll(async () => {
  root = tempDir('cache');
  pristine = path.join(root, 'pristine');
  clean = await catalogText();
  expect(await catalogText(pristine)).toBe(clean);
  expect(readdirSync(pristine).sort()).toEqual(['atomics.v8', 'attack.v8', 'predictions.v8', 'sigma.v8']);
});

afterAll(removeTemp);

describe('a damaged cache is never trusted', () => {
  test('60 seeded trials of random damage to every cache file: the same catalog, one warning per damaged file', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      for (let seed = 1; seed <= 60; seed++) {
        const rnd = prng(seed);
        const dir = path.join(root, `trial-${seed}`);
        cpSync(pristine, dir, { recursive: true });
        const damaged = readdirSync(dir).map((name) => {
          const kind = DAMAGE[Math.floor(rnd() * DAMAGE.length)];
          damage(path.join(dir, name), kind, rnd);
          return `${name}: ${kind}`;
        });
        warn.mockClear();
        expect(await catalogText(dir), `seed ${seed} (${damaged.join('; ')})`).toBe(clean);
        const lines = warn.mock.calls.map((c) => String(c[0]));
        const folders = damaged.filter((d) => d.endsWith('a folder')).length;
        expect(lines, `seed ${seed} (${damaged.join('; ')})`).toHaveLength(damaged.length + folders);
        // The predictions section is read after the others are saved, so the two kinds of line may interleave.
        const dropped = lines.filter((line) => /^cache: .*\.v8 is damaged \(.*\): dropped; its entries are rebuilt from the sources$/.test(line));
        const unwritten = lines.filter((line) =>
          /^cache: cannot write .*\.v8 \(.*\): the damaged file stays, and the next build reads its inputs again$/.test(line),
        );
        expect([dropped.length, unwritten.length], `seed ${seed} (${damaged.join('; ')})`).toEqual([damaged.length, folders]);
        // The next build trusts the rewritten cache again (a folder in a file's place stays; the build still reads its inputs).
        if (seed % 4 === 0) {
          warn.mockClear();
          expect(await catalogText(dir)).toBe(clean);
          expect(warn.mock.calls.length).toBe(2 * folders);
        }
        rmSync(dir, { recursive: true, force: true });
      }
    } finally {
      warn.mockRestore();
    }
  });

  test('a same-size edit whose modification time was set back is seen', async () => {
    const dir = tempDir('mtime');
    const sigma = writeRules(path.join(dir, 'rules'), ['Same Size Title']);
    const file = path.join(sigma, readdirSync(sigma)[0]);
    const past = new Date('2020-01-01T00:00:00Z');
    utimesSync(file, past, past); // not racy: the cache trusts its stat
    const options = { sigma: [sigma], cache: path.join(dir, 'cache') };
    expect((await runCatalog(options)).rules[0].title).toBe('Same Size Title');
    const before = statSync(file);
    writeFileSync(file, readFileSync(file, 'utf8').replace('Same Size Title', 'Edit Size Title'));
    utimesSync(file, before.atime, before.mtime);
    expect(statSync(file).size).toBe(before.size);
    expect(statSync(file).mtimeMs).toBe(before.mtimeMs);
    expect((await runCatalog(options)).rules[0].title).toBe('Edit Size Title');
  });
});

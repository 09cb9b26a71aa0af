import { gunzipSync } from 'node:zlib';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { gzipDeterministic, gzipDeterministicAsync } from '../../src/lib/exports/gzip.ts';

v8.setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const used = () => v8.getHeapStatistics().used_heap_size;
const MiB = 1024 * 1024;

describe('deterministic gzip', () => {
  it('gives the same bytes in the thread pool as in this thread', async () => {
    const text = JSON.stringify({ rules: ['é', 'a'.repeat(1000)] });
    const bytes = await gzipDeterministicAsync(text);
    expect(bytes.equals(gzipDeterministic(text))).toBe(true);
    expect(gunzipSync(bytes).toString('utf8')).toBe(text);
  });

  it('does not hold the text while it compresses (the full catalog is ~55 MB)', async () => {
    const make = () => JSON.stringify(Array.from({ length: 600_000 }, (_, i) => ({ id: i, title: `rule ${i}`, x: 'abcdefghijklmnopqrstuvwxyz' })));
    gc();
    const before = used();
    let text: string | undefined = make();
    const pending = gzipDeterministicAsync(text);
    text = undefined;
    gc();
    const held = used() - before;
    expect((await pending).length).toBeGreaterThan(0);
    expect(held).toBeLessThan(10 * MiB); // the ~45 MiB string is garbage once the caller drops it
  });
});

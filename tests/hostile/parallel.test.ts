/** The I/O limiter that keeps thousands of reads and writes under the file-descriptor limit. */
import { describe, expect, test } from 'vitest';
import { eachLimit, limiter, mapLimit, settleAll } from '../../src/lib/parallel.ts';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('bounded parallelism', { timeout: 10_000 }, () => {
  test('never runs more than the limit at once, and keeps the input order', async () => {
    let active = 0;
    let peak = 0;
    const results = await mapLimit(
      Array.from({ length: 200 }, (_, i) => i),
      async (i) => {
        peak = Math.max(peak, ++active);
        await tick();
        active--;
        return i * 2;
      },
      7,
    );
    expect(peak).toBe(7);
    expect(results).toEqual(Array.from({ length: 200 }, (_, i) => i * 2));
  });

  test('a failing task frees its slot and rejects its own promise only', async () => {
    const run = limiter(1);
    const failed = run(async () => {
      throw new Error('no');
    });
    await expect(failed).rejects.toThrow('no');
    await expect(run(async () => 'next')).resolves.toBe('next');
  });
});

describe('settleAll', () => {
  test('gives every value in order', async () => {
    expect(await settleAll([Promise.resolve(1), tick().then(() => 'b')])).toEqual([1, 'b']);
  });

  test('throws the first failure in argument order, only once every promise has settled', async () => {
    let slowDone = false;
    const slow = tick()
      .then(tick)
      .then(() => {
        slowDone = true;
        throw new Error('second');
      });
    await expect(settleAll([Promise.reject(new Error('first')), slow])).rejects.toThrow('first');
    expect(slowDone).toBe(true);
  });

  test('eachLimit: at most the limit in flight; after a failure nothing more starts, and it throws once the running ones are done', async () => {
    let active = 0;
    let peak = 0;
    const started: number[] = [];
    const finished: number[] = [];
    const run = eachLimit(
      Array.from({ length: 100 }, (_, i) => i),
      async (i) => {
        started.push(i);
        peak = Math.max(peak, ++active);
        await tick();
        if (i === 10) throw new Error('item 10');
        await tick();
        active--;
        finished.push(i);
      },
      4,
    );
    await expect(run).rejects.toThrow('item 10');
    expect(peak).toBe(4);
    // Started before the failure: 0..13 at most (10 fails while 11-13 run); each of them has finished.
    expect(Math.max(...started)).toBeLessThan(14);
    expect(finished.length).toBe(started.length - 1);
    const all: number[] = [];
    await eachLimit([1, 2, 3], async (i) => void all.push(i), 8);
    expect(all).toEqual([1, 2, 3]);
  });
});

/** The I/O limiter that keeps thousands of reads and writes under the file-descriptor limit. */
import { describe, expect, test } from 'vitest';
import { limiter, mapLimit, settleAll } from '../../src/lib/parallel.ts';

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
});

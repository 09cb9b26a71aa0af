import v8 from 'node:v8';
import { describe, expect, it } from 'vitest';
import { boundHeap } from '../../scripts/heap-bound.ts';

const MiB = 1024 * 1024;
const used = () => v8.getHeapStatistics().used_heap_size;

describe('boundHeap', () => {
  it('collects once the heap has grown its headroom above the last collection, not before', () => {
    const bound = boundHeap(64 * MiB);
    try {
      bound.check();
      expect(bound.stop().collections).toBe(0);
      // Garbage well past the headroom: ~40 bytes of string per entry, dropped at once.
      let garbage: string[] | undefined = Array.from({ length: 3_000_000 }, (_, i) => `entry ${i} of the garbage`);
      expect(garbage.length).toBe(3_000_000);
      garbage = undefined;
      const before = used();
      bound.check();
      const { collections } = bound.stop();
      expect(collections).toBe(1);
      expect(used()).toBeLessThan(before - 64 * MiB);
    } finally {
      bound.stop();
    }
  });
});

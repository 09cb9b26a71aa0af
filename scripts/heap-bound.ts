/**
 * Keeps this process's heap near its live data during a build. V8 lets the old generation grow to
 * a multiple of what its last full collection kept before it collects again: during the full
 * corpus's render (≈400 MiB live: the pipeline's catalog and the site's, Astro, the search records)
 * the heap grew to ≈1 GB, mostly garbage, and the process's peak RSS swung between 1.4 and 1.6 GiB
 * with the collections' timing. Here a full collection is run whenever the heap has grown `headroom`
 * above the least it has held since the last one: on a cold full-corpus build 3 collections,
 * ≈0.45 s, peak RSS ≈1.2 GiB. Output does not depend on it (nothing here uses weak references).
 */
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';

export const HEAP_HEADROOM = 350 * 1024 * 1024;

export interface HeapBound {
  /** Collects if the heap has grown `headroom` above the least it has held since the last collection (run every half second). */
  check(): void;
  /** Stops the checks; returns how many collections were run and their seconds. */
  stop(): { collections: number; seconds: number };
}

/**
 * The collector's entry point without a command-line flag: the flag set at run time, the function
 * taken from a fresh context (the main context gets no `gc` global; contexts and workers made
 * later do). Undefined if this Node no longer allows it: then the heap is left to V8.
 */
function collector(): (() => void) | undefined {
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    return typeof gc === 'function' ? (gc as () => void) : undefined;
  } catch {
    return undefined;
  }
}

export function boundHeap(headroom = HEAP_HEADROOM): HeapBound {
  const gc = collector();
  const used = () => v8.getHeapStatistics().used_heap_size;
  gc?.(); // what is live now: cheap at the start of a build, when the heap is small
  let floor = used();
  let collections = 0;
  let ms = 0;
  const check = () => {
    if (!gc) return;
    const now = used();
    // V8's own collections lower the floor too.
    floor = Math.min(floor, now);
    if (now < floor + headroom) return;
    const start = performance.now();
    gc();
    ms += performance.now() - start;
    collections += 1;
    floor = used();
  };
  const timer = setInterval(() => {
    try {
      check();
    } catch {
      clearInterval(timer); // a bound that fails is dropped, not the build
    }
  }, 500);
  timer.unref();
  return {
    check,
    stop() {
      clearInterval(timer);
      return { collections, seconds: ms / 1000 };
    },
  };
}

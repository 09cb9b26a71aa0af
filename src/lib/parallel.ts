/**
 * Bounded parallelism for file I/O. `Promise.all` over thousands of reads or writes opens every
 * file at once and runs out of descriptors (EMFILE) under the common limit of 1,024: files are
 * then reported unreadable, or the build fails. With the limit, results keep the input order.
 */
const IO_PARALLELISM = 64;

/** A gate letting at most `limit` tasks run at once; the others wait their turn, in order. */
export function limiter(limit = IO_PARALLELISM): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (active < limit) active++;
    else await new Promise<void>((resolve) => waiting.push(resolve)); // a finishing task hands its slot over
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}

/** `Promise.all(items.map(work))` with at most `limit` of them in flight. */
export function mapLimit<T, R>(items: readonly T[], work: (item: T) => Promise<R>, limit = IO_PARALLELISM): Promise<R[]> {
  const run = limiter(limit);
  return Promise.all(items.map((item) => run(() => work(item))));
}

/**
 * `Promise.all` that waits for every promise to settle before it throws the first failure (in
 * argument order): work started beside another keeps no file open or half written after the caller
 * has moved on to clean up, and a second failure is not left unhandled.
 */
export async function settleAll<T extends readonly unknown[] | []>(promises: T): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const results = await Promise.allSettled(promises);
  for (const r of results) if (r.status === 'rejected') throw r.reason;
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as { -readonly [K in keyof T]: Awaited<T[K]> };
}

/** Steps a long synchronous loop takes between two turns of the event loop (loopTurn). */
export const STEPS_PER_TURN = 256;

/**
 * Lets the event loop turn once, from a long synchronous loop that runs beside other work: I/O
 * callbacks then run (Node feeds Pagefind's stdin and reads its answers only between turns).
 */
export function loopTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * SIGINT and SIGTERM during a build: the staging area is removed (after a swap in progress has
 * finished, so the output is whole) and the process exits with 128 + the signal number. The
 * removal is synchronous and followed at once by the exit, so the build's own writes, still
 * queued, get no turn to re-create what was removed.
 */
import { rmSync } from 'node:fs';
import { publishing } from './publish.ts';
import type { Staging } from './staging.ts';

const CODES = { SIGINT: 130, SIGTERM: 143 } as const;

/**
 * Removes a folder while writes already handed to libuv's thread pool may still land in it: on
 * ENOTEMPTY it waits a little (blocking, so no new write is started) and tries again.
 */
function removeNow(dir: string): void {
  for (let attempt = 0; ; attempt++) {
    try {
      rmSync(dir, { recursive: true, force: true });
      return;
    } catch (error) {
      if (attempt === 50) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
  }
}

/** Installs the handlers; the returned function removes them. */
export function cleanUpOnSignal(staging: Staging): () => void {
  const stop = (signal: string, code: number) => {
    removeNow(staging.dir);
    console.error(`${signal}: stopped; ${staging.dir} removed (--out holds the complete old or new output)`);
    process.exit(code);
  };
  // `on`, not `once`: a second Ctrl-C while a swap finishes must not fall back to Node's default
  // (an exit in the middle of the swap); it is ignored, the first one is already stopping the build.
  let stopping = false;
  const handlers = Object.entries(CODES).map(([signal, code]) => {
    const handler = () => {
      if (stopping) return;
      stopping = true;
      const swap = publishing();
      if (swap) void swap.then(() => stop(signal, code));
      else stop(signal, code);
    };
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  return () => {
    for (const [signal, handler] of handlers) process.off(signal, handler);
  };
}

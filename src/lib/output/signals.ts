/**
 * SIGINT and SIGTERM during a build: the staging area is removed (after a swap in progress has
 * finished, so the output is whole) and the process exits with 128 + the signal number.
 */
import { publishing } from './publish.ts';
import { removeStaging, type Staging } from './staging.ts';

const CODES = { SIGINT: 130, SIGTERM: 143 } as const;

/** Installs the handlers; the returned function removes them. */
export function cleanUpOnSignal(staging: Staging, extra: () => Promise<void> = async () => {}): () => void {
  const handlers = Object.entries(CODES).map(([signal, code]) => {
    const handler = () => {
      console.error(`${signal}: stopping; removing ${staging.dir}`);
      void (async () => {
        await publishing();
        await Promise.allSettled([removeStaging(staging), extra()]);
        process.exit(code);
      })();
    };
    process.once(signal, handler);
    return [signal, handler] as const;
  });
  return () => {
    for (const [signal, handler] of handlers) process.off(signal, handler);
  };
}

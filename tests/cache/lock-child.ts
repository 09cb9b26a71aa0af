/**
 * A build opening the page cache (src/lib/cache/pages.ts openPageCache) in its own process, for
 * tests/cache/pages.test.ts, stopped at a chosen point of taking the lock:
 *   lock-child.ts DIR FLAGS MODE
 * MODE `kill-at-link`: SIGKILL just before the holder is linked into place as `<DIR>.lock`;
 * `kill-at-remove`: SIGKILL just before a stale lock is removed; `pause`: after its first read of
 * the lock, writes FLAGS/judged and waits for FLAGS/go; after moving the lock aside (if it ever
 * does), writes FLAGS/moved and waits for FLAGS/go-on; `pause-at-break`: once it has linked its
 * `.break` (about to remove a stale lock), writes FLAGS/break and waits for FLAGS/go. Writes
 * FLAGS/result (`held` or `not held`) at the end.
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import path from 'node:path';

const [dir, flags, mode] = process.argv.slice(2) as [string, string, string];
const lockFile = `${dir}.lock`;
const signal = (name: string) => fs.writeFileSync(path.join(flags, name), '');
const waitFor = (name: string) => {
  // A hang guard, not a timing: the test writes the flag as soon as it has done its step.
  for (let waited = 0; !fs.existsSync(path.join(flags, name)); waited += 10) {
    if (waited > 120_000) throw new Error(`no ${name} flag after two minutes`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
  }
};

const { linkSync, readFileSync, renameSync, rmSync } = fs;
fs.linkSync = (from, to) => {
  if (mode === 'kill-at-link' && String(to) === lockFile) process.kill(process.pid, 'SIGKILL');
  linkSync(from, to);
  if (mode === 'pause-at-break' && String(to).endsWith('.break')) {
    signal('break');
    waitFor('go');
  }
};
fs.rmSync = (file, options) => {
  if (mode === 'kill-at-remove' && String(file) === lockFile) process.kill(process.pid, 'SIGKILL');
  return rmSync(file, options);
};
let judged = false;
fs.readFileSync = ((file: fs.PathOrFileDescriptor, options?: unknown) => {
  const read = readFileSync(file, options as BufferEncoding);
  if (mode === 'pause' && !judged && String(file) === lockFile) {
    judged = true;
    signal('judged');
    waitFor('go');
  }
  return read;
}) as typeof fs.readFileSync;
fs.renameSync = (from, to) => {
  renameSync(from, to);
  if (mode === 'pause' && String(from) === lockFile) {
    signal('moved');
    waitFor('go-on');
  }
};
syncBuiltinESMExports();

const { openPageCache } = await import('../../src/lib/cache/pages.ts');
const cache = await openPageCache(dir, () => {});
fs.writeFileSync(path.join(flags, 'result'), cache ? 'held' : 'not held');

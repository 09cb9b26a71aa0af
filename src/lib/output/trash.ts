/**
 * Removing an old output after the swap (`.atlas-trash-…`, see publish.ts) off the build's path:
 * deleting the full site's ~37k files took 6.5 s of a one-rule rebuild, after the new output was
 * already in place. A detached remover process deletes it while `atlas build` returns.
 *
 * The remover's own pid goes into the folder's name before it starts deleting, so the folder is
 * never a leftover of a dead process while it is being deleted: recoverLeftovers (staging.ts)
 * skips folders of live pids, and a build started meanwhile neither waits for the deletion nor
 * does it again. The order: the remover is spawned and waits on its stdin; the folder is renamed
 * to carry the remover's pid; its new path is written to the remover, which deletes it only if
 * the name carries its own pid. A remover that dies (or a build killed before it wrote the path)
 * leaves a folder named after a dead pid, which the next build removes. Both deleting at once —
 * only possible if a pid is reused — is harmless: `rm -r` of a tree that is vanishing under it
 * with `force` ignores what is already gone.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { prefixFor } from './staging.ts';

/**
 * The remover, as a `node -e` script (the same in a checkout, run through tsx, and in the installed
 * package, compiled to dist-cli/): reads a path from stdin to its end, and removes it if it is a
 * trash folder named after this process.
 */
const REMOVER = `
const fs = require('node:fs');
const path = require('node:path');
let target = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => (target += chunk));
process.stdin.on('end', () => {
  const mine = new RegExp('^\\\\.atlas-trash-.*-' + process.pid + '-[A-Za-z0-9]{6}$');
  if (path.isAbsolute(target) && mine.test(path.basename(target))) fs.rmSync(target, { recursive: true, force: true });
});
`;

/** How the old output is removed: by a detached process while the build returns (the default), or before `publish` returns. */
export type RemoveOld = 'background' | 'wait';

/**
 * Removes `trash` (an old output renamed `.atlas-trash-<out>-<pid>-XXXXXX` by publish.ts). In the
 * background, returns once the remover has it (its pid in the folder's name); if no remover can
 * be started, removes it here.
 */
export async function removeTrash(trash: string, out: string, how: RemoveOld = 'background'): Promise<void> {
  if (how === 'wait') return rm(trash, { recursive: true, force: true });
  let remover: ChildProcess;
  try {
    remover = spawn(process.execPath, ['-e', REMOVER], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
  } catch {
    return rm(trash, { recursive: true, force: true });
  }
  remover.on('error', () => {}); // no remover (spawn failed): handled below, by deleting here
  remover.stdin?.on('error', () => {}); // a remover gone before it read its path: its folder is left for the next build
  const pid = remover.pid;
  if (pid === undefined || !remover.stdin) return rm(trash, { recursive: true, force: true });
  const suffix = path.basename(trash).slice(prefixFor('trash', out).length);
  const named = path.resolve(path.dirname(trash), prefixFor('trash', out, pid) + suffix);
  try {
    await rename(trash, named);
  } catch (error) {
    remover.stdin.end(); // an empty path: the remover exits
    remover.unref();
    throw error;
  }
  remover.stdin.end(named);
  remover.unref();
}

/**
 * Publishing the staged output: the marker is written last into the staging copy, then the
 * folders are swapped with two renames — the old output moved aside, the new one moved in — and
 * the old one removed. A reader sees the complete old output or the complete new one; a build
 * killed between the two renames leaves the old output complete beside it (`.atlas-old-…`),
 * and the next build puts it back (staging.ts recoverLeftovers). After the swap a third rename
 * marks the old output as garbage (`.atlas-trash-…`), and only then is the lock released: a
 * Ctrl-C need not wait while it is deleted, and whatever a kill leaves of it is never taken for
 * an output to put back; the next build removes it. By default a detached process deletes it
 * (trash.ts), so the build returns as soon as the new output is in place.
 */
import { mkdtemp, rename, rmdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { inspectOut } from './guard.ts';
import { listFiles, MARKER_FILE, markerText } from './marker.ts';
import { prefixFor, removeStaging, type Staging } from './staging.ts';
import { removeTrash, type RemoveOld } from './trash.ts';

/** Set from the swap until the old output is marked as garbage: a signal then waits for it to finish. */
let swapping: Promise<void> | undefined;

export function publishing(): Promise<void> | undefined {
  return swapping;
}

/** `removeOld`: `wait` deletes the old output before returning, for callers that look beside --out next. */
export async function publish(staging: Staging, version: string, removeOld: RemoveOld = 'background'): Promise<void> {
  const files = await listFiles(staging.site);
  await writeFile(path.join(staging.site, MARKER_FILE), markerText(version, files));
  // Checked again now: files may have been put into the output while this build ran.
  const state = await inspectOut(staging.out);
  let release!: () => void;
  swapping = new Promise((resolve) => (release = resolve));
  let trash: string | undefined;
  try {
    let aside: string | undefined;
    try {
      if (state.kind !== 'missing') {
        // A fresh name for the old output (mkdtemp reserves it; the rename replaces the empty folder).
        aside = await mkdtemp(path.join(path.dirname(staging.out), prefixFor('old', staging.out)));
        await rmdir(aside);
        await rename(staging.out, aside);
      }
      await rename(staging.site, staging.out);
    } catch (error) {
      if (aside) await rename(aside, staging.out).catch(() => {});
      throw error;
    }
    if (aside) {
      trash = path.join(path.dirname(aside), prefixFor('trash', staging.out) + path.basename(aside).slice(prefixFor('old', staging.out).length));
      await rename(aside, trash);
    }
  } finally {
    swapping = undefined;
    release();
  }
  // The new output is in place: an old one that could not be handed to its remover (a rename that
  // failed) is not a failed build; it keeps this process's pid and the next build removes it.
  if (trash) await removeTrash(trash, staging.out, removeOld).catch(() => {});
  await removeStaging(staging);
}

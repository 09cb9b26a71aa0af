/**
 * The marker that makes an output folder the build's own: `.atlas-build.json` at its top, with the
 * tool's version and every file the build wrote. A folder without it is never built into unless it
 * is empty, and a file not in its list is never removed.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { listFilesUnder } from '../folders.ts';

export const MARKER_FILE = '.atlas-build.json';
const MARKER_TOOL = 'detection-atlas';

const markerSchema = z.object({
  tool: z.literal(MARKER_TOOL),
  version: z.string(),
  /** Every file of the output, relative, forward slashes, sorted (the marker itself excluded). */
  files: z.array(z.string()),
});

export type Marker = z.infer<typeof markerSchema>;

export function markerText(version: string, files: string[]): string {
  const marker: Marker = { tool: MARKER_TOOL, version, files: [...files].sort() };
  return `${JSON.stringify(marker, null, 1)}\n`;
}

/** The marker in this text, or undefined when it is not one of ours. */
function parseMarker(text: string): Marker | undefined {
  try {
    const parsed = markerSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export async function readMarker(dir: string): Promise<Marker | undefined> {
  const text = await readFile(path.join(dir, MARKER_FILE), 'utf8').catch(() => undefined);
  return text === undefined ? undefined : parseMarker(text);
}

/**
 * Every entry under a folder that is not a directory (links listed, not followed), relative with
 * forward slashes, sorted. Each folder is read with a synchronous readdir: a full site has ~18k
 * folders, a build lists its output three times (before, the staged copy and --out again at
 * publish), and a thread-pool round trip per folder made each listing take a second or more.
 * None of the three stands in for another: the first refuses a folder holding files of someone
 * else's before any work, the last finds those put there while the build ran (the old output is
 * deleted after the swap), and the staged copy is a different folder, listed for its marker.
 */
export async function listFiles(dir: string): Promise<string[]> {
  return listFilesUnder(dir).sort();
}

/** Files present in the output that its marker does not list: someone else's, never to be removed. */
export function foreignFiles(present: string[], marker: Marker): string[] {
  const listed = new Set(marker.files);
  return present.filter((f) => f !== MARKER_FILE && !listed.has(f));
}

/**
 * Is this `--out` target safe to build into? The output is replaced as a whole, so it must not
 * be, contain or lie inside anything the build reads or the tool is made of, and a folder that is
 * already there must be empty or carry the marker of an earlier build (marker.ts).
 */
import { lstat, realpath } from 'node:fs/promises';
import path from 'node:path';
import { foreignFiles, listFiles, readMarker } from './marker.ts';

/** A refusal: the CLI prints the message and exits 2. */
export class OutputError extends Error {}

/** A path the output must keep clear of. `inside: true` also forbids an output inside it. */
export interface Protected {
  what: string;
  path: string;
  inside: boolean;
}

/** How `a` relates to `b` (both absolute and normalised). */
export function relation(a: string, b: string): 'same' | 'inside' | 'contains' | undefined {
  if (a === b) return 'same';
  const within = (child: string, parent: string) => {
    const rel = path.relative(parent, child);
    return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
  };
  if (within(a, b)) return 'inside';
  if (within(b, a)) return 'contains';
  return undefined;
}

/** The reason the output may not be at `out`, or undefined. Paths absolute and real (symbolic links resolved). */
export function overlapProblem(out: string, keep: Protected[]): string | undefined {
  for (const p of keep) {
    const r = relation(out, p.path);
    if (r === 'same') return `--out ${out} is the ${p.what}`;
    if (r === 'contains') return `--out ${out} contains the ${p.what} (${p.path})`;
    if (r === 'inside' && p.inside) return `--out ${out} lies inside the ${p.what} (${p.path})`;
  }
  return undefined;
}

/** The tool's own folders: the output may lie in its root (the default `dist/`), never in these. */
export function toolFolders(toolRoot: string): Protected[] {
  return [
    { what: "tool's own folder", path: toolRoot, inside: false },
    ...['src', 'public', 'scripts', 'node_modules', 'tests', 'docs', '.git'].map((name) => ({
      what: `tool's ${name}/ folder`,
      path: path.join(toolRoot, name),
      inside: true,
    })),
  ];
}

/**
 * Whether a local `--previous` is the output itself or its `api/` folder (`--previous dist --out
 * dist`): it is read before the output is replaced, so only then need it not be kept clear of
 * the output. Any other overlap stays refused, whatever `--out` holds.
 */
export async function previousIsOut(previous: string, out: string): Promise<boolean> {
  const [p, o] = await Promise.all([realPath(previous), realPath(out)]);
  return p === o || p === path.join(o, 'api');
}

/** Absolute path with symbolic links resolved as far as the path exists (the rest appended). */
async function realPath(p: string): Promise<string> {
  const absolute = path.resolve(p);
  const rest: string[] = [];
  for (let at = absolute; ; at = path.dirname(at)) {
    try {
      return path.join(await realpath(at), ...rest.reverse());
    } catch {
      if (path.dirname(at) === at) return absolute;
      rest.push(path.basename(at));
    }
  }
}

export type OutState = { kind: 'missing' } | { kind: 'empty' } | { kind: 'ours'; files: string[] };

/** What is at the target now; throws OutputError when it is not ours to replace. */
export async function inspectOut(out: string): Promise<OutState> {
  const stat = await lstat(out).catch(() => undefined);
  if (!stat) return { kind: 'missing' };
  if (stat.isSymbolicLink()) throw new OutputError(`--out ${out} is a symbolic link; pass the folder it points to`);
  if (!stat.isDirectory()) throw new OutputError(`--out ${out} is a file, not a folder`);
  const files = await listFiles(out);
  if (files.length === 0) return { kind: 'empty' };
  const marker = await readMarker(out);
  if (!marker) {
    throw new OutputError(
      `--out ${out} is not empty and was not made by atlas (no .atlas-build.json): refusing to replace ${files.length} files there; choose a new or empty folder`,
    );
  }
  const foreign = foreignFiles(files, marker);
  if (foreign.length) {
    const shown = foreign.slice(0, 3).join(', ') + (foreign.length > 3 ? ` and ${foreign.length - 3} more` : '');
    throw new OutputError(`--out ${out} holds files the last build did not write (${shown}): refusing to replace them; move them elsewhere`);
  }
  return { kind: 'ours', files };
}

/** Checks the target before any work: a clear refusal (OutputError) or its real path. */
export async function checkOut(out: string, keep: Protected[]): Promise<string> {
  if (out.trim() === '') throw new OutputError('--out is empty: give the output folder');
  const real = await realPath(out);
  const resolvedKeep = await Promise.all(keep.map(async (p) => ({ ...p, path: await realPath(p.path) })));
  const problem = overlapProblem(real, resolvedKeep);
  if (problem) throw new OutputError(`${problem}: the output folder is replaced as a whole, so it must be a folder of its own`);
  await inspectOut(path.resolve(out));
  return path.resolve(out);
}

/**
 * Per-file created and last-modified dates from git history, in one `git log --name-status`
 * pass over a folder (never one process per file). Renames are followed, so a moved rule keeps
 * the date it was first added. Dates are the committer dates of the commits, as UTC days.
 */
import { execFile } from 'node:child_process';

export interface FileDates {
  /** YYYY-MM-DD */
  created: string;
  /** YYYY-MM-DD */
  lastModified: string;
}

export interface GitHead {
  /** The commit checked out. */
  head: string;
  /** A shallow clone lacks the history that dates come from. */
  shallow: boolean;
}

/** Runs git in `cwd` and returns its standard output, or undefined when git fails or is absent. */
function git(cwd: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, maxBuffer: 1 << 30, encoding: 'utf8' }, (error, stdout) => resolve(error ? undefined : stdout));
  });
}

/** The checked-out commit of the git work tree holding `dir`, or undefined when there is none. */
export async function gitHead(dir: string): Promise<GitHead | undefined> {
  const out = await git(dir, ['rev-parse', '--is-shallow-repository', 'HEAD']);
  const [shallow, head] = out?.trim().split('\n') ?? [];
  if (!head || !/^[0-9a-f]{40,64}$/.test(head)) return undefined;
  return { head, shallow: shallow === 'true' };
}

export interface GitCommit {
  /** The commit checked out (full hash). */
  commit: string;
  /** Its committer date, ISO 8601 with the committer's offset, as git prints it. */
  date: string;
}

/** The checked-out commit of the work tree holding `dir` and its date, or undefined when there is none. */
export async function gitCommit(dir: string): Promise<GitCommit | undefined> {
  const out = await git(dir, ['-c', 'log.showSignature=false', 'log', '-1', '--format=%H%x00%cI', 'HEAD']);
  const [commit, date] = out?.trim().split('\u0000') ?? [];
  if (!commit || !/^[0-9a-f]{40,64}$/.test(commit) || !date) return undefined;
  return { commit, date };
}

/** Dates for every file under `dir` that history knows, keyed by path relative to `dir` (forward slashes). */
export async function gitFileDates(dir: string): Promise<Map<string, FileDates>> {
  const out = await git(dir, [
    '-c',
    'log.showSignature=false',
    'log',
    '-z',
    '--name-status',
    '--find-renames',
    '--relative',
    '--format=%x1e%ct',
    'HEAD',
    '--',
    '.',
  ]);
  return out === undefined ? new Map() : parseGitLog(out);
}

/**
 * Parses `git log -z --name-status --format=%x1e%ct` (newest commit first). Each commit is a
 * record separator, its Unix time and NUL, then `STATUS NUL path NUL` (two paths for renames and
 * copies). Walking from the newest commit back, a rename hands the older path's history to the
 * current one, and an add or delete ends a path's history: older commits belong to an earlier
 * file that happened to have the same name.
 */
export function parseGitLog(output: string): Map<string, FileDates> {
  const dates = new Map<string, FileDates>();
  /** Older name → the current name it was renamed to. */
  const renamedTo = new Map<string, string>();
  const ended = new Set<string>();
  const touch = (name: string, day: string) => {
    if (ended.has(name)) return;
    const d = dates.get(name);
    if (!d) dates.set(name, { created: day, lastModified: day });
    else {
      if (day < d.created) d.created = day;
      if (day > d.lastModified) d.lastModified = day;
    }
  };
  for (const commit of output.split('\u001e')) {
    const fields = commit.split('\u0000');
    const seconds = Number(fields[0]);
    if (!fields[0] || !Number.isFinite(seconds)) continue;
    const day = new Date(seconds * 1000).toISOString().slice(0, 10);
    for (let i = 1; i < fields.length;) {
      const status = fields[i].trim();
      if (!status) {
        i++;
        continue;
      }
      const kind = status[0];
      if (kind === 'R' || kind === 'C') {
        const [from, to] = [fields[i + 1], fields[i + 2]];
        const current = renamedTo.get(to) ?? to;
        touch(current, day);
        if (kind === 'R' && !ended.has(current)) renamedTo.set(from, current);
        i += 3;
        continue;
      }
      const name = renamedTo.get(fields[i + 1]) ?? fields[i + 1];
      if (kind === 'D') {
        // Deleted here: whatever has this name now was added later; nothing older is its history.
        ended.add(name);
      } else {
        touch(name, day);
        if (kind === 'A') ended.add(name);
      }
      i += 2;
    }
  }
  return dates;
}

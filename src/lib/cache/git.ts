/**
 * Git dates for the Sigma roots, one history pass per root, reused while HEAD is the same commit
 * (the dates depend on committed history only).
 */
import path from 'node:path';
import { gitFileDates, gitHead, type FileDates } from '../git/history.ts';
import type { CacheSection } from './store.ts';

export interface GitEntry {
  head: string;
  dates: Map<string, FileDates>;
}

export interface GitDates {
  /** Keyed by file as the rules name it: the root as given joined with the path below it. */
  dates: Map<string, FileDates>;
  /** Roots inside a git work tree with full history. */
  checkouts: number;
  /** `git log` passes run (0 when every root's HEAD was cached). */
  passes: number;
  /** Why a root has no git dates. */
  notes: string[];
}

export async function loadGitDates(roots: string[], cache: CacheSection<GitEntry>): Promise<GitDates> {
  const result: GitDates = { dates: new Map(), checkouts: 0, passes: 0, notes: [] };
  for (const root of roots) {
    const head = await gitHead(root);
    if (!head) {
      result.notes.push(`${root} is not a git checkout`);
      continue;
    }
    if (head.shallow) {
      result.notes.push(`${root} is a shallow clone (fetch the full history, e.g. fetch-depth: 0)`);
      continue;
    }
    result.checkouts++;
    const key = path.resolve(root);
    let entry = cache.get(key);
    if (entry?.head !== head.head) {
      entry = { head: head.head, dates: await gitFileDates(root) };
      result.passes++;
      cache.set(key, entry);
    }
    const uniform = sameFirstCommitDay(entry.dates);
    if (uniform) {
      // One import commit dates every file alike: that says when the copy was made, not the rules.
      result.notes.push(
        `every file under ${root} was first committed on ${uniform}, so git history does not tell them apart and repository dates are not shown`,
      );
      continue;
    }
    for (const [rel, dates] of entry.dates) result.dates.set(path.join(root, rel), dates);
  }
  return result;
}

/** The day every file was first committed on, when there are two or more files and they all share one. */
export function sameFirstCommitDay(dates: Map<string, FileDates>): string | undefined {
  if (dates.size < 2) return undefined;
  const days = new Set([...dates.values()].map((d) => d.created));
  return days.size === 1 ? [...days][0] : undefined;
}

/**
 * Git in a throwaway repository for tests: a fixed identity and no user or system config, so a
 * developer's settings (signing, hooks, default branch) cannot change what a test sees; `date`
 * sets both the author and the committer date. Returns git's output; throws when git fails.
 */
import { execFileSync } from 'node:child_process';

const IDENTITY = {
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@example.org',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@example.org',
};

export function runGit(cwd: string, args: string[], date?: string): string {
  return execFileSync('git', args, {
    cwd,
    env: { ...process.env, ...IDENTITY, ...(date && { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date }) },
    encoding: 'utf8',
  });
}

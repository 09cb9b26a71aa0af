/**
 * A rule's "view source" link: its file in the rule repository's web view, at the branch or commit
 * `--repo-ref` names (default `main`). GitHub (and Gitea-style forges that redirect it) show a file
 * at `<repo>/blob/<ref>/<path>`, GitLab at `<repo>/-/blob/<ref>/<path>`. A repository URL that
 * already points into a file view (`…/blob/main`, `…/-/blob/main`, `…/src/branch/main`) is used as
 * given, as before `--repo-ref` was read.
 */
import { safeHref } from './references.ts';

const FILE_VIEW = /\/(?:-\/)?(?:blob|tree|src)\//;

export function sourceLink(repositoryUrl: string | undefined, ref: string | undefined, path: string): string | undefined {
  const repo = safeHref(repositoryUrl)?.replace(/\/+$/, '');
  if (!repo) return undefined;
  const file = path.split('/').map(encodeURIComponent).join('/');
  if (FILE_VIEW.test(`${new URL(repo).pathname}/`)) return `${repo}/${file}`;
  const at = (ref?.trim() || 'main').split('/').map(encodeURIComponent).join('/');
  const view = /(^|\.)gitlab\./i.test(new URL(repo).hostname) ? '-/blob' : 'blob';
  return `${repo}/${view}/${at}/${file}`;
}

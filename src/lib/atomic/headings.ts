/**
 * The .md is generated from the yaml, so the two should agree; when they do not (a stale page,
 * a hand edit) the page still wins for anchors, because it is what GitHub renders and what
 * links point at. Disagreements are warnings.
 */
import { diagnostic, type Diagnostic } from '../diagnostics.ts';
import { githubSlug, type AtomicTestHeading } from './markdown.ts';

export function checkHeadings(
  mdFile: string,
  headings: readonly AtomicTestHeading[],
  /** The tests that passed validation. */
  tests: readonly { number: number; name: string }[],
  /** How many tests the yaml lists, valid or not. */
  testCount: number,
): Diagnostic[] {
  const byNumber = new Map(headings.map((heading) => [heading.number, heading]));
  const warn = (message: string, line?: number) => diagnostic(mdFile, 'markdown', message, { severity: 'warning', line });
  const diagnostics: Diagnostic[] = [];
  for (const test of tests) {
    const heading = byNumber.get(test.number);
    if (!heading) {
      diagnostics.push(warn(`no heading for Atomic Test #${test.number}; anchor computed from its name`));
    } else if (githubSlug(heading.name) !== githubSlug(test.name)) {
      // Compared as slugs: markup in a name (`code`, *emphasis*) renders without its markers.
      diagnostics.push(warn(`heading for Atomic Test #${test.number} reads "${heading.name}" but the yaml names it "${test.name}"`, heading.line));
    }
  }
  for (const heading of headings) {
    if (heading.number < 1 || heading.number > testCount) {
      diagnostics.push(warn(`heading for Atomic Test #${heading.number} has no test in the yaml`, heading.line));
    }
  }
  return diagnostics;
}

/**
 * Guids key test pages, so a guid may appear once. The check spans every file, so it runs
 * after loading, in technique order: the first test wins and each later copy is dropped
 * with an error at its own location.
 */
import { diagnostic, type Diagnostic } from '../diagnostics.ts';
import type { AtomicTest } from './types.ts';

export interface LocatedTest {
  test: AtomicTest;
  file: string;
  line?: number;
}

export function dropDuplicateGuids(groups: readonly LocatedTest[][]): { kept: AtomicTest[][]; diagnostics: Diagnostic[] } {
  const first = new Map<string, AtomicTest>();
  const diagnostics: Diagnostic[] = [];
  const kept = groups.map((group) =>
    group
      .filter(({ test, file, line }) => {
        const earlier = first.get(test.guid);
        if (!earlier) {
          first.set(test.guid, test);
          return true;
        }
        const message = `Atomic Test #${test.number} reuses guid ${test.guid} of ${earlier.technique} Atomic Test #${earlier.number}; dropped`;
        diagnostics.push(diagnostic(file, 'duplicate-guid', message, { line }));
        return false;
      })
      .map(({ test }) => test),
  );
  return { kept, diagnostics };
}

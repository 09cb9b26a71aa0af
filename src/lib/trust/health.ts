/**
 * Reference health: how each rule → Atomic Red Team link resolves against the current atomics,
 * which ones look wrong, and the URL to put in the rule instead. Built on the one parser and
 * resolver (atomic-reference.ts); this module only judges their result.
 */
import { testAnchor } from '../atomic/markdown.ts';
import { isPinned, resolveAtomicReference, retargetAtomicUrl, type AtomicReference, type IndexedTest, type TestIndex } from '../xref/atomic-reference.ts';

/** How the reference found its target: the anchor's name, its number only, a moved test's name, a technique page, or nothing. */
export type ResolvedBy = 'name' | 'number' | 'moved' | 'technique' | 'none';

/**
 * What looks wrong:
 * - `renumbered`: the anchor's name and its number point at different tests (or the number at none);
 * - `test-missing`: no test of the technique has the anchor's name any more (renamed or removed);
 * - `technique-gone`: the technique's Atomic folder no longer exists.
 */
export type HealthProblem = 'renumbered' | 'test-missing' | 'technique-gone';

export const RESOLVED_BY: readonly ResolvedBy[] = ['name', 'number', 'moved', 'technique', 'none'];
export const PROBLEMS: readonly HealthProblem[] = ['renumbered', 'test-missing', 'technique-gone'];

export interface ReferenceHealth {
  /** The reference as written in the rule. */
  url: string;
  /** The technique the URL names (upper-case). */
  technique: string;
  number?: number;
  nameSlug?: string;
  resolvedBy: ResolvedBy;
  problem?: HealthProblem;
  /** Guid of the test the catalog links the rule to. */
  test?: string;
  /** Guid of the test the anchor's number names today, when that is another test. */
  numberNow?: string;
  /** The URL to put in the rule instead (current technique and anchor), when one is known. */
  fix?: string;
  /** The GitHub link names a commit: it still opens what its author saw, but not today's test. */
  pinned: boolean;
  /** One sentence: what was found. */
  note: string;
}

export interface Successor {
  technique: string;
  /** `moved-tests`: the tests other references name were found there; `same-name`: its Atomic name is the technique's. */
  basis: 'moved-tests' | 'same-name';
}

export interface HealthContext {
  index: TestIndex;
  /** The Atomic technique that took over a technique whose folder is gone, when known, and how that is known. */
  successor?: (technique: string) => Successor | undefined;
}

function anchorOf(test: IndexedTest): string {
  return test.anchor || testAnchor(test.number, test.name);
}

function label(test: IndexedTest): string {
  return `${test.technique} #${test.number} "${test.name}"`;
}

/** Judges one parsed reference against the current tests. */
export function checkReference(ref: AtomicReference, ctx: HealthContext): ReferenceHealth {
  const { index } = ctx;
  const resolution = resolveAtomicReference(ref, index);
  const base = {
    url: ref.url,
    technique: ref.technique,
    ...(ref.number !== undefined ? { number: ref.number } : {}),
    ...(ref.nameSlug ? { nameSlug: ref.nameSlug } : {}),
    pinned: isPinned(ref.url),
  };
  const fixFor = (test: IndexedTest) => retargetAtomicUrl(ref, { technique: test.technique, anchor: anchorOf(test) });
  const inTechnique = index.byTechnique.get(ref.technique);

  if (resolution.kind === 'technique') {
    return { ...base, resolvedBy: 'technique', note: `links the Atomic page of ${ref.technique} (${inTechnique?.length ?? 0} tests), not one test` };
  }

  if (resolution.kind === 'test') {
    const test = index.byGuid.get(resolution.guid)!;
    if (resolution.via === 'moved') {
      return {
        ...base,
        resolvedBy: 'moved',
        problem: 'technique-gone',
        test: test.guid,
        fix: fixFor(test),
        note: `${ref.technique} has no Atomic folder any more; the test named in the anchor is now ${label(test)}`,
      };
    }
    if (resolution.via === 'name') {
      if (ref.number === test.number) return { ...base, resolvedBy: 'name', test: test.guid, note: `${label(test)}: name and number agree` };
      const numbered = inTechnique?.find((t) => t.number === ref.number);
      return {
        ...base,
        resolvedBy: 'name',
        problem: 'renumbered',
        test: test.guid,
        ...(numbered ? { numberNow: numbered.guid } : {}),
        fix: fixFor(test),
        note: `the anchor names "${test.name}", now #${test.number}; its number #${ref.number} ${numbered ? `is now "${numbered.name}"` : 'names no test any more'}`,
      };
    }
    // By number: fine when the anchor carries no name; suspicious when its name matches no test.
    if (!ref.nameSlug) return { ...base, resolvedBy: 'number', test: test.guid, note: `the anchor has a number only: ${label(test)}` };
    const elsewhere = uniqueElsewhere(ref, index);
    return {
      ...base,
      resolvedBy: 'number',
      problem: 'test-missing',
      test: test.guid,
      fix: fixFor(elsewhere ?? test),
      note: elsewhere
        ? `no test of ${ref.technique} is named "${ref.nameSlug}" any more, and #${ref.number} is now "${test.name}"; a test with that name is ${label(elsewhere)}`
        : `no test of ${ref.technique} is named "${ref.nameSlug}" any more (renamed or removed); kept by number: #${ref.number} is now "${test.name}" — check it is the same test`,
    };
  }

  if (!inTechnique) {
    const successor = ctx.successor?.(ref.technique);
    return {
      ...base,
      resolvedBy: 'none',
      problem: 'technique-gone',
      ...(successor ? { fix: retargetAtomicUrl(ref, { technique: successor.technique }) } : {}),
      note: `${ref.technique} has no Atomic folder any more${ref.number !== undefined ? " and no test elsewhere has the anchor's name" : ''}${
        successor
          ? `; its tests are now under ${successor.technique} (${successor.basis === 'moved-tests' ? 'where the tests other references name moved' : 'same technique name'})`
          : ''
      }`,
    };
  }
  const elsewhere = uniqueElsewhere(ref, index);
  return {
    ...base,
    resolvedBy: 'none',
    problem: 'test-missing',
    fix: elsewhere ? fixFor(elsewhere) : retargetAtomicUrl(ref, { technique: ref.technique }),
    note: elsewhere
      ? `${ref.technique} has no test #${ref.number} or named "${ref.nameSlug}"; a test with that name is ${label(elsewhere)}`
      : `${ref.technique} has no test #${ref.number}${ref.nameSlug ? ` or named "${ref.nameSlug}"` : ''}: link the technique page, or the test that replaced it`,
  };
}

/** The one test outside the reference's technique whose name matches the anchor's. */
function uniqueElsewhere(ref: AtomicReference, index: TestIndex): IndexedTest | undefined {
  if (!ref.nameSlug) return undefined;
  const found = (index.byNameSlug.get(ref.nameSlug) ?? []).filter((t) => t.technique !== ref.technique);
  return found.length === 1 ? found[0] : undefined;
}

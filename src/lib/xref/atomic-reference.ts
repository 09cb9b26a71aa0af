/**
 * Rule → Atomic Red Team references: which `references:` URLs point at a technique or a test,
 * and which test they mean. Numbers shift between Atomic versions, so a test is found by its
 * name first and by its number only when the name does not match.
 */
import { githubSlug } from '../atomic/markdown.ts';

export interface AtomicReference {
  url: string;
  /** The technique id as written in the URL, upper-cased (T1003.001). */
  technique: string;
  /** Test number from an `#atomic-test-N…` anchor. */
  number?: number;
  /** Slug of the test name from the anchor (old `---` and new `-` formats alike). */
  nameSlug?: string;
  /** Anchor that is not a test anchor (e.g. a line anchor `#L790`). */
  otherAnchor?: string;
}

const GITHUB =
  /^https?:\/\/(?:www\.)?github\.com\/[^/]+\/atomic-red-team\/(?:blob|tree|raw)\/[^/]+\/atomics\/(T\d{4}(?:\.\d{3})?)(?:\/([^#?]*))?(?:\?[^#]*)?(?:#(.*))?$/i;
const RAW = /^https?:\/\/raw\.githubusercontent\.com\/[^/]+\/atomic-red-team\/[^/]+\/atomics\/(T\d{4}(?:\.\d{3})?)(?:\/([^#?]*))?(?:#(.*))?$/i;
const SITE = /^https?:\/\/(?:www\.)?atomicredteam\.io\/(?:[^#?]*\/)?(T\d{4}(?:\.\d{3})?|T\d+)\/?(?:#(.*))?$/i;
const TEST_ANCHOR = /^atomic-test-(\d+)(?:---|-)?(.*)$/;

/** Parses a reference URL; undefined when it is not an Atomic Red Team technique or test link. */
export function parseAtomicReference(url: string): AtomicReference | undefined {
  const trimmed = url.trim();
  let technique: string | undefined;
  let file: string | undefined;
  let anchor: string | undefined;
  let m = GITHUB.exec(trimmed) ?? RAW.exec(trimmed);
  if (m) [, technique, file, anchor] = m;
  else if ((m = SITE.exec(trimmed))) [, technique, anchor] = m;
  if (!technique) return undefined;
  // Only the technique's own page or folder names a technique; a payload under bin/ or src/ does not.
  if (file && !/^T\d{4}(?:\.\d{3})?\.(md|yaml)$/i.test(file) && file !== '') return undefined;
  const ref: AtomicReference = { url, technique: technique.toUpperCase() };
  const test = anchor ? TEST_ANCHOR.exec(decodeURIComponent(anchor).toLowerCase()) : null;
  if (test) {
    ref.number = Number(test[1]);
    if (test[2]) ref.nameSlug = test[2];
  } else if (anchor) {
    ref.otherAnchor = anchor;
  }
  return ref;
}

export interface TestCandidate {
  guid: string;
  number: number;
  name: string;
}

/** A test as the index holds it: with its technique and, when known, its heading's anchor. */
export interface IndexedTest extends TestCandidate {
  technique: string;
  anchor?: string;
}

export type Resolution =
  /** `moved`: the technique folder is gone, but exactly one test elsewhere has the anchor's name. */
  { kind: 'test'; guid: string; via: 'name' | 'number' | 'moved' } | { kind: 'technique'; technique: string } | { kind: 'unresolved'; reason: string };

/** The loaded tests, indexed for resolution. */
export interface TestIndex {
  byTechnique: Map<string, IndexedTest[]>;
  byNameSlug: Map<string, IndexedTest[]>;
  byGuid: Map<string, IndexedTest>;
}

export function indexTests(tests: IndexedTest[]): TestIndex {
  const index: TestIndex = { byTechnique: new Map(), byNameSlug: new Map(), byGuid: new Map() };
  const add = (map: Map<string, IndexedTest[]>, key: string, t: IndexedTest) => map.set(key, [...(map.get(key) ?? []), t]);
  for (const t of tests) {
    add(index.byTechnique, t.technique, t);
    add(index.byNameSlug, githubSlug(t.name), t);
    index.byGuid.set(t.guid, t);
  }
  return index;
}

/** Resolves a parsed reference: by name within its technique, then by number, then by a moved test's name. */
export function resolveAtomicReference(ref: AtomicReference, index: TestIndex): Resolution {
  const tests = index.byTechnique.get(ref.technique);
  if (!tests) {
    // Atomic Red Team moves tests when ATT&CK renumbers techniques; a unique name still finds them.
    const moved = ref.nameSlug ? index.byNameSlug.get(ref.nameSlug) : undefined;
    if (moved?.length === 1) return { kind: 'test', guid: moved[0].guid, via: 'moved' };
    return { kind: 'unresolved', reason: `no Atomic technique ${ref.technique} (folder removed or renumbered)` };
  }
  if (ref.number === undefined) return { kind: 'technique', technique: ref.technique };
  if (ref.nameSlug) {
    const byName = tests.find((t) => githubSlug(t.name) === ref.nameSlug);
    if (byName) return { kind: 'test', guid: byName.guid, via: 'name' };
  }
  // A name that matches no test any more (renamed, or the anchor is mistyped) still leaves the number.
  const byNumber = tests.find((t) => t.number === ref.number);
  if (byNumber) return { kind: 'test', guid: byNumber.guid, via: 'number' };
  return { kind: 'unresolved', reason: `${ref.technique} has no Atomic test #${ref.number}${ref.nameSlug ? ` or test named like "${ref.nameSlug}"` : ''}` };
}

const PINNED_COMMIT = /^[0-9a-f]{7,40}$/i;

/**
 * The same link pointed at another technique and anchor: the fix for a reference that moved or
 * was renumbered. A GitHub link pinned to a commit moves to `master`, since the fix names the
 * current test; without `anchor` the fragment is dropped (a technique-level link).
 */
export function retargetAtomicUrl(ref: AtomicReference, to: { technique: string; anchor?: string }): string {
  const url = ref.url.trim();
  const hash = url.indexOf('#');
  let head = hash < 0 ? url : url.slice(0, hash);
  const from = ref.technique.replace('.', '\\.');
  // The technique as a folder, a file name (T1049.md) or the last segment of an atomicredteam.io page.
  head = head.replace(new RegExp(`(?<=/)${from}(?=/|\\.(?:md|yaml)(?:$|[?/])|$|\\?)`, 'gi'), to.technique);
  head = head.replace(/(github\.com\/[^/]+\/atomic-red-team\/(?:blob|tree|raw)\/)([^/]+)/i, (m, prefix: string, commit: string) =>
    PINNED_COMMIT.test(commit) ? `${prefix}master` : m,
  );
  head = head.replace(/(raw\.githubusercontent\.com\/[^/]+\/atomic-red-team\/)([^/]+)/i, (m, prefix: string, commit: string) =>
    PINNED_COMMIT.test(commit) ? `${prefix}master` : m,
  );
  return to.anchor ? `${head}#${to.anchor}` : head;
}

/** Whether a GitHub link names a commit rather than a branch (its target never changes). */
export function isPinned(url: string): boolean {
  const m =
    /github\.com\/[^/]+\/atomic-red-team\/(?:blob|tree|raw)\/([^/]+)/i.exec(url) ?? /raw\.githubusercontent\.com\/[^/]+\/atomic-red-team\/([^/]+)/i.exec(url);
  return !!m && PINNED_COMMIT.test(m[1]);
}

/** What changed since the previous build: `api/changes.json`, the changes page and the Atom feed. */

export type RuleChangeKind = 'added' | 'modified' | 'deprecated' | 'removed';
export type TestChangeKind = 'added' | 'modified' | 'removed';

export interface RuleChange {
  id: string;
  slug: string;
  title: string;
  /** Relative to its --sigma root. */
  path: string;
  collection: string;
  status?: string;
  level?: string;
  /** The rule's page; for a removed rule its tombstone page, absent when it has none (its id lives on in another file). */
  url?: string;
  /** YYYY-MM-DD: when an added rule was created, when a changed rule was last modified (git or the rule's own dates). */
  date?: string;
  /** Modified and deprecated rules: the Sigma keys whose value changed, `path` when the file moved, `source` when only comments or layout did. */
  fields?: string[];
}

export interface TestChange {
  guid: string;
  technique: string;
  number: number;
  name: string;
  /** The test's page; absent for a removed test. */
  url?: string;
  /** Modified tests: the Atomic keys whose value changed (name, command, input arguments …). */
  fields?: string[];
}

/** One entry of the Atom feed. */
export interface FeedEntry {
  /** Stable across builds: the same change of the same version gets the same id. */
  id: string;
  /** YYYY-MM-DD */
  updated: string;
  kind: 'rule' | 'test';
  change: RuleChangeKind;
  title: string;
  summary: string;
  /** Site path of the page (`/rules/<slug>/`); absent for removals. */
  url?: string;
}

export interface Changes {
  /** YYYY-MM-DD: the newest date among the current rules (git or their own dates), never the clock. */
  date: string;
  previous: { rules: number; tests: number };
  summary: {
    rules: Record<RuleChangeKind, number>;
    tests: Record<TestChangeKind, number>;
  };
  rules: Record<RuleChangeKind, RuleChange[]>;
  tests: Record<TestChangeKind, TestChange[]>;
  /** This build's entries, then earlier builds' carried over from the previous change list; newest first, at most 200. */
  feed: FeedEntry[];
  /**
   * Every rule removed so far, in this build or an earlier one (carried over from the previous
   * change list), whose permalink no current rule has taken: each keeps a tombstone page. Absent in
   * catalogs written before it existed (`rules.removed` then stands for it).
   */
  gone?: RuleChange[];
  /**
   * Old addresses of rules that live on under another slug (an id edited in place, the `-2`
   * address of a shared id that became the id's own, or the `-2` rule deleted while the id lives
   * on): each leads to the page the id has now. Carried over
   * like `gone`, following the rule when it moves again, until a page takes the old address.
   * Absent in catalogs written before it existed.
   */
  moved?: RuleMove[];
}

/** A rule's old slug and the slug of its page now (a rule's or a tombstone's). */
export interface RuleMove {
  from: string;
  to: string;
}

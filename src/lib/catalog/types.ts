/**
 * The catalog: one serializable data set that the site reads and `api/` publishes.
 * Everything here is plain JSON (no Dates, Maps or class instances), sorted deterministically.
 */
import type { Provenance } from './provenance.ts';
import type { Changes } from '../changes/types.ts';
import type { Diagnostic } from '../diagnostics.ts';
import type { SigmaRule } from '../sigma/rule.ts';
import type { Prediction } from '../predict/predict.ts';
import type { AtomicTest } from '../atomic/types.ts';

export interface RelatedRule {
  id: string;
  type: string;
  /** Slug of the related rule when it is in the catalog. */
  slug?: string;
}

/** One (field, operator, value) a rule tests, with its corpus count. */
export interface IndicatorRef {
  /** Stable short hash of `key`, used in URLs. */
  id: string;
  key: string;
  field: string | null;
  operator: string;
  value: string;
  /** Corpus count (distinct active rules using it), copied from the indicator. */
  count: number;
  url: string;
}

/**
 * A rule as the site and `api/` see it: the validated Sigma rule (its fields are documented on
 * `SigmaRule`) with its page key and cross-references. `file` (the path as given on the command
 * line) stays out: `path` is the portable one.
 */
export interface CatalogRule extends Omit<SigmaRule, 'file' | 'related'> {
  /** Unique, URL-safe page key: the id when it is unique and safe, otherwise derived. */
  slug: string;
  related: RelatedRule[];
  /** YYYY-MM-DD: the rule's own `date`, else when its file was first committed (git). */
  created?: string;
  /** YYYY-MM-DD: the rule's own `modified`, else its `date`, else the last commit touching its file. */
  lastModified?: string;
  /** Git dates of the rule's file (following renames); only when history tells the files apart. */
  repository?: { created: string; lastModified: string };
  /** Guids of Atomic tests the rule references explicitly, sorted. */
  tests: string[];
  /** Technique ids the rule references explicitly through a technique-level Atomic link. */
  referencedTechniques: string[];
  indicators: IndicatorRef[];
  /** Rules whose `related` names this one (replaced/derived by …). */
  relatedFrom: RelatedRule[];
  url: string;
  /** Atomic Test guids predicted to trigger this rule (static evaluation). */
  predictedTests?: string[];
  /** Atomic Test guids the rule was observed firing on (imported run records, `--observed`). */
  observedTests?: string[];
}

/** An Atomic test with its cross-references: the rules that name it, its page and predictions. */
export interface CatalogTest extends AtomicTest {
  /** Page key: the guid as a safe, unique URL segment (slug.ts); `url` is built from it. */
  slug: string;
  /** Rules that reference this test explicitly. */
  rules: string[];
  url: string;
  /** Rule slugs predicted (by static evaluation, not observed) to fire when the test runs. */
  predicted?: string[];
  /** Per predicted rule: the synthesised event it matched and why. */
  predictions?: Omit<Prediction, 'test' | 'ruleId'>[];
  /**
   * Rules observed firing when the test really ran (imported with `--observed`). Present only for
   * tests with run records; an empty list means the test ran and no rule fired.
   */
  observed?: ObservedFiring[];
  /** What the test loads at run time that the payload store lacks ("payload not available: <url>"). */
  payloadNotes?: string[];
}

/** One rule seen firing in a real run of a test, from an imported record. */
export interface ObservedFiring {
  /** Rule slug. */
  rule: string;
  /** YYYY-MM-DD of the run, when the record gives it. */
  date?: string;
  /** Who or what recorded it (lab, tool, file name). */
  source?: string;
}

export interface CatalogTechnique {
  id: string;
  name: string;
  /** Markdown (ATT&CK description; rendered through the sanitizing pipeline). */
  description?: string;
  tactics: string[];
  /** Those of `tactics` placed by rules' tactic tags, not by the ATT&CK bundle (tactics newer than it). */
  tacticsFromRules?: string[];
  platforms: string[];
  parent?: string;
  subtechniques: string[];
  /** Rule slugs tagged with the technique (a sub-technique's rules count for its parent too). */
  rules: string[];
  /** Rule slugs referencing one of its tests or the technique's Atomic page explicitly. */
  referencingRules: string[];
  tests: string[];
  attackUrl?: string;
  deprecated: boolean;
  revoked: boolean;
  /** A revoked technique's replacement (STIX `revoked-by`): its page redirects there, its rules count there. */
  revokedBy?: string;
  /** Where the technique is known from: the ATT&CK bundle, the Atomic folder, or only a rule tag. */
  source: 'attack' | 'atomic' | 'tag';
  url: string;
}

export interface CatalogTactic {
  /** Short name as in tags and kill-chain phases: credential-access. */
  id: string;
  name: string;
  /** TA0006, when known: from the bundle, or without one from the built-in v18 table. Unique. */
  externalId?: string;
  /** Where the tactic is known from: the ATT&CK bundle, the built-in tables, or only rule tags. */
  source?: 'attack' | 'builtin' | 'tag';
  /** Position in the Enterprise matrix, 0-based; unknown tactics sort last. */
  order: number;
  techniques: string[];
  rules: string[];
  url: string;
}

export interface CatalogIndicator {
  /** Stable short hash of `key`, used in URLs. */
  id: string;
  /** Normalised identity: lower-cased field, operator, canonical value (case kept only with `cased`). */
  key: string;
  field: string | null;
  operator: string;
  value: string;
  /** Number of distinct active rules using it. */
  count: number;
  /** Slugs of every rule using it (active or not). */
  rules: string[];
  url: string;
}

export interface UnresolvedReference {
  rule: string;
  url: string;
  reason: string;
}

export interface CatalogStats {
  files: { sigma: number; atomics: number; attack: number };
  rules: number;
  rulesByKind: Record<string, number>;
  rulesByCollection: Record<string, number>;
  rulesByStatus: Record<string, number>;
  rulesByLevel: Record<string, number>;
  testsByPlatform: Record<string, number>;
  testsByExecutor: Record<string, number>;
  diagnosticsByCode: Record<string, number>;
  /** Techniques by state (see `techniqueStates`). */
  techniqueStates?: TechniqueStates;
}

/** Active techniques are neither revoked nor deprecated; `notInBundle` (active ones the ATT&CK bundle lacks) is part of `active`. */
export interface TechniqueStates {
  active: number;
  revoked: number;
  deprecated: number;
  notInBundle: number;
}

export interface Catalog {
  title: string;
  repositoryUrl?: string;
  /** The branch or commit of the rules' "view source" links (`--repo-ref`). */
  repositoryRef?: string;
  rules: CatalogRule[];
  techniques: CatalogTechnique[];
  tactics: CatalogTactic[];
  tests: CatalogTest[];
  indicators: CatalogIndicator[];
  /**
   * Field pages cut into slices (indicators/slices.ts): per field page segment, the page is cut
   * into 2^bits slices. Only cut fields are listed; absent when none is. The indicators' URLs and
   * the site's slice pages both read it.
   */
  fieldSliceBits?: Record<string, number>;
  unresolvedReferences: UnresolvedReference[];
  diagnostics: Diagnostic[];
  stats: CatalogStats;
  /** What changed since the previous build, when one was given (`--previous`). */
  changes?: Changes;
  /** Imported observed-run records (`--observed`): the files read and how many tests they cover. */
  observed?: { files: string[]; records: number; tests: number };
  /** What the build was made from (tool, ATT&CK release, source commits). */
  provenance?: Provenance;
}

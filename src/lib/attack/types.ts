/** What the ATT&CK loader hands to the catalog: plain JSON, sorted, no STIX ids. */

export interface AttackTechnique {
  /** T1003 or T1003.001. */
  id: string;
  name: string;
  /** Markdown as written in the bundle (with `(Citation: …)` markers). */
  description?: string;
  /** Tactic short names from `mitre-attack` kill-chain phases, in matrix order. */
  tactics: string[];
  platforms: string[];
  /** Parent technique id, for sub-techniques only. */
  parent?: string;
  deprecated: boolean;
  revoked: boolean;
  /** For a revoked technique: the ATT&CK id of the one that replaced it (STIX `revoked-by`). */
  revokedBy?: string;
  url?: string;
}

export interface AttackTactic {
  /** Short name as in kill-chain phases and Sigma tags: credential-access. */
  id: string;
  name: string;
  /** TA0006, when known. */
  externalId?: string;
  /** 0-based position in the matrix; tactics outside the matrix come after every known one. */
  order: number;
}

/** What the bundle says about itself, for provenance and "not in ATT&CK v18.1" notes. */
export interface AttackRelease {
  /** The collection's name ("Enterprise ATT&CK"), else the matrix's. */
  name?: string;
  /** The ATT&CK version ("18.1") from the bundle's x-mitre-collection; absent when it has none. */
  version?: string;
  /** The newest `modified` of any object read: a date the bundle itself carries. */
  modified?: string;
}

export interface AttackData {
  release?: AttackRelease;
  techniques: AttackTechnique[];
  /** Sorted by `order`. */
  tactics: AttackTactic[];
}

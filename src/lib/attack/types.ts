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

export interface AttackData {
  techniques: AttackTechnique[];
  /** Sorted by `order`. */
  tactics: AttackTactic[];
}

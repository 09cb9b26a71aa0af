/** What the Atomic loader hands to the catalog. */
import type { CatalogTest } from '../catalog/types.ts';

/** A catalog test before cross-referencing: the catalog adds `rules`, `url` and `predicted`. */
export type AtomicTest = Omit<CatalogTest, 'rules' | 'url' | 'predicted'>;

export interface AtomicTechnique {
  /** `attack_technique` from the yaml: T1003.001. */
  id: string;
  /** `display_name`: "OS Credential Dumping: LSASS Memory". */
  name: string;
  /** The Txxxx.yaml path: the loader's root joined with the path below it. */
  file: string;
  /** Markdown from the Txxxx.md "Description from ATT&CK" blockquote. */
  description?: string;
  /** In yaml order; a test that failed validation is missing but the others keep their numbers. */
  tests: AtomicTest[];
}

/** What the Atomic loader hands to the catalog. */

export interface InputArgument {
  name: string;
  description?: string;
  type?: string;
  default?: string;
}

export interface Dependency {
  description?: string;
  prereqCommand?: string;
  getPrereqCommand?: string;
}

/** An Atomic test as the loader reads it; the catalog adds `rules`, `url` and predictions (`CatalogTest`). */
export interface AtomicTest {
  guid: string;
  technique: string;
  /** 1-based position in the technique's file, as in "Atomic Test #3". */
  number: number;
  name: string;
  description?: string;
  platforms: string[];
  executor: string;
  elevationRequired: boolean;
  /** The command as written, with #{arg} placeholders. */
  command?: string;
  /** The command with input argument defaults substituted. */
  commandResolved?: string;
  cleanup?: string;
  cleanupResolved?: string;
  /** Manual executor steps. */
  steps?: string;
  inputArguments: InputArgument[];
  dependencies: Dependency[];
  dependencyExecutor?: string;
  /** Anchor of the test's heading in the generated Txxxx.md (current format). */
  anchor: string;
}

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

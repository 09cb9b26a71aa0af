/** The Sigma condition grammar: tokens → AST, then resolution against the search identifiers. */

export type ConditionNode =
  | { type: 'and'; children: ConditionNode[] }
  | { type: 'or'; children: ConditionNode[] }
  | { type: 'not'; child: ConditionNode }
  | { type: 'identifier'; name: string }
  /** `1 of sel_*`, `all of them`; `any of` is read as `1 of`. `pattern` is 'them' or a glob. */
  | { type: 'of'; quantifier: 'one' | 'all'; pattern: string; matches: string[] };

/** Legacy aggregation: `... | count(Field) by Group > 5`. */
export interface Aggregation {
  function: string;
  field?: string;
  groupBy?: string;
  operator: string;
  value: number;
}

export interface ParsedCondition {
  source: string;
  expression: ConditionNode;
  aggregation?: Aggregation;
}

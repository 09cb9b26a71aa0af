/**
 * Prints a whole parsed condition, aggregation included, back as condition text. Nothing in the
 * build prints one (the site shows a rule's condition as written; diagnostics print only the node
 * they are about, with `formatCondition`); the tests use it to check that the parser's tree reads
 * back to itself (condition.test.ts, and over the corpus corpus-conditions.test.ts).
 */
import { formatCondition, type Aggregation, type ParsedCondition } from '../../src/lib/sigma/condition.ts';

export function formatAggregation(aggregation: Aggregation): string {
  if (aggregation.near) return `near ${formatCondition(aggregation.near)}`;
  const by = aggregation.groupBy ? ` by ${aggregation.groupBy}` : '';
  return `${aggregation.function}(${aggregation.field ?? ''})${by} ${aggregation.operator} ${aggregation.value}`;
}

export function formatParsedCondition(condition: ParsedCondition): string {
  const expression = formatCondition(condition.expression);
  return condition.aggregation ? `${expression} | ${formatAggregation(condition.aggregation)}` : expression;
}

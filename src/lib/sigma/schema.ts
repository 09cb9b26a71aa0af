/**
 * Zod schemas for the three Sigma document kinds (specification v2): detection rules,
 * correlation rules and filter rules. Only the shape is checked here; meaning is the model's job.
 */
import { z } from 'zod';

/** YAML scalars that should read as text (a date written 2020/10/05, a number in a list of strings). */
const text = z.union([z.string(), z.number(), z.boolean()]).transform(String);
const textList = z.union([z.array(text), text.transform((t) => [t])]);

export const STATUSES = ['stable', 'test', 'experimental', 'deprecated', 'unsupported'] as const;
export const LEVELS = ['informational', 'low', 'medium', 'high', 'critical'] as const;

const logSourceSchema = z.looseObject({
  product: text.optional(),
  category: text.optional(),
  service: text.optional(),
  definition: text.optional(),
});

const relatedSchema = z.array(z.object({ id: text, type: text }));

/** Fields every kind of Sigma document shares. */
const commonFields = {
  title: z.string().min(1),
  id: text.optional(),
  name: text.optional(),
  status: z.enum(STATUSES).optional(),
  description: text.optional(),
  license: text.optional(),
  author: text.optional(),
  references: textList.optional(),
  date: text.optional(),
  modified: text.optional(),
  tags: textList.optional(),
  related: relatedSchema.optional(),
  level: z.enum(LEVELS).optional(),
  falsepositives: textList.optional(),
  fields: textList.optional(),
  taxonomy: text.optional(),
};

export const ruleSchema = z.looseObject({
  ...commonFields,
  logsource: logSourceSchema,
  detection: z.record(z.string(), z.unknown()),
});

export const correlationSchema = z.looseObject({
  ...commonFields,
  correlation: z.looseObject({
    type: z.enum(['event_count', 'value_count', 'temporal', 'temporal_ordered', 'value_sum', 'value_avg', 'value_percentile', 'value_median']),
    rules: textList.optional(),
    'group-by': textList.optional(),
    timespan: text.optional(),
    timeframe: text.optional(),
    condition: z.record(z.string(), z.unknown()).optional(),
    aliases: z.record(z.string(), z.unknown()).optional(),
    generate: z.boolean().optional(),
  }),
});

export const filterSchema = z.looseObject({
  ...commonFields,
  logsource: logSourceSchema.optional(),
  filter: z.looseObject({
    rules: textList.optional(),
    condition: z.unknown().optional(),
  }),
});

export type RuleDocument = z.infer<typeof ruleSchema>;
export type CorrelationDocument = z.infer<typeof correlationSchema>;
export type FilterDocument = z.infer<typeof filterSchema>;

/** Keys without which a document of that kind means nothing: a problem there rejects the document. */
export const ESSENTIAL_KEYS = new Set(['title', 'logsource', 'detection', 'correlation', 'filter']);

/**
 * A Txxxx.yaml as the Atomic Red Team repository writes it. Lenient where the real corpus is:
 * defaults may be numbers or booleans, empty keys (`cleanup_command:`) are null, and
 * `input_arguments`/`dependencies` may be missing or empty. The file envelope and each test
 * are separate schemas so that one broken test does not take its siblings with it.
 */
import { z } from 'zod';

/** A scalar read as text; numbers and booleans are spelled the way String() spells them. */
const scalarText = z.union([z.string(), z.number(), z.boolean()]).transform(String);

/** Absent and `null` both mean "not given". */
const optionalText = scalarText.nullish().transform((value) => value ?? undefined);

const nonBlank = scalarText.transform((value) => value.trim()).refine((value) => value !== '', { message: 'must not be empty' });

const inputArgumentSchema = z.object({
  description: optionalText,
  type: optionalText,
  default: optionalText,
});

const dependencySchema = z.object({
  description: optionalText,
  prereq_command: optionalText,
  get_prereq_command: optionalText,
});

const executorSchema = z
  .object({
    name: nonBlank,
    command: optionalText,
    cleanup_command: optionalText,
    // Missing means "no": 816 of 1,819 corpus tests leave it out.
    elevation_required: z
      .union([z.boolean(), z.enum(['true', 'false'])])
      .nullish()
      .transform((value) => value === true || value === 'true'),
    steps: optionalText,
  })
  .refine((executor) => executor.command !== undefined || executor.steps !== undefined, {
    message: 'an executor needs a command (or steps for the manual executor)',
  });

export const atomicTestSchema = z.object({
  name: nonBlank,
  auto_generated_guid: nonBlank,
  description: optionalText,
  supported_platforms: z.array(nonBlank).min(1),
  input_arguments: z
    .record(z.string(), inputArgumentSchema)
    .nullish()
    .transform((value) => value ?? {}),
  dependency_executor_name: optionalText,
  dependencies: z
    .array(dependencySchema)
    .nullish()
    .transform((value) => value ?? []),
  executor: executorSchema,
});

/** The file around the tests; tests are validated one by one with `atomicTestSchema`. */
export const atomicFileSchema = z.object({
  attack_technique: nonBlank,
  display_name: nonBlank,
  atomic_tests: z.array(z.unknown()),
});

export type AtomicTestYaml = z.infer<typeof atomicTestSchema>;
export type AtomicFileYaml = z.infer<typeof atomicFileSchema>;

/** One line for a diagnostic: `executor.name: Invalid input; …`. */
export function formatIssues(error: z.ZodError): string {
  return error.issues.map((issue) => (issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ${issue.message}` : issue.message)).join('; ');
}

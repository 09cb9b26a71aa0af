/** One validated yaml test → the catalog's shape. Pure, so it can be tested without files. */
import { compareIds } from '../attack/technique-id.ts';
import { substituteArguments } from './arguments.ts';
import { testAnchor } from './markdown.ts';
import type { AtomicTestYaml } from './schema.ts';
import type { AtomicTest, Dependency, InputArgument } from './types.ts';

export function toAtomicTest(
  raw: AtomicTestYaml,
  technique: string,
  number: number,
  /** Anchor of the test's heading in the .md; computed from the name when there is none. */
  anchor: string = testAnchor(number, raw.name),
): AtomicTest {
  const inputArguments = Object.entries(raw.input_arguments)
    .map(([name, arg]) => defined<InputArgument>({ name, ...arg }))
    .sort((a, b) => compareIds(a.name, b.name));
  const { command, cleanup_command: cleanup, steps } = raw.executor;
  return defined<AtomicTest>({
    guid: raw.auto_generated_guid,
    technique,
    number,
    name: raw.name,
    description: raw.description,
    platforms: raw.supported_platforms,
    executor: raw.executor.name,
    elevationRequired: raw.executor.elevation_required,
    command,
    commandResolved: command === undefined ? undefined : substituteArguments(command, inputArguments),
    cleanup,
    cleanupResolved: cleanup === undefined ? undefined : substituteArguments(cleanup, inputArguments),
    steps,
    inputArguments,
    dependencies: raw.dependencies.map((dependency) =>
      defined<Dependency>({
        description: dependency.description,
        prereqCommand: dependency.prereq_command,
        getPrereqCommand: dependency.get_prereq_command,
      }),
    ),
    dependencyExecutor: raw.dependency_executor_name,
    anchor,
  });
}

/** The catalog is JSON: leave optional fields out rather than writing `undefined`. */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

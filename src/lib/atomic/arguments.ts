/**
 * `#{name}` placeholders in Atomic commands. Invoke-AtomicTest substitutes input argument
 * values before running a test; the site shows the command both ways.
 */
import type { InputArgument } from './types.ts';

export type ArgumentValues = readonly InputArgument[] | Readonly<Record<string, string | undefined>>;

const PLACEHOLDER = /#\{([^{}]*)\}/g;

/**
 * Replaces every `#{name}` with the argument's default. An argument without a default
 * becomes the empty string (what Invoke-AtomicTest passes for optional arguments such as
 * `optional_args`); a placeholder no argument declares stays as written. Defaults may refer
 * to other arguments (T1055.011: `…_#{arch}.exe`), so they are resolved too; a cycle stops
 * at the placeholder that closes it.
 */
export function substituteArguments(text: string, args: ArgumentValues): string {
  const values = toMap(args);
  const resolve = (input: string, active: ReadonlySet<string>): string =>
    input.replace(PLACEHOLDER, (placeholder, name: string) => {
      if (!values.has(name) || active.has(name)) return placeholder;
      return resolve(values.get(name) ?? '', new Set([...active, name]));
    });
  return resolve(text, new Set());
}

function toMap(args: ArgumentValues): Map<string, string | undefined> {
  if (Array.isArray(args)) {
    return new Map((args as readonly InputArgument[]).map((arg) => [arg.name, arg.default]));
  }
  return new Map(Object.entries(args as Readonly<Record<string, string | undefined>>));
}

/**
 * YAML reading for Atomic files. Two needs the plain `yaml.load` does not meet:
 * - Defaults must stay as written: with the JSON schema `default: 16.0` becomes the number 16
 *   and the command would run `Office\16\Outlook` instead of `Office\16.0\Outlook`. So numbers
 *   are not resolved at all (the JSON schema minus int and float): every scalar is text except
 *   `true`/`false` and `null`. Nothing becomes a Date either.
 * - Diagnostics about one test should point at its line, so the loader records where each
 *   mapping and sequence starts (js-yaml's parse listener).
 */
import yaml from 'js-yaml';

// js-yaml exports its built-in types at runtime; @types/js-yaml does not declare them.
const { types } = yaml as unknown as { types: Record<'null' | 'bool', yaml.Type> };

const ATOMIC_YAML_SCHEMA = yaml.FAILSAFE_SCHEMA.extend({ implicit: [types.null, types.bool] });

export interface ParsedYaml {
  value: unknown;
  /** 1-based line where a mapping or sequence of `value` starts. */
  lineOf(node: object): number | undefined;
}

export interface YamlSyntaxError {
  message: string;
  line?: number;
  column?: number;
}

export function parseYaml(text: string, filename: string): ParsedYaml | { error: YamlSyntaxError } {
  const lines = new WeakMap<object, number>();
  const open: number[] = [];
  try {
    const value = yaml.load(text, {
      filename,
      schema: ATOMIC_YAML_SCHEMA,
      listener(event, state) {
        if (event === 'open') {
          open.push(state.line);
          return;
        }
        const line = open.pop();
        if (line !== undefined && state.result !== null && typeof state.result === 'object') {
          lines.set(state.result as object, line + 1);
        }
      },
    });
    return { value, lineOf: (node) => lines.get(node) };
  } catch (error) {
    if (error instanceof yaml.YAMLException) {
      const result: YamlSyntaxError = { message: error.reason };
      // `mark` is typed as always present but js-yaml omits it for some errors.
      const mark = error.mark as yaml.Mark | undefined;
      if (mark) {
        result.line = mark.line + 1;
        result.column = mark.column + 1;
      }
      return { error: result };
    }
    throw error;
  }
}

/**
 * The YAML schema Sigma files are read with. A value must keep the text its author wrote:
 * js-yaml's JSON (= YAML 1.2 core) schema reads `00000429` as 429, `0x1F` as 31, `1e3` as 1000
 * and `16.0` as 16, so `Details|contains: 00000429` would match any value holding "429".
 *
 * Rule: a plain scalar becomes a number only when the number prints back as exactly the text
 * written (`4688`, `-1`, `2.5`), so `String(value)` is always the source text and numeric
 * semantics (EventID 4688 matches "4688", `gte: 10`) are kept where they are unambiguous. Every
 * other numeric spelling stays a string. `true`/`false` are booleans only in lower case (YAML 1.2
 * JSON schema), `True`/`yes`/`on` stay text. This agrees with pySigma on the corpus case: PyYAML
 * (YAML 1.1) reads `00000429` as the string "00000429" too.
 */
import yaml from 'js-yaml';

/** A number whose printed form is its source text; anything else is left to the string type. */
const exactNumber = new yaml.Type('tag:yaml.org,2002:float', {
  kind: 'scalar',
  resolve: (data: string) => Number.isFinite(Number(data)) && String(Number(data)) === data,
  construct: (data: string) => Number(data),
  predicate: (object: unknown) => typeof object === 'number',
  represent: (object: object) => String(object),
});

const lowerCaseBool = new yaml.Type('tag:yaml.org,2002:bool', {
  kind: 'scalar',
  resolve: (data: string) => data === 'true' || data === 'false',
  construct: (data: string) => data === 'true',
  predicate: (object: unknown) => typeof object === 'boolean',
  represent: (object: object) => String(object),
});

// js-yaml exports its built-in types at runtime; @types/js-yaml does not declare them.
const { types } = yaml as unknown as { types: Record<'null', yaml.Type> };

export const SIGMA_YAML_SCHEMA = yaml.FAILSAFE_SCHEMA.extend({ implicit: [types.null, lowerCaseBool, exactNumber] });

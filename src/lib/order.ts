/**
 * Ordering for deterministic output. `localeCompare` depends on the machine's locale and ICU
 * version, so output order uses plain code-unit comparison instead.
 */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Field pages split into slices. A field with thousands of indicators (CommandLine has ~10,000)
 * would make a multi-megabyte page, so above a size its indicators are spread over 2^bits slice
 * pages by the leading bits of their id (a hash): an indicator's slice depends on its own id and
 * the field's slice count only, so adding a rule moves no other indicator unless the field
 * doubles its slice count.
 */

/** Target HTML size of one field page or slice (the site keeps every page under 200 KB). */
export const SLICE_BYTES = 100_000;
/** Markup around a value in a field table row: anchor id, cells, link to the rule (title included). */
const ROW_BYTES = 300;

/** Estimated HTML size of a field's table. */
export function fieldTableBytes(values: Iterable<string>): number {
  let n = 0;
  for (const v of values) n += v.length + ROW_BYTES;
  return n;
}

/** How many id bits pick a slice: 0 (one page) up to 12. */
export function sliceBits(tableBytes: number): number {
  let bits = 0;
  while (bits < 12 && tableBytes / 2 ** bits > SLICE_BYTES) bits++;
  return bits;
}

/** The 1-based slice of an indicator id (hex) in a field cut into 2^bits slices. */
export function sliceOf(id: string, bits: number): number {
  if (bits === 0) return 1;
  return (parseInt(id.slice(0, 8).padEnd(8, '0'), 16) >>> (32 - bits)) + 1;
}

/** Slice bits for each field key (as `keyOf` names them) of a set of indicators. */
export function fieldSliceBits<T extends { value: string }>(indicators: Iterable<T>, keyOf: (i: T) => string): Map<string, number> {
  const bytes = new Map<string, number>();
  for (const ind of indicators) {
    const key = keyOf(ind);
    bytes.set(key, (bytes.get(key) ?? 0) + fieldTableBytes([ind.value]));
  }
  return new Map([...bytes].map(([key, n]) => [key, sliceBits(n)]));
}

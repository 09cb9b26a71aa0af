import { describe, expect, it } from 'vitest';
import { fieldSliceBits, fieldTableBytes, SLICE_BYTES, sliceBits, sliceOf } from '../../src/lib/indicators/slices.ts';

describe('field page slices', () => {
  it('keeps a small field on one page and doubles slices as the table grows', () => {
    expect(sliceBits(0)).toBe(0);
    expect(sliceBits(SLICE_BYTES)).toBe(0);
    expect(sliceBits(SLICE_BYTES + 1)).toBe(1);
    expect(sliceBits(SLICE_BYTES * 16)).toBe(4);
    expect(sliceBits(SLICE_BYTES * 16 + 1)).toBe(5);
  });

  it('picks a slice from the leading bits of the id, 1-based', () => {
    expect(sliceOf('28edaf9837fb4ad4', 0)).toBe(1);
    expect(sliceOf('0fffffffffffffff', 4)).toBe(1);
    expect(sliceOf('f000000000000000', 4)).toBe(16);
    expect(sliceOf('80000000', 1)).toBe(2);
    expect(sliceOf('7fffffff', 1)).toBe(1);
  });

  it('estimates each field apart', () => {
    const big = Array.from({ length: 1000 }, (_, i) => ({ field: 'CommandLine', value: `value ${i}`.padEnd(200, 'x') }));
    const bits = fieldSliceBits([...big, { field: 'Image', value: '\\cmd.exe' }], (i) => i.field);
    expect(bits.get('Image')).toBe(0);
    expect(bits.get('CommandLine')).toBe(sliceBits(fieldTableBytes(big.map((i) => i.value))));
    expect(bits.get('CommandLine')).toBeGreaterThan(2);
  });
});

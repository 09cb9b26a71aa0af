/**
 * What a cache entry was computed by. Entries hold modelled rules and parsed tests, so they are
 * only valid for the code that made them: the fingerprint covers the cache format version, the
 * source of the catalog engine (src/lib, except the site's own modules), the package manifest
 * (dependency versions) and the V8 serializer version.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import fg from 'fast-glob';
import { packageRoot } from '../package-root.ts';
import { contentHash } from './stamp.ts';

/** Bump when the shape of a cache entry changes. */
export const CACHE_VERSION = 1;

const libDir = path.join(packageRoot, 'src', 'lib');
const packageJson = path.join(packageRoot, 'package.json');

export async function codeFingerprint(): Promise<string> {
  const sources = (await fg('**/*.ts', { cwd: libDir, ignore: ['site/**'], onlyFiles: true })).sort();
  const texts = await Promise.all(sources.map((file) => readFile(path.join(libDir, file))));
  const manifest = await readFile(packageJson).catch(() => undefined);
  return contentHash(`atlas-cache-${CACHE_VERSION}`, process.versions.v8, manifest, ...sources.flatMap((file, i) => [file, texts[i]]));
}

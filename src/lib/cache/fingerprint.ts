/**
 * What a cache entry was computed by. Entries hold modelled rules and parsed tests, so they are
 * only valid for the code that made them: the fingerprint covers the cache format version, the
 * source of the catalog engine (src/lib, except the site's own modules), the package manifest,
 * the versions of the dependencies actually installed (a js-yaml or zod update within the
 * manifest's ranges can change what a file models to) and the V8 serializer version.
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
  const dependencies = manifest ? Object.keys((JSON.parse(manifest.toString('utf8')) as { dependencies?: Record<string, string> }).dependencies ?? {}) : [];
  const installed = await installedVersions(packageRoot, dependencies);
  return contentHash(`atlas-cache-${CACHE_VERSION}`, process.versions.v8, manifest, installed, ...sources.flatMap((file, i) => [file, texts[i]]));
}

/**
 * What a page's HTML is made by, beyond its data: the site's whole source (`src/`: pages,
 * components, layouts, styles and the modules they use), the Astro configuration, the package
 * manifest and the installed versions of its dependencies (Astro, Pagefind …). Search records
 * cached under a page's key (cache/search-records.ts) are valid only for this code: Astro renders
 * every page again when its code changes, and the records must follow.
 */
export async function siteFingerprint(root: string = packageRoot): Promise<string> {
  const srcDir = path.join(root, 'src');
  const sources = (await fg('**/*', { cwd: srcDir, onlyFiles: true })).sort();
  const texts = await Promise.all(sources.map((file) => readFile(path.join(srcDir, file))));
  const config = await readFile(path.join(root, 'astro.config.mjs')).catch(() => undefined);
  const manifest = await readFile(path.join(root, 'package.json')).catch(() => undefined);
  const dependencies = manifest ? Object.keys((JSON.parse(manifest.toString('utf8')) as { dependencies?: Record<string, string> }).dependencies ?? {}) : [];
  const installed = await installedVersions(root, dependencies);
  return contentHash('atlas-site', config, manifest, installed, ...sources.flatMap((file, i) => [file, texts[i]]));
}

/** `name@version` of each dependency as Node would resolve it from `root`: the nearest node_modules above it. */
export async function installedVersions(root: string, dependencies: string[]): Promise<string> {
  const versions = await Promise.all([...dependencies].sort().map(async (name) => `${name}@${await installedVersion(root, name)}`));
  return versions.join('\n');
}

async function installedVersion(root: string, name: string): Promise<string> {
  for (let dir = root; ; dir = path.dirname(dir)) {
    const text = await readFile(path.join(dir, 'node_modules', name, 'package.json'), 'utf8').catch(() => undefined);
    if (text !== undefined) return (JSON.parse(text) as { version?: string }).version ?? '?';
    if (path.dirname(dir) === dir) return 'missing';
  }
}

/**
 * What a cache entry was computed by. Entries hold modelled rules and parsed tests, so they are
 * only valid for the code that made them: the fingerprint covers the cache format version, the
 * source of the catalog engine (src/lib, except the site's own modules), the package manifest,
 * the versions of the dependencies actually installed and of theirs (a js-yaml or zod update within
 * the manifest's ranges can change what a file models to) and the V8 serializer version.
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
 * manifest and the installed versions of its dependencies and theirs (Astro, Pagefind, the markdown
 * pipeline …). The page cache (cache/page-pack.ts) and the search records cached under a page's key
 * (cache/search-records.ts) are valid only for this code: every page is rendered again when it changes.
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

/**
 * `name@version` of each dependency and of everything it depends on in turn, as Node would resolve
 * them (from `root`, then from each package's own folder: the nearest node_modules up), sorted, one
 * per line; `name@missing` where none is installed (an optional package of another platform). A
 * transitive package (a markdown parser, a sanitizer) changes the output as much as a direct one,
 * and is updated by a lockfile change alone.
 */
export function installedVersions(root: string, dependencies: string[]): Promise<string> {
  // The tool's own install is walked once per process: the catalog cache's fingerprint and the site's both read it.
  if (root !== packageRoot) return closureVersions(root, dependencies);
  const key = [...dependencies].sort().join('\0');
  let versions = ownInstall.get(key);
  if (!versions) ownInstall.set(key, (versions = closureVersions(root, dependencies)));
  return versions;
}

const ownInstall = new Map<string, Promise<string>>();

async function closureVersions(root: string, dependencies: string[]): Promise<string> {
  const found = new Set<string>();
  const seen = new Set<string>();
  let wave = dependencies.map((name) => ({ name, from: root }));
  while (wave.length) {
    const next: { name: string; from: string }[] = [];
    await Promise.all(
      wave.map(async ({ name, from }) => {
        const pkg = await installedPackage(from, name);
        if (!pkg) {
          found.add(`${name}@missing`);
          return;
        }
        found.add(`${name}@${pkg.version}`);
        if (seen.has(pkg.dir)) return;
        seen.add(pkg.dir);
        for (const dep of pkg.dependencies) next.push({ name: dep, from: pkg.dir });
      }),
    );
    wave = next.filter(({ name, from }) => !seen.has(`${from}\0${name}`) && seen.add(`${from}\0${name}`));
  }
  return [...found].sort().join('\n');
}

async function installedPackage(from: string, name: string): Promise<{ dir: string; version: string; dependencies: string[] } | undefined> {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const folder = path.join(dir, 'node_modules', name);
    const text = await readFile(path.join(folder, 'package.json'), 'utf8').catch(() => undefined);
    if (text !== undefined) {
      const manifest = JSON.parse(text) as { version?: string; dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };
      return { dir: folder, version: manifest.version ?? '?', dependencies: Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies }) };
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

/**
 * The tool's own folder (package.json, src/, public/, astro.config.mjs), found from this file:
 * src/lib in a checkout, dist-cli/src/lib when compiled into an installed package (which still
 * holds the TypeScript sources in src/, since the site builds from them).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const packageRoot = path.basename(root) === 'dist-cli' ? path.dirname(root) : root;

export interface ToolPackage {
  name: string;
  version: string;
}

export function toolPackage(): ToolPackage {
  const { name, version } = JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as ToolPackage;
  return { name, version };
}

/**
 * The fixture site, built once per test run by the globalSetup tests/setup/fixture-site.ts into a
 * temporary folder private to that run. Test files that read it belong to a vitest project that
 * lists that globalSetup (vitest.config.ts).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const fixtureCatalog = path.join(projectRoot, 'tests/fixtures/site/catalog.json');

export interface FixtureSite {
  dir: string;
}

export async function fixtureSite(): Promise<FixtureSite> {
  const dir = inject('fixtureSite');
  if (!dir)
    throw new Error('no fixture site: this test file must belong to a vitest project with the globalSetup tests/setup/fixture-site.ts (see vitest.config.ts)');
  return { dir };
}

/** The payload store reaches the pipeline from the config file (relative to it) or the flag (which wins). */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { resolveOptions } from '../../src/lib/config.ts';
import { removeTemp, tempDir } from '../safety/helpers.ts';

afterAll(removeTemp);

it('reads payloads from atlas.config.json relative to the file; the flag wins', () => {
  const dir = tempDir('config');
  writeFileSync(path.join(dir, 'atlas.config.json'), JSON.stringify({ sigma: 'rules', payloads: 'store' }));
  expect(resolveOptions({}, dir).payloads).toBe(path.join(dir, 'store'));
  expect(resolveOptions({ payloads: '/elsewhere' }, dir).payloads).toBe('/elsewhere');
});

/** `--observed` (repeatable) and the `observed` config key. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveOptions } from '../../src/lib/config.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'atlas-observed-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('observed records in the options', () => {
  it('reads the config key (one path or a list) relative to the config file', () => {
    writeFileSync(path.join(dir, 'one.json'), JSON.stringify({ observed: 'runs/lab.csv' }));
    writeFileSync(path.join(dir, 'two.json'), JSON.stringify({ observed: ['runs/lab.csv', 'sigma_redcanaryco/yml'] }));
    expect(resolveOptions({ config: path.join(dir, 'one.json') }, dir).observed).toEqual([path.join(dir, 'runs/lab.csv')]);
    expect(resolveOptions({ config: path.join(dir, 'two.json') }, dir).observed).toEqual([
      path.join(dir, 'runs/lab.csv'),
      path.join(dir, 'sigma_redcanaryco/yml'),
    ]);
  });

  it('flags win over the config; none means no records', () => {
    expect(resolveOptions({ config: path.join(dir, 'two.json'), observed: ['a.csv', 'b.json'] }, dir).observed).toEqual(['a.csv', 'b.json']);
    writeFileSync(path.join(dir, 'none.json'), '{}');
    expect(resolveOptions({ config: path.join(dir, 'none.json') }, dir).observed).toBeUndefined();
  });

  it('rejects a config value of the wrong type', () => {
    writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ observed: 3 }));
    expect(() => resolveOptions({ config: path.join(dir, 'bad.json') }, dir)).toThrow(/observed/);
  });
});

/**
 * The publish lock (what a Ctrl-C waits for) covers the swap and the rename that marks the old
 * output as garbage, not the deletion of the old output.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test, vi } from 'vitest';

const calls = vi.hoisted(() => ({ hook: undefined as undefined | ((call: string, target: string) => void) }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const watched = {
    rename: (from: string, to: string) => (calls.hook?.('rename', String(to)), real.rename(from, to)),
    rm: (target: string, options?: Parameters<typeof real.rm>[1]) => (calls.hook?.('rm', String(target)), real.rm(target, options)),
  };
  return { ...real, ...watched, default: { ...real, ...watched } };
});

const { publish, publishing } = await import('../../src/lib/output/publish.ts');
const { createStaging } = await import('../../src/lib/output/staging.ts');
const { MARKER_FILE, markerText } = await import('../../src/lib/output/marker.ts');

const root = mkdtempSync(path.join(os.tmpdir(), 'atlas-publish-lock-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the publish lock', () => {
  test('held for the swap and the garbage rename, released before the old output is deleted', async () => {
    const out = path.join(root, 'site');
    mkdirSync(out);
    writeFileSync(path.join(out, 'index.html'), 'old');
    writeFileSync(path.join(out, MARKER_FILE), markerText('0', ['index.html']));
    const staging = createStaging(out);
    writeFileSync(path.join(staging.site, 'index.html'), 'new');

    const seen: Array<{ call: string; target: string; locked: boolean }> = [];
    calls.hook = (call, target) => seen.push({ call, target: path.basename(target).replace(/-\d+-\w{6}$/, ''), locked: publishing() !== undefined });
    try {
      await publish(staging, '1');
    } finally {
      calls.hook = undefined;
    }
    expect(seen.filter((s) => s.call === 'rename' || s.target.startsWith('.atlas-trash'))).toEqual([
      { call: 'rename', target: '.atlas-old-site', locked: true },
      { call: 'rename', target: 'site', locked: true },
      { call: 'rename', target: '.atlas-trash-site', locked: true },
      { call: 'rm', target: '.atlas-trash-site', locked: false },
    ]);
    expect(readFileSync(path.join(out, 'index.html'), 'utf8')).toBe('new');
    expect(readdirSync(root)).toEqual(['site']);
  });
});

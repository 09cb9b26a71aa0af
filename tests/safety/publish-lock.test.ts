/**
 * The publish lock (what a Ctrl-C waits for) covers the swap and the rename that marks the old
 * output as garbage, not the deletion of the old output, which by default a detached remover
 * does (src/lib/output/trash.ts) while the build returns.
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
const { createStaging, recoverLeftovers } = await import('../../src/lib/output/staging.ts');
const { waitForRemovers } = await import('./helpers.ts');
const { MARKER_FILE, markerText } = await import('../../src/lib/output/marker.ts');

const root = mkdtempSync(path.join(os.tmpdir(), 'atlas-publish-lock-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** An old output in `out` and a staging folder holding the new one. */
function oldAndNew(name: string) {
  const out = path.join(root, name);
  mkdirSync(out);
  writeFileSync(path.join(out, 'index.html'), 'old');
  writeFileSync(path.join(out, MARKER_FILE), markerText('0', ['index.html']));
  const staging = createStaging(out);
  writeFileSync(path.join(staging.site, 'index.html'), 'new');
  return { out, staging };
}

/** The file-system calls of one publish, with whether the lock was held; names without their pid and suffix. */
async function watchedPublish(staging: ReturnType<typeof createStaging>, removeOld?: 'wait' | 'background') {
  const seen: Array<{ call: string; target: string; locked: boolean; pid?: number }> = [];
  calls.hook = (call, target) => {
    const name = path.basename(target);
    const pid = /-(\d+)-\w{6}$/.exec(name)?.[1];
    seen.push({ call, target: name.replace(/-\d+-\w{6}$/, ''), locked: publishing() !== undefined, ...(pid && { pid: Number(pid) }) });
  };
  try {
    await publish(staging, '1', removeOld);
  } finally {
    calls.hook = undefined;
  }
  return seen.filter((s) => s.call === 'rename' || s.target.startsWith('.atlas-trash'));
}

describe('the publish lock', () => {
  test('held for the swap and the garbage rename; the old output then goes to a detached remover, named after it', async () => {
    const { out, staging } = oldAndNew('site');
    const seen = await watchedPublish(staging);
    expect(seen.map(({ pid: _, ...s }) => s)).toEqual([
      { call: 'rename', target: '.atlas-old-site', locked: true },
      { call: 'rename', target: 'site', locked: true },
      { call: 'rename', target: '.atlas-trash-site', locked: true },
      { call: 'rename', target: '.atlas-trash-site', locked: false },
    ]);
    // The last rename gives the folder the remover's pid: another process, not this one.
    const remover = seen[3]!.pid!;
    expect(seen[2]!.pid).toBe(process.pid);
    expect(remover).not.toBe(process.pid);
    expect(readFileSync(path.join(out, 'index.html'), 'utf8')).toBe('new');
    // A build starting now leaves the folder to its live remover (nothing to recover), and the remover deletes it.
    expect(await recoverLeftovers(out)).toEqual([]);
    waitForRemovers([root]);
    expect(readdirSync(root).filter((e) => e.startsWith('.atlas-trash-site-') || e === 'site')).toEqual(['site']);
  });

  test("removeOld 'wait': the old output is deleted in this process, after the lock is released, before publish returns", async () => {
    const { out, staging } = oldAndNew('site-wait');
    const seen = await watchedPublish(staging, 'wait');
    expect(seen.map(({ pid: _, ...s }) => s)).toEqual([
      { call: 'rename', target: '.atlas-old-site-wait', locked: true },
      { call: 'rename', target: 'site-wait', locked: true },
      { call: 'rename', target: '.atlas-trash-site-wait', locked: true },
      { call: 'rm', target: '.atlas-trash-site-wait', locked: false },
    ]);
    expect(readFileSync(path.join(out, 'index.html'), 'utf8')).toBe('new');
    expect(readdirSync(root).filter((e) => e.includes('site-wait'))).toEqual(['site-wait']);
  });
});

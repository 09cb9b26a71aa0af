/**
 * The page cache's lock (src/lib/cache/pages.ts) on small temp folders, without Astro: the lock
 * is never taken from a live build (nor released by one that no longer holds it), and a stale one
 * (dead or reused pid, too old) does not switch the cache off.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { openPageCache } from '../../src/lib/cache/pages.ts';
import { removeTemp, tempDir } from '../safety/helpers.ts';

afterAll(removeTemp);

const quiet = () => {};
const lockOf = (dir: string) => `${dir}.lock`;
const hoursAgo = (file: string, hours: number) => {
  const then = new Date(Date.now() - hours * 3600_000);
  utimesSync(file, then, then);
};
/** The pid of a process that has exited. */
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!;
/** Start time (clock ticks since boot) of a process, as /proc/<pid>/stat gives it. */
const startOf = (pid: number) => Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').pop()!.split(' ')[19]);

function cacheDir(): string {
  return path.join(tempDir('pages'), 'astro');
}

describe('page cache lock', () => {
  test('a second open while the first holds the lock renders everything; release frees it', async () => {
    const dir = cacheDir();
    const first = await openPageCache(dir, quiet);
    expect(first).toBeDefined();
    expect(await openPageCache(dir, quiet)).toBeUndefined();
    await first!.release();
    expect(existsSync(lockOf(dir))).toBe(false);
    const again = await openPageCache(dir, quiet);
    expect(again).toBeDefined();
    await again!.release();
  });

  test('the lock names its holder: pid, host and a nonce', async () => {
    const dir = cacheDir();
    const cache = await openPageCache(dir, quiet);
    const held = JSON.parse(readFileSync(lockOf(dir), 'utf8'));
    expect(held).toMatchObject({ pid: process.pid, host: os.hostname() });
    expect(typeof held.nonce).toBe('string');
    await cache!.release();
    // no temp or stale files are left beside the lock
    expect(readdirSync(path.dirname(dir))).toEqual([]);
  });

  test('an empty lock (a build between creating and writing it) is held, not stale', async () => {
    const dir = cacheDir();
    writeFileSync(lockOf(dir), '');
    expect(await openPageCache(dir, quiet)).toBeUndefined();
    expect(readFileSync(lockOf(dir), 'utf8')).toBe('');
  });

  test('an unreadable lock older than the age limit is stale', async () => {
    const dir = cacheDir();
    writeFileSync(lockOf(dir), '');
    hoursAgo(lockOf(dir), 1);
    const cache = await openPageCache(dir, quiet);
    expect(cache).toBeDefined();
    await cache!.release();
  });

  test('release leaves alone a lock that another build holds now', async () => {
    const dir = cacheDir();
    const cache = await openPageCache(dir, quiet);
    const other = JSON.stringify({ pid: process.ppid, host: os.hostname(), nonce: 'other', start: startOf(process.ppid) });
    writeFileSync(lockOf(dir), other);
    await cache!.release();
    expect(readFileSync(lockOf(dir), 'utf8')).toBe(other);
  });

  test('a lock of a process that has exited is taken over', async () => {
    const dir = cacheDir();
    writeFileSync(lockOf(dir), JSON.stringify({ pid: deadPid(), host: os.hostname(), nonce: 'gone' }));
    const cache = await openPageCache(dir, quiet);
    expect(cache).toBeDefined();
    expect(JSON.parse(readFileSync(lockOf(dir), 'utf8')).pid).toBe(process.pid);
    await cache!.release();
    expect(readdirSync(path.dirname(dir))).toEqual([]);
  });

  test('a lock with our own pid but another nonce (a restarted container) is stale', async () => {
    const dir = cacheDir();
    writeFileSync(lockOf(dir), JSON.stringify({ pid: process.pid, host: os.hostname(), nonce: 'an earlier life' }));
    const cache = await openPageCache(dir, quiet);
    expect(cache).toBeDefined();
    await cache!.release();
  });

  test('a bare-pid lock (the older format) naming this process is stale: this process does not hold it', async () => {
    const dir = cacheDir();
    writeFileSync(lockOf(dir), String(process.pid));
    const cache = await openPageCache(dir, quiet);
    expect(cache).toBeDefined();
    await cache!.release();
  });

  test('a lock whose pid now belongs to a process started later (pid reuse) is stale', async () => {
    const dir = cacheDir();
    writeFileSync(lockOf(dir), JSON.stringify({ pid: process.ppid, host: os.hostname(), nonce: 'x', start: startOf(process.ppid) + 1 }));
    const cache = await openPageCache(dir, quiet);
    expect(cache).toBeDefined();
    await cache!.release();
  });

  test('a live holder on this host is respected', async () => {
    const dir = cacheDir();
    writeFileSync(lockOf(dir), JSON.stringify({ pid: process.ppid, host: os.hostname(), nonce: 'x', start: startOf(process.ppid) }));
    expect(await openPageCache(dir, quiet)).toBeUndefined();
  });

  test('a lock from another host is held until it is older than the age limit (6 h)', async () => {
    const dir = cacheDir();
    writeFileSync(lockOf(dir), JSON.stringify({ pid: 12345, host: 'elsewhere.invalid', nonce: 'x' }));
    hoursAgo(lockOf(dir), 5);
    expect(await openPageCache(dir, quiet)).toBeUndefined();
    hoursAgo(lockOf(dir), 7);
    const cache = await openPageCache(dir, quiet);
    expect(cache).toBeDefined();
    await cache!.release();
  });

  test('a lock of a live pid older than the age limit is stale (pid reused where /proc says nothing)', async () => {
    const dir = cacheDir();
    writeFileSync(lockOf(dir), String(process.ppid)); // the old format: a bare pid
    hoursAgo(lockOf(dir), 7);
    const cache = await openPageCache(dir, quiet);
    expect(cache).toBeDefined();
    await cache!.release();
  });
});

/**
 * The page cache's lock (src/lib/cache/pages.ts) on small temp folders, without Astro: the lock
 * is never taken from a live build (nor released by one that no longer holds it), and a stale one
 * (dead or reused pid, too old) does not switch the cache off. Builds killed while taking the lock
 * (tests/cache/lock-child.ts) leave nothing the next build does not clean, and a build that judged
 * a lock stale before another took it does not take the new one away.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { openPageCache } from '../../src/lib/cache/pages.ts';
import { projectRoot, removeTemp, tempDir } from '../safety/helpers.ts';

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

/** A build opening the page cache in its own process, stopped at a point of taking the lock (tests/cache/lock-child.ts). */
function child(dir: string, mode: 'kill-at-link' | 'kill-at-remove' | 'pause' | 'pause-at-break') {
  const flags = path.join(path.dirname(dir), 'flags');
  mkdirSync(flags, { recursive: true });
  const script = path.join(projectRoot, 'tests/cache/lock-child.ts');
  const proc = spawn(process.execPath, ['--import', 'tsx', script, dir, flags, mode], { cwd: projectRoot, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d) => (stderr += d));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    proc.on('close', (code, signal) => resolve({ code, signal, stderr })),
  );
  return { done, flag: (name: string) => path.join(flags, name) };
}

/** Waits until one of these files exists; returns it (a hang guard of two minutes, not a timing). */
async function first(...files: string[]): Promise<string> {
  for (let waited = 0; ; waited += 10) {
    const found = files.find((f) => existsSync(f));
    if (found) return found;
    if (waited > 120_000) throw new Error(`none of ${files.join(', ')} after two minutes`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** What is beside the lock: files named after it other than the lock itself. */
const beside = (dir: string) =>
  readdirSync(path.dirname(dir))
    .filter((name) => name.startsWith(`${path.basename(dir)}.lock.`))
    .sort();

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

  test('a build killed while taking the lock leaves its temp file: the next build removes it and takes the lock', async () => {
    const dir = cacheDir();
    const killed = child(dir, 'kill-at-link');
    expect((await killed.done).signal).toBe('SIGKILL');
    expect(beside(dir)).toEqual([expect.stringMatching(/^astro\.lock\.\d+-\w+\.tmp$/)]);
    const cache = await openPageCache(dir, quiet);
    expect(cache).toBeDefined();
    expect(beside(dir)).toEqual([]);
    await cache!.release();
  });

  test("what a live build's taking of the lock has beside it is kept; an older version's .stale without its .tmp is removed", async () => {
    const dir = cacheDir();
    const live = `${lockOf(dir)}.${process.ppid}-abc.tmp`;
    writeFileSync(live, JSON.stringify({ pid: process.ppid, host: os.hostname(), nonce: 'abc', start: startOf(process.ppid) }));
    writeFileSync(`${lockOf(dir)}.${process.ppid}-abc.stale`, 'an old lock it moved aside');
    writeFileSync(`${lockOf(dir)}.${deadPid()}-def.stale`, 'an old lock moved aside by a build killed since');
    writeFileSync(`${lockOf(dir)}.${deadPid()}-ghi.break`, JSON.stringify({ pid: deadPid(), host: os.hostname(), nonce: 'ghi' }));
    const cache = await openPageCache(dir, quiet);
    expect(cache).toBeDefined();
    expect(beside(dir)).toEqual([`astro.lock.${process.ppid}-abc.stale`, `astro.lock.${process.ppid}-abc.tmp`]);
    await cache!.release();
  });

  test("a live build's .break (it is removing the stale lock this instant): this build leaves the lock and the .break alone", async () => {
    const dir = cacheDir();
    const stale = JSON.stringify({ pid: deadPid(), host: os.hostname(), nonce: 'gone' });
    writeFileSync(lockOf(dir), stale);
    const other = `${lockOf(dir)}.${process.ppid}-abc.break`;
    writeFileSync(other, JSON.stringify({ pid: process.ppid, host: os.hostname(), nonce: 'abc', start: startOf(process.ppid) }));
    expect(await openPageCache(dir, quiet)).toBeUndefined();
    expect(readFileSync(lockOf(dir), 'utf8')).toBe(stale);
    expect(beside(dir)).toEqual([`astro.lock.${process.ppid}-abc.break`]);
    // A stalled build keeps its .break however old (its holder is alive here); once killed, its .break holds nobody back.
    hoursAgo(other, 0.1);
    expect(await openPageCache(dir, quiet)).toBeUndefined();
    writeFileSync(other, JSON.stringify({ pid: deadPid(), host: os.hostname(), nonce: 'abc' }));
    const cache = await openPageCache(dir, quiet);
    expect(cache).toBeDefined();
    expect(beside(dir)).toEqual([]);
    await cache!.release();
  });

  test('a build killed while removing a stale lock: its .break and temp file are removed (its holder is dead), the lock taken', async () => {
    const dir = cacheDir();
    const stale = JSON.stringify({ pid: deadPid(), host: os.hostname(), nonce: 'gone' });
    writeFileSync(lockOf(dir), stale);
    const killed = child(dir, 'kill-at-remove');
    expect((await killed.done).signal).toBe('SIGKILL');
    expect(beside(dir)).toEqual([expect.stringMatching(/^astro\.lock\.\d+-\w+\.break$/), expect.stringMatching(/^astro\.lock\.\d+-\w+\.tmp$/)]);
    const cache = await openPageCache(dir, quiet);
    expect(cache).toBeDefined();
    expect(JSON.parse(readFileSync(lockOf(dir), 'utf8')).pid).toBe(process.pid);
    expect(beside(dir)).toEqual([]);
    await cache!.release();
  });

  test('three builds on one stale lock: the one that judged it stale first but acts last takes nothing from the others', async () => {
    const dir = cacheDir();
    writeFileSync(lockOf(dir), JSON.stringify({ pid: deadPid(), host: os.hostname(), nonce: 'gone' }));
    // B reads the stale lock and stops there.
    const b = child(dir, 'pause');
    await first(b.flag('judged'));
    // A takes the stale lock meanwhile.
    const a = await openPageCache(dir, quiet);
    expect(a).toBeDefined();
    const heldByA = readFileSync(lockOf(dir), 'utf8');
    writeFileSync(b.flag('go'), '');
    // Had B moved A's lock aside, C would find the place empty now and take it, and B could not put A's back.
    let c: Awaited<ReturnType<typeof openPageCache>>;
    if ((await first(b.flag('moved'), b.flag('result'))) === b.flag('moved')) {
      c = await openPageCache(dir, quiet);
      writeFileSync(b.flag('go-on'), '');
    }
    const done = await b.done;
    expect(done.code, done.stderr).toBe(0);
    expect(readFileSync(b.flag('result'), 'utf8')).toBe('not held');
    // A still holds the lock it took (with the lock moved aside and C in its place, two builds would write the cache).
    expect(readFileSync(lockOf(dir), 'utf8')).toBe(heldByA);
    expect(existsSync(b.flag('moved'))).toBe(false);
    expect(beside(dir)).toEqual([]);
    await c?.release();
    await a!.release();
  });

  test("two builds removing one stale lock at once: the second sees the first one's .break and steps back; the first takes the lock", async () => {
    const dir = cacheDir();
    writeFileSync(lockOf(dir), JSON.stringify({ pid: deadPid(), host: os.hostname(), nonce: 'gone' }));
    const b = child(dir, 'pause-at-break');
    await first(b.flag('break'));
    expect(await openPageCache(dir, quiet)).toBeUndefined();
    writeFileSync(b.flag('go'), '');
    const done = await b.done;
    expect(done.code, done.stderr).toBe(0);
    expect(readFileSync(b.flag('result'), 'utf8')).toBe('held');
    expect(beside(dir)).toEqual([]);
  });

  test("the previous version's shared .break: fresh, this build steps back; over a minute old, it is removed", async () => {
    const dir = cacheDir();
    writeFileSync(lockOf(dir), JSON.stringify({ pid: deadPid(), host: os.hostname(), nonce: 'gone' }));
    writeFileSync(`${lockOf(dir)}.break`, '');
    expect(await openPageCache(dir, quiet)).toBeUndefined();
    hoursAgo(`${lockOf(dir)}.break`, 0.1);
    const cache = await openPageCache(dir, quiet);
    expect(cache).toBeDefined();
    expect(beside(dir)).toEqual([]);
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

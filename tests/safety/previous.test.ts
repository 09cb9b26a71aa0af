/**
 * `--previous URL` against a local server (127.0.0.1 only) that hangs, trickles, sends too much or
 * serves a gzip bomb: each ends within its bound with a one-line reason.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PreviousBuildError, readPreviousBuild, type PreviousLimits } from '../../src/lib/changes/previous.ts';
import { atlasAsync, exited, removeTemp, tempDir, writeRules } from './helpers.ts';

let server: http.Server;
let base: string;
const open = new Set<http.ServerResponse>();
const member = gzipSync(Buffer.alloc(64 * 1024 * 1024)); // 64 MiB of zeros in ~64 KiB
const bomb = Buffer.concat([member, member, member, member]); // gunzip reads every member: 256 MiB

beforeAll(async () => {
  server = http.createServer((request, response) => {
    open.add(response);
    response.on('close', () => open.delete(response));
    const route = request.url!.split('/')[1];
    if (route === 'hang') return; // never answers
    if (route === 'trickle') {
      response.writeHead(200, { 'content-type': 'application/gzip' });
      const timer = setInterval(() => response.write('x'), 50);
      response.on('close', () => clearInterval(timer));
      return;
    }
    if (route === 'bomb') {
      response.writeHead(200, { 'content-type': 'application/gzip', 'content-length': bomb.length });
      return response.end(bomb);
    }
    if (route === 'declared-big') {
      response.writeHead(200, { 'content-length': 1024 * 1024 * 1024 });
      return response.write('x');
    }
    if (route === 'chunked-big') {
      response.writeHead(200);
      return response.end(Buffer.alloc(6 * 1024 * 1024, 120));
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const response of open) response.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  removeTemp();
});

const limits: PreviousLimits = { connectMs: 300, totalMs: 1500, maxBytes: 4 * 1024 * 1024 };

async function failure(route: string): Promise<string> {
  const error = await readPreviousBuild(`${base}/${route}/api/`, limits).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PreviousBuildError);
  const message = (error as Error).message;
  expect(message.split('\n')).toHaveLength(1);
  return message;
}

describe('--previous URL is bounded', () => {
  test('a server that never answers: the connect timeout', async () => {
    expect(await failure('hang')).toMatch(/no answer within 0\.3 s \(--previous-connect-timeout\)/);
  });

  test('a body that trickles: the total timeout', async () => {
    expect(await failure('trickle')).toMatch(/no complete answer within 1\.5 s \(--previous-timeout\)/);
  });

  test('a gzip bomb: stopped at the size limit', async () => {
    const before = process.memoryUsage().rss;
    expect(await failure('bomb')).toMatch(/unzips to more than 4194304 bytes \(--previous-max-mb\)/);
    // Not the 256 MiB it unzips to.
    expect(process.memoryUsage().rss - before).toBeLessThan(128 * 1024 * 1024);
  });

  test('a download over the limit, declared or not', async () => {
    expect(await failure('declared-big')).toMatch(/over the 4194304-byte limit/);
    expect(await failure('chunked-big')).toMatch(/more than 4194304 bytes/);
  });

  test('a 404 is a first build, not an error', async () => {
    expect(await readPreviousBuild(`${base}/none/api/`, limits)).toEqual({ missing: expect.stringMatching(/404/) });
  });

  test('the CLI: exit 2 and one line, no stack', async () => {
    const dir = tempDir('previous');
    writeRules(path.join(dir, 'rules'), ['Rule A']);
    const args = ['catalog', '--sigma', 'rules', '--out', 'out', '--no-cache', '--no-git', '--previous', `${base}/trickle/api/`, '--previous-timeout', '1'];
    const run = await exited(atlasAsync(args, { cwd: dir }));
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^--previous: cannot fetch the previous build from .*no complete answer within 1 s/)]);
  });
});

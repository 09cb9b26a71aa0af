/**
 * `--previous URL` follows redirects (a moved site, http → https) within the same bounds: a few
 * hops, the total timeout over the whole chain, http and https targets only. Local server only.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MAX_REDIRECTS, PreviousBuildError, readPreviousBuild, type PreviousLimits } from '../../src/lib/changes/previous.ts';

const previous = {
  rules: [{ id: 'r1', slug: 'r1', title: 'Moved Rule', path: 'r1.yml', document: 0, collection: 'rules', active: true, source: 'title: Moved Rule\n' }],
  tests: [{ guid: 'g1', technique: 'T1049', number: 1, name: 'Moved Test' }],
};
const catalogGz = gzipSync(JSON.stringify(previous));

let server: http.Server;
let base: string;
const hits: string[] = [];

beforeAll(async () => {
  server = http.createServer((request, response) => {
    const url = request.url!;
    hits.push(url);
    const redirect = (status: number, location: string) => response.writeHead(status, { location }).end();
    if (url === '/site/api/catalog.json.gz') return void response.writeHead(200, { 'content-type': 'application/gzip' }).end(catalogGz);
    if (url.startsWith('/moved/')) return redirect(301, url.replace('/moved/', '/site/')); // absolute path
    if (url.startsWith('/relative/')) return redirect(308, '../../site/api/catalog.json.gz'); // relative to the request URL
    if (url.startsWith('/twice/')) return redirect(302, url.replace('/twice/', '/moved/'));
    if (url.startsWith('/full-url/')) return redirect(307, `${base}/site/api/catalog.json.gz`);
    const hops = /^\/hops(\d+)\//.exec(url);
    if (hops) {
      const n = Number(hops[1]);
      return redirect(302, n === 0 ? '/site/api/catalog.json.gz' : url.replace(`/hops${n}/`, `/hops${n - 1}/`));
    }
    if (url.startsWith('/loop/')) return redirect(302, url);
    if (url.startsWith('/to-ftp/')) return redirect(301, 'ftp://127.0.0.1/catalog.json.gz');
    if (url.startsWith('/to-gone/')) return redirect(301, '/gone/api/catalog.json.gz');
    if (url.startsWith('/no-location/')) return void response.writeHead(302).end();
    if (url.startsWith('/slow/')) {
      // Each hop answers after 400 ms: within the connect timeout, but four hops pass the total.
      const n = Number(url.split('/')[2]);
      return void setTimeout(() => redirect(302, `/slow/${n + 1}/api/catalog.json.gz`), 400);
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const limits: PreviousLimits = { connectMs: 1000, totalMs: 1500, maxBytes: 4 * 1024 * 1024 };

async function failure(route: string): Promise<string> {
  const error = await readPreviousBuild(`${base}/${route}/api/`, limits).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PreviousBuildError);
  expect((error as Error).message.split('\n')).toHaveLength(1);
  return (error as Error).message;
}

describe('--previous URL follows redirects', () => {
  test.each(['moved', 'relative', 'twice', 'full-url', `hops${MAX_REDIRECTS - 1}`])('%s: reads the catalog it ends at', async (route) => {
    const result = await readPreviousBuild(`${base}/${route}/api/`, limits);
    expect(result).toMatchObject({ build: { rules: [{ title: 'Moved Rule' }], tests: [{ name: 'Moved Test' }] } });
  });

  test(`stops after ${MAX_REDIRECTS} redirects`, async () => {
    hits.length = 0;
    expect(await failure('loop')).toMatch(new RegExp(`more than ${MAX_REDIRECTS} redirects`));
    expect(hits).toHaveLength(MAX_REDIRECTS + 1);
    expect(await failure(`hops${MAX_REDIRECTS}`)).toMatch(/more than 5 redirects/);
  });

  test('follows http and https only', async () => {
    expect(await failure('to-ftp')).toMatch(/HTTP 301 to a ftp: URL/);
  });

  test('a redirect to a missing build is a first build, as a plain 404 is', async () => {
    expect(await readPreviousBuild(`${base}/to-gone/api/`, limits)).toEqual({ missing: expect.stringContaining('(404)') });
  });

  test('a redirect without a location is an HTTP error', async () => {
    expect(await failure('no-location')).toMatch(/HTTP 302/);
  });

  test('the total timeout spans the whole chain of hops', async () => {
    const message = await failure('slow/0');
    expect(message).toMatch(/no complete answer within 1\.5 s \(--previous-timeout\)/);
  });
});

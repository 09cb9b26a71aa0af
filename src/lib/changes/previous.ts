/**
 * The previous build, as published: its `api/` folder on disk, or the URL it is served from.
 * `catalog.json.gz` (one file, the whole catalog) is read when present; a local folder without it
 * falls back to `rules.json` + `rules/<slug>.json` and `tests.json` + `tests/<guid>.json`.
 * Validated with zod, since it comes from outside this build.
 */
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import http from 'node:http';
import https from 'node:https';
import { gunzipSync } from 'node:zlib';
import { z } from 'zod';
import { mapLimit } from '../parallel.ts';
import { isSlug } from '../slug.ts';

/** A slug read from another build names a folder of this one: only what `assignSlugs` writes. */
const slugSchema = z.string().refine(isSlug, 'not a slug Detection Atlas writes');

const ruleSchema = z.looseObject({
  id: z.string(),
  slug: slugSchema,
  title: z.string(),
  path: z.string(),
  document: z.number().default(0),
  collection: z.string(),
  active: z.boolean(),
  source: z.string(),
  status: z.string().optional(),
  level: z.string().optional(),
});

const testSchema = z.looseObject({
  guid: z.string(),
  technique: z.string(),
  number: z.number(),
  name: z.string(),
});

const feedSchema = z.object({
  id: z.string(),
  updated: z.string(),
  kind: z.enum(['rule', 'test']),
  change: z.enum(['added', 'modified', 'deprecated', 'removed']),
  title: z.string(),
  summary: z.string(),
  // The feed links it (absolute with a site URL): only a page address this tool writes, or none.
  url: z
    .string()
    .refine((url) => {
      const segment = /^\/(?:rules|tests)\/([^/]+)\/$/.exec(url)?.[1];
      return segment !== undefined && isSlug(segment);
    })
    .optional()
    .catch(undefined),
});

/** A removed rule whose tombstone the previous build kept (its change list's `gone`). */
const goneSchema = z.object({
  id: z.string(),
  slug: slugSchema,
  title: z.string(),
  path: z.string(),
  collection: z.string(),
  status: z.string().optional(),
  level: z.string().optional(),
});

/** An old address of a rule that lives on under another slug (its change list's `moved`). */
const moveSchema = z.object({ from: slugSchema, to: slugSchema });

/** A list read entry by entry: a damaged entry is dropped, not the others; a list that is no list is absent. */
const entries = <T extends z.ZodType>(entry: T) =>
  z
    .array(z.unknown())
    .transform((list) => list.flatMap((item) => entry.safeParse(item).data ?? []) as z.infer<T>[])
    .optional()
    .catch(undefined);

const buildSchema = z.object({
  rules: z.array(ruleSchema),
  tests: z.array(testSchema),
  // Only the feed, the removed rules and the moved addresses are carried over, each on a best-effort basis: a bad one starts afresh.
  changes: z
    .object({
      feed: z.array(feedSchema).catch([]),
      gone: entries(goneSchema),
      moved: entries(moveSchema),
      // A change list written before `gone` existed: its build kept the tombstones of these only.
      rules: z
        .object({ removed: z.array(goneSchema) })
        .optional()
        .catch(undefined),
    })
    .optional()
    .catch(undefined),
});

export type PreviousRule = z.infer<typeof ruleSchema>;
export type PreviousTest = z.infer<typeof testSchema>;

export interface PreviousBuild {
  rules: PreviousRule[];
  tests: PreviousTest[];
  /** The previous change list's feed, carried into this one. */
  feed: z.infer<typeof feedSchema>[];
  /** The rules removed before the previous build or in it, whose tombstones it kept; carried into this one. */
  gone: z.infer<typeof goneSchema>[];
  /** The old addresses of rules that live on under another slug, which the previous build redirected; carried into this one. */
  moved: z.infer<typeof moveSchema>[];
  /** Whether the previous build had a change list (built with --previous itself): without one, nothing earlier is carried. */
  listed: boolean;
}

export class PreviousBuildError extends Error {}

/** Bounds on reading a previous build from a URL: a server that hangs, trickles or serves a gzip bomb must not stall the build. */
export interface PreviousLimits {
  /** Milliseconds to connect (and get the response headers). */
  connectMs: number;
  /** Milliseconds for the whole download. */
  totalMs: number;
  /** Bytes downloaded, and bytes after gunzip. */
  maxBytes: number;
}

export const DEFAULT_PREVIOUS_LIMITS: PreviousLimits = { connectMs: 10_000, totalMs: 60_000, maxBytes: 512 * 1024 * 1024 };

/** The previous build, or `missing` (a first build: nothing to compare with yet). Anything else unreadable throws. */
export async function readPreviousBuild(
  location: string,
  limits: PreviousLimits = DEFAULT_PREVIOUS_LIMITS,
): Promise<{ build: PreviousBuild } | { missing: string }> {
  if (/^https?:\/\//i.test(location)) return readFromUrl(location, limits);
  if (!existsSync(location)) return { missing: `${location} does not exist` };
  const dir = existsSync(path.join(location, 'api')) && !existsSync(path.join(location, 'rules.json')) ? path.join(location, 'api') : location;
  if (!(await stat(dir)).isDirectory()) throw new PreviousBuildError(`${location}: not a directory (pass the previous build's api/ folder)`);
  if (existsSync(path.join(dir, 'catalog.json.gz'))) return { build: parse(await readFile(path.join(dir, 'catalog.json.gz')), dir, limits.maxBytes) };
  if (existsSync(path.join(dir, 'rules.json'))) return { build: await readApiFiles(dir) };
  throw new PreviousBuildError(`${location}: no catalog.json.gz or rules.json here; pass the previous build's api/ folder`);
}

async function readFromUrl(location: string, limits: PreviousLimits): Promise<{ build: PreviousBuild } | { missing: string }> {
  const url = new URL('catalog.json.gz', location.endsWith('/') ? location : `${location}/`).href;
  const fail = (reason: string) =>
    new PreviousBuildError(`cannot fetch the previous build from ${url}: ${reason}. Download its api/ folder and pass the directory instead.`);
  const got = await download(url, limits).catch((error: Error) => {
    throw fail(error.message);
  });
  if (got.status === 404) return { missing: `${url} was not found (404)` };
  if (got.status < 200 || got.status >= 300) throw fail(`HTTP ${got.status}`);
  return { build: parse(got.body, url, limits.maxBytes) };
}

/** Redirects followed (a published site may move, or serve its http URL from https). */
export const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * A GET that follows up to MAX_REDIRECTS redirects (to http or https URLs only). Each hop has
 * the connect timeout; the total timeout and the size limit bound the whole download.
 */
async function download(url: string, limits: PreviousLimits): Promise<{ status: number; body: Buffer }> {
  const deadline = Date.now() + limits.totalMs;
  let current = url;
  for (let hop = 0; ; hop++) {
    const got = await getOnce(current, limits, deadline);
    if (got.location === undefined) return got;
    if (hop === MAX_REDIRECTS) throw new Error(`more than ${MAX_REDIRECTS} redirects`);
    let next: URL;
    try {
      next = new URL(got.location, current);
    } catch {
      throw new Error(`HTTP ${got.status} to an invalid location`);
    }
    if (next.protocol !== 'http:' && next.protocol !== 'https:') throw new Error(`HTTP ${got.status} to a ${next.protocol} URL`);
    current = next.href;
  }
}

/** One GET: a redirect's status and location (its body is not read), or the status and body. */
function getOnce(url: string, limits: PreviousLimits, deadline: number): Promise<{ status: number; body: Buffer; location?: string }> {
  return new Promise((resolve, reject) => {
    const get = url.startsWith('https:') ? https.get : http.get;
    const chunks: Buffer[] = [];
    let size = 0;
    let timer: NodeJS.Timeout | undefined;
    const total = setTimeout(() => stop(`no complete answer within ${limits.totalMs / 1000} s (--previous-timeout)`), Math.max(0, deadline - Date.now()));
    const request = get(url, { headers: { 'accept-encoding': 'identity' } });
    const settle = () => {
      clearTimeout(timer);
      clearTimeout(total);
    };
    const stop = (reason: string) => {
      settle();
      request.destroy();
      reject(new Error(reason));
    };
    timer = setTimeout(() => stop(`no answer within ${limits.connectMs / 1000} s (--previous-connect-timeout)`), limits.connectMs);
    request.on('error', (error: NodeJS.ErrnoException) => stop(error.code ?? error.message));
    request.on('response', (response) => {
      clearTimeout(timer);
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      if (REDIRECT_STATUSES.has(status) && location !== undefined) {
        settle();
        request.destroy();
        return resolve({ status, body: Buffer.alloc(0), location });
      }
      const declared = Number(response.headers['content-length']);
      if (declared > limits.maxBytes) return stop(`${declared} bytes, over the ${limits.maxBytes}-byte limit (--previous-max-mb)`);
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > limits.maxBytes) return stop(`more than ${limits.maxBytes} bytes (--previous-max-mb)`);
        chunks.push(chunk);
      });
      response.on('error', (error: Error) => stop(error.message));
      response.on('end', () => {
        settle();
        resolve({ status, body: Buffer.concat(chunks) });
      });
    });
  });
}

/** catalog.json.gz → the previous build. A server may have undone the gzip already (Content-Encoding). */
function parse(bytes: Buffer, where: string, maxBytes: number): PreviousBuild {
  let json: unknown;
  try {
    let unzipped = bytes;
    // Twice at most: a server may gzip the .gz file again on the way (Content-Encoding).
    for (let round = 0; round < 2 && unzipped[0] === 0x1f && unzipped[1] === 0x8b; round++) {
      try {
        unzipped = gunzipSync(unzipped, { maxOutputLength: maxBytes });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ERR_BUFFER_TOO_LARGE') throw error;
        throw new PreviousBuildError(`${where}: catalog.json.gz unzips to more than ${maxBytes} bytes (--previous-max-mb)`);
      }
    }
    const text = unzipped.toString('utf8');
    json = JSON.parse(text);
  } catch (error) {
    if (error instanceof PreviousBuildError) throw error;
    throw new PreviousBuildError(`${where}: catalog.json.gz is not gzipped JSON: ${(error as Error).message}`);
  }
  const catalog = validate(json, where);
  return previousBuild(catalog);
}

function previousBuild({ rules, tests, changes }: z.infer<typeof buildSchema>): PreviousBuild {
  return {
    rules,
    tests,
    feed: changes?.feed ?? [],
    gone: changes?.gone ?? changes?.rules?.removed ?? [],
    moved: changes?.moved ?? [],
    listed: changes !== undefined,
  };
}

function validate(json: unknown, where: string): z.infer<typeof buildSchema> {
  const result = buildSchema.safeParse(json);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new PreviousBuildError(`${where}: not a Detection Atlas catalog: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
}

async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new PreviousBuildError(`${file}: ${(error as Error).message}`);
  }
}

/** The per-entity files of an api/ folder written without catalog.json.gz. */
async function readApiFiles(dir: string): Promise<PreviousBuild> {
  const urlSegment = (url: unknown) => String(url).split('/').filter(Boolean).pop();
  const list = async (name: string) => {
    const file = path.join(dir, name);
    if (!existsSync(file)) return [];
    const entries = await readJson(file);
    if (!Array.isArray(entries)) throw new PreviousBuildError(`${file}: not a list`);
    return mapLimit(entries, (e) => readJson(path.join(dir, name.replace(/\.json$/, ''), `${urlSegment(e?.url)}.json`)));
  };
  const [rules, tests] = await Promise.all([list('rules.json'), list('tests.json')]);
  const changes = existsSync(path.join(dir, 'changes.json')) ? await readJson(path.join(dir, 'changes.json')) : undefined;
  const build = validate({ rules, tests, changes }, dir);
  return previousBuild(build);
}

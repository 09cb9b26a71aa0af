/**
 * The previous build, as published: its `api/` folder on disk, or the URL it is served from.
 * `catalog.json.gz` (one file, the whole catalog) is read when present; a local folder without it
 * falls back to `rules.json` + `rules/<slug>.json` and `tests.json` + `tests/<guid>.json`.
 * Validated with zod, since it comes from outside this build.
 */
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { z } from 'zod';
import { mapLimit } from '../parallel.ts';

const ruleSchema = z.looseObject({
  id: z.string(),
  slug: z.string(),
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
  url: z.string().optional(),
});

const buildSchema = z.object({
  rules: z.array(ruleSchema),
  tests: z.array(testSchema),
  // Only the feed is carried over, and only on a best-effort basis: a bad one starts afresh.
  changes: z.object({ feed: z.array(feedSchema) }).optional().catch(undefined),
});

export type PreviousRule = z.infer<typeof ruleSchema>;
export type PreviousTest = z.infer<typeof testSchema>;

export interface PreviousBuild {
  rules: PreviousRule[];
  tests: PreviousTest[];
  /** The previous change list's feed, carried into this one. */
  feed: z.infer<typeof feedSchema>[];
}

export class PreviousBuildError extends Error {}

/** The previous build, or `missing` (a first build: nothing to compare with yet). Anything else unreadable throws. */
export async function readPreviousBuild(location: string): Promise<{ build: PreviousBuild } | { missing: string }> {
  if (/^https?:\/\//i.test(location)) return readFromUrl(location);
  if (!existsSync(location)) return { missing: `${location} does not exist` };
  const dir = existsSync(path.join(location, 'api')) && !existsSync(path.join(location, 'rules.json')) ? path.join(location, 'api') : location;
  if (!(await stat(dir)).isDirectory()) throw new PreviousBuildError(`${location}: not a directory (pass the previous build's api/ folder)`);
  if (existsSync(path.join(dir, 'catalog.json.gz'))) return { build: parse(await readFile(path.join(dir, 'catalog.json.gz')), dir) };
  if (existsSync(path.join(dir, 'rules.json'))) return { build: await readApiFiles(dir) };
  throw new PreviousBuildError(`${location}: no catalog.json.gz or rules.json here; pass the previous build's api/ folder`);
}

async function readFromUrl(location: string): Promise<{ build: PreviousBuild } | { missing: string }> {
  const url = new URL('catalog.json.gz', location.endsWith('/') ? location : `${location}/`).href;
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(60_000) });
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause?.message ?? (error as Error).message;
    throw new PreviousBuildError(`cannot fetch the previous build from ${url}: ${cause}. Download its api/ folder and pass the directory instead.`);
  }
  if (response.status === 404) return { missing: `${url} was not found (404)` };
  if (!response.ok) throw new PreviousBuildError(`cannot fetch the previous build from ${url}: HTTP ${response.status}`);
  return { build: parse(Buffer.from(await response.arrayBuffer()), url) };
}

/** catalog.json.gz → the previous build. A server may have undone the gzip already (Content-Encoding). */
function parse(bytes: Buffer, where: string): PreviousBuild {
  let json: unknown;
  try {
    const text = (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString('utf8');
    json = JSON.parse(text);
  } catch (error) {
    throw new PreviousBuildError(`${where}: catalog.json.gz is not gzipped JSON: ${(error as Error).message}`);
  }
  const catalog = validate(json, where);
  return { rules: catalog.rules, tests: catalog.tests, feed: catalog.changes?.feed ?? [] };
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
  return { rules: build.rules, tests: build.tests, feed: build.changes?.feed ?? [] };
}

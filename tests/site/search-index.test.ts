/**
 * What the search cache takes as the identity of the Pagefind that runs (scripts/search-index.ts):
 * a whole bundle is reused only for the same binary and the same environment it reads.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { pagefindIdentity } from '../../scripts/search-index.ts';

const saved = { ...process.env };
afterEach(() => {
  for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
  Object.assign(process.env, saved);
});

describe('pagefindIdentity', () => {
  test("is the installed binary's digest, and changes with the PAGEFIND_ environment Pagefind reads", async () => {
    const plain = await pagefindIdentity();
    expect(JSON.parse(plain!).binary).toMatch(/^[0-9a-f]{64}$/);
    expect(await pagefindIdentity()).toBe(plain);
    process.env.PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE = '2000';
    expect(await pagefindIdentity()).not.toBe(plain);
  });

  test('follows a binary chosen through the environment, and is unknown when it is missing', async () => {
    process.env.PAGEFIND_EXTENDED_BINARY_PATH = '/nonexistent/pagefind_extended';
    expect(await pagefindIdentity()).toBeUndefined();
  });
});

// Pins the public API of src/lib/atomic so an accidental change fails here first.
import { describe, expect, it } from 'vitest';

describe('atomic exports', () => {
  it.each([
    ['arguments', ['substituteArguments']],
    ['guids', ['dropDuplicateGuids']],
    ['headings', ['checkHeadings']],
    ['load', ['loadAtomics']],
    ['markdown', ['githubSlug', 'headingSkeleton', 'parseAtomicMarkdown', 'testAnchor']],
    ['schema', ['atomicFileSchema', 'atomicTestSchema', 'formatIssues']],
    ['test', ['toAtomicTest']],
    ['types', []],
    ['yaml', ['parseYaml']],
  ])('%s', async (module, names) => {
    const exports = await import(`../../src/lib/atomic/${module}.ts`);
    expect(Object.keys(exports).sort()).toEqual(names);
  });
});

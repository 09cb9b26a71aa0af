/** src/lib/site/render-order.ts pagesFirst: the pages to render go first in Astro's order. */
import { describe, expect, it } from 'vitest';
import { pagesFirst } from '../../src/lib/site/render-order.ts';

describe('pagesFirst', () => {
  it("puts the given pages' paths in front, each part in order, every entry of a path with it", () => {
    const paths = [
      { pathname: '/a', route: 'x' },
      { pathname: '/b/', route: 'x' },
      { pathname: '/c', route: 'x' },
      { pathname: '/b', route: 'y' },
      { pathname: '/d', route: 'x' },
    ];
    const moved = pagesFirst(paths, new Set(['/d/', '/b/']));
    expect(moved.map((p) => `${p.pathname} ${p.route}`)).toEqual(['/b/ x', '/b y', '/d x', '/a x', '/c x']);
    expect(pagesFirst(paths, new Set())).toEqual(paths);
    expect(pagesFirst(paths, new Set(['/a/', '/b/', '/c/', '/d/']))).toEqual(paths);
  });
});

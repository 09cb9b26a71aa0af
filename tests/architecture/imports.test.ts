import { globSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Data flows one way through src/lib: a folder (or a file directly in src/lib, e.g. `pipeline.ts`)
 * never imports, even a type, from a folder that imports it back. This reads the import lines of
 * every .ts file under src/lib, maps them to those nodes and fails on any cycle between them.
 */
const lib = path.join(import.meta.dirname, '../../src/lib');

/** `import … from`, `import type … from`, `export … from`, side-effect `import '…'` and `import('…')`. */
const importPattern = /^\s*(?:import|export)\b[^;]*?\bfrom\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm;

/** The node a file belongs to: its top-level folder under src/lib, or its own name if it sits in src/lib. */
function nodeOf(file: string): string {
  const [first] = path.relative(lib, file).split(path.sep);
  return first;
}

export function importsOf(source: string): string[] {
  return [...source.matchAll(importPattern)].map((match) => match[1] ?? match[2] ?? match[3]);
}

/** Edges `from -> to` between nodes, each with one file that makes it (for the failure message). */
function folderEdges(): Map<string, string> {
  const edges = new Map<string, string>();
  for (const relative of globSync('**/*.ts', { cwd: lib }).sort()) {
    const file = path.join(lib, relative);
    const from = nodeOf(file);
    for (const specifier of importsOf(readFileSync(file, 'utf8'))) {
      if (!specifier.startsWith('.')) continue;
      const target = path.resolve(path.dirname(file), specifier);
      if (path.relative(lib, target).startsWith('..')) continue;
      const to = nodeOf(target);
      if (to !== from && !edges.has(`${from} -> ${to}`)) edges.set(`${from} -> ${to}`, relative);
    }
  }
  return edges;
}

/** Strongly connected components with more than one node (Tarjan): each is a set of folders in a cycle. */
function cycles(edges: Iterable<string>): string[][] {
  const next = new Map<string, string[]>();
  for (const edge of edges) {
    const [from, to] = edge.split(' -> ');
    next.set(from, [...(next.get(from) ?? []), to]);
    if (!next.has(to)) next.set(to, []);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const to of next.get(node)!) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (onStack.has(to)) low.set(node, Math.min(low.get(node)!, index.get(to)!));
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) components.push(component.sort());
    }
  };
  for (const node of [...next.keys()].sort()) if (!index.has(node)) visit(node);
  return components.sort();
}

describe('src/lib folder imports', () => {
  it('reads every kind of import line', () => {
    const source = [
      "import { a } from './a.ts';",
      "import type { B } from '../b/b.ts';",
      "import {\n  type C,\n  d,\n} from '../c/c.ts';",
      "export { e } from './e.ts';",
      "export type { F } from '../f/f.ts';",
      "import './side-effect.ts';",
      "const g = await import('../g/g.ts');",
      "const text = 'not from here';",
    ].join('\n');
    expect(importsOf(source)).toEqual(['./a.ts', '../b/b.ts', '../c/c.ts', './e.ts', '../f/f.ts', './side-effect.ts', '../g/g.ts']);
  });

  it('finds a cycle between folders', () => {
    expect(cycles(['a -> b', 'b -> c', 'c -> a', 'c -> d'])).toEqual([['a', 'b', 'c']]);
    expect(cycles(['a -> b', 'b -> c'])).toEqual([]);
  });

  it('has no cycle between folders', () => {
    const edges = folderEdges();
    // The graph was read at all: the top layer imports the ones below it.
    expect([...edges.keys()]).toEqual(expect.arrayContaining(['catalog -> sigma', 'catalog -> atomic', 'pipeline.ts -> catalog']));
    const components = cycles(edges.keys());
    const inCycle = [...edges]
      .filter(([edge]) => {
        const [from, to] = edge.split(' -> ');
        return components.some((component) => component.includes(from) && component.includes(to));
      })
      .map(([edge, file]) => ({ edge, file }));
    const report = components.map((component) => component.join(', ')).join('\n');
    expect(
      inCycle.map(({ edge }) => edge).sort(),
      `folders in a cycle:\n${report}\nedges (with one file that makes each):\n${inCycle.map(({ edge, file }) => `${edge}  (${file})`).join('\n')}`,
    ).toEqual([]);
  });
});

/**
 * The generated Txxxx.md: the ATT&CK description (Atomic's copy of it, newer than most
 * bundles) and the test headings, whose anchors are what rules and people link to.
 * Headings are read from the syntax tree, not with regexes over lines, so a `###` inside a
 * fenced command is never mistaken for a test.
 */
import type { Blockquote, Root } from 'mdast';
import { toString } from 'mdast-util-to-string';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';

export interface AtomicTestHeading {
  /** N in "Atomic Test #N". */
  number: number;
  name: string;
  /** GitHub anchor of the heading as rendered (without `#`). */
  anchor: string;
  /** 1-based line of the heading in the .md. */
  line: number;
  /** The pre-2023 form `## Atomic Test #1 - Name` rather than `### Atomic Test #1: Name`. */
  legacy: boolean;
}

export interface AtomicMarkdown {
  /** The "Description from ATT&CK" blockquote as markdown, without the `> ` prefixes. */
  description?: string;
  tests: AtomicTestHeading[];
  /** Every heading's anchor, deduplicated the way GitHub does (`inputs`, `inputs-1`, …). */
  anchors: string[];
}

const CURRENT_HEADING = /^Atomic Test #(\d+):\s*(.*)$/;
const LEGACY_HEADING = /^Atomic Test #(\d+) - (.*)$/;
const DESCRIPTION_HEADING = 'Description from ATT&CK';

/**
 * GitHub's heading slug (as github-slugger implements it): lower-case, drop every character
 * that is not a letter, mark, digit, connector (`_`), hyphen or space, then each space
 * becomes `-`. Runs are not collapsed: `FreeBSD, Linux & MacOS` → `freebsd-linux--macos`.
 * Pass the heading's plain text, not its markdown.
 */
export function githubSlug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{Nd}\p{Nl}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** Anchor of `### Atomic Test #N: Name`, the current generated format. */
export function testAnchor(number: number, name: string): string {
  return githubSlug(`Atomic Test #${number}: ${name}`);
}

// GFM extensions change neither headings nor block quotes, and would double the parse time.
const parser = unified().use(remarkParse);

export function parseAtomicMarkdown(markdown: string): AtomicMarkdown {
  const { text, lines } = headingSkeleton(markdown);
  const tree = parser.parse(text) as Root;
  const result: AtomicMarkdown = { tests: [], anchors: [] };
  const seen = new Map<string, number>();
  // Every heading, nested ones included, takes part in GitHub's slug numbering.
  visit(tree, 'heading', (node, index, parent) => {
    const title = toString(node).trim();
    const anchor = uniqueSlug(githubSlug(title), seen);
    result.anchors.push(anchor);
    const test = testHeading(title, anchor, lines[(node.position?.start.line ?? 1) - 1] ?? 0);
    if (test) result.tests.push(test);
    const next = index === undefined ? undefined : parent?.children[index + 1];
    if (title === DESCRIPTION_HEADING && next?.type === 'blockquote' && result.description === undefined) {
      const description = blockquoteText(text, next);
      if (description) result.description = description;
    }
  });
  return result;
}

/**
 * Only the description block and the headings are read, and remark parses about 2 MB/s: so after
 * `## Atomic Tests` only ATX heading lines outside code fences are kept (each as its own block).
 * `lines[i]` is the original line number of the skeleton's line i + 1.
 */
export function headingSkeleton(markdown: string): { text: string; lines: number[] } {
  const source = markdown.split('\n');
  const start = source.findIndex((line) => /^##\s+Atomic Tests\s*$/.test(line));
  if (start === -1) return { text: markdown, lines: source.map((_, i) => i + 1) };
  const kept: string[] = source.slice(0, start + 1);
  const lines = kept.map((_, i) => i + 1);
  let fence: string | undefined;
  for (let i = start + 1; i < source.length; i++) {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(source[i])?.[1];
    if (marker && (!fence || (marker[0] === fence[0] && marker.length >= fence.length))) {
      fence = fence ? undefined : marker;
    } else if (!fence && /^ {0,3}#{1,6}(\s|$)/.test(source[i])) {
      kept.push('', source[i]);
      lines.push(i, i + 1);
    }
  }
  return { text: kept.join('\n'), lines };
}

function testHeading(title: string, anchor: string, line: number): AtomicTestHeading | undefined {
  const current = CURRENT_HEADING.exec(title);
  const match = current ?? LEGACY_HEADING.exec(title);
  if (!match) return undefined;
  return {
    number: Number(match[1]),
    name: match[2]!.trim(),
    anchor,
    line,
    legacy: current === null,
  };
}

/** GitHub suffixes repeated slugs with -1, -2 … so every anchor in a page is unique. */
function uniqueSlug(slug: string, seen: Map<string, number>): string {
  let candidate = slug;
  let count = seen.get(slug) ?? 0;
  while (seen.has(candidate)) candidate = `${slug}-${++count}`;
  seen.set(slug, count);
  seen.set(candidate, 0);
  return candidate;
}

/**
 * The blockquote's source with its markers removed. Taken from the source rather than
 * re-serialized so the markdown (links, `<code>`, lists) stays exactly as written.
 */
function blockquoteText(source: string, node: Blockquote): string | undefined {
  const start = node.position?.start.offset;
  const end = node.position?.end.offset;
  if (start === undefined || end === undefined) return undefined;
  return source
    .slice(start, end)
    .split(/\r?\n/)
    .map((line) => line.replace(/^ {0,3}> ?/, ''))
    .join('\n')
    .trim();
}

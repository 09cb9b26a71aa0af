import { describe, expect, it, test } from 'vitest';
import { githubSlug, headingSkeleton, parseAtomicMarkdown, testAnchor } from '../../src/lib/atomic/markdown.ts';

describe('githubSlug', () => {
  it.each([
    ['Atomic Test #1: System Network Connections Discovery', 'atomic-test-1-system-network-connections-discovery'],
    ['FreeBSD, Linux & MacOS', 'freebsd-linux--macos'],
    ['Dump LSASS.exe Memory (ProcDump)', 'dump-lsassexe-memory-procdump'],
    ['snake_case and kebab-case stay', 'snake_case-and-kebab-case-stay'],
    ['  leading and trailing  ', '--leading-and-trailing--'],
    ['Quotes "double" \'single\' `code` [brackets] {braces}', 'quotes-double-single-code-brackets-braces'],
    ['Ünïcödé Привет 你好', 'ünïcödé-привет-你好'],
    ['😄 emoji', '-emoji'],
    ['a/b\\c:d*e?f<g>h|i', 'abcdefghi'],
  ])('%s → %s', (heading, slug) => {
    expect(githubSlug(heading)).toBe(slug);
  });
});

describe('test anchors', () => {
  it('builds the current format from "Atomic Test #N: Name"', () => {
    expect(testAnchor(1, 'System Network Connections Discovery')).toBe('atomic-test-1-system-network-connections-discovery');
    expect(testAnchor(12, 'List (FreeBSD, Linux & MacOS)')).toBe('atomic-test-12-list-freebsd-linux--macos');
  });
});

describe('parseAtomicMarkdown', () => {
  const current = [
    '# T1049 - System Network Connections Discovery',
    '',
    '## Description from ATT&CK',
    '',
    '> Adversaries may attempt to get a listing of [network connections](https://example.invalid).',
    '> ',
    '> * `netstat`',
    '>   continued item',
    '',
    '[Source](https://attack.mitre.org/techniques/T1049)',
    '',
    '## Atomic Tests',
    '',
    '### Atomic Test #1: System Network Connections Discovery',
    '',
    '#### Inputs',
    '',
    '```cmd',
    '### Atomic Test #7: inside a fence, not a heading',
    '```',
    '',
    '### Atomic Test #2: List (FreeBSD, Linux & MacOS)',
    '',
    '#### Inputs',
    '',
  ].join('\n');

  it('extracts the description without the quote markers', () => {
    expect(parseAtomicMarkdown(current).description).toBe(
      ['Adversaries may attempt to get a listing of [network connections](https://example.invalid).', '', '* `netstat`', '  continued item'].join('\n'),
    );
  });

  it('finds test headings with number, name, anchor and line, ignoring fenced code', () => {
    expect(parseAtomicMarkdown(current).tests).toEqual([
      {
        number: 1,
        name: 'System Network Connections Discovery',
        anchor: 'atomic-test-1-system-network-connections-discovery',
        line: 14,
        legacy: false,
      },
      { number: 2, name: 'List (FreeBSD, Linux & MacOS)', anchor: 'atomic-test-2-list-freebsd-linux--macos', line: 22, legacy: false },
    ]);
  });

  it('lists every heading anchor, repeated ones suffixed as GitHub does', () => {
    expect(parseAtomicMarkdown(current).anchors).toEqual([
      't1049---system-network-connections-discovery',
      'description-from-attck',
      'atomic-tests',
      'atomic-test-1-system-network-connections-discovery',
      'inputs',
      'atomic-test-2-list-freebsd-linux--macos',
      'inputs-1',
    ]);
  });

  it('reads the legacy "## Atomic Test #N - Name" headings with their anchors', () => {
    const legacy = '## Atomic Test #1 - System Network Connections Discovery\n\n## Atomic Test #2 - Dump (LSASS) & More\n';
    expect(parseAtomicMarkdown(legacy).tests).toEqual([
      {
        number: 1,
        name: 'System Network Connections Discovery',
        anchor: 'atomic-test-1---system-network-connections-discovery',
        line: 1,
        legacy: true,
      },
      { number: 2, name: 'Dump (LSASS) & More', anchor: 'atomic-test-2---dump-lsass--more', line: 3, legacy: true },
    ]);
  });

  it('anchors headings by their rendered text, as GitHub does', () => {
    const md = '### Atomic Test #3: Run `whoami` *quietly*\n';
    expect(parseAtomicMarkdown(md).tests[0]).toMatchObject({
      name: 'Run whoami quietly',
      anchor: 'atomic-test-3-run-whoami-quietly',
    });
  });

  it('has no description when the page has no such section', () => {
    const md = '# T1087 - Account Discovery\n\n## Atomic Tests\n\n### Atomic Test #1: Enumerate users\n';
    const parsed = parseAtomicMarkdown(md);
    expect(parsed.description).toBeUndefined();
    expect(parsed.tests).toHaveLength(1);
  });

  it('has no description when the section holds no blockquote', () => {
    expect(parseAtomicMarkdown('## Description from ATT&CK\n\nPlain paragraph.\n').description).toBeUndefined();
  });

  it('handles an empty page', () => {
    expect(parseAtomicMarkdown('')).toEqual({ tests: [], anchors: [] });
  });
});

describe('headingSkeleton', () => {
  test('keeps the description, drops bodies and fenced headings, and maps lines back', () => {
    const md = [
      '# T1 - X',
      '',
      '## Description from ATT&CK',
      '',
      '> text',
      '',
      '## Atomic Tests',
      '',
      'body',
      '```sh',
      '# not a heading',
      '```',
      '### Atomic Test #1: A',
      'more',
    ].join('\n');
    const { text, lines } = headingSkeleton(md);
    expect(text).toContain('> text');
    expect(text).not.toContain('not a heading');
    expect(text).not.toContain('body');
    expect(lines[text.split('\n').indexOf('### Atomic Test #1: A')]).toBe(13);
  });
});

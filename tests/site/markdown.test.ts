import { describe, expect, it } from 'vitest';
import { attackTacticFromUrl, attackTechniqueFromUrl, extractCitations, htmlCodeToMarkdown, renderMarkdown } from '../../src/lib/site/markdown.ts';

describe('renderMarkdown', () => {
  it('renders GFM markdown', () => {
    const { html } = renderMarkdown('Run `net use` and **then**:\n\n* one\n* two');
    expect(html).toContain('<code>net use</code>');
    expect(html).toContain('<strong>then</strong>');
    expect(html).toContain('<li>one</li>');
  });

  it('drops raw HTML: scripts, event handlers, iframes', () => {
    const { html } = renderMarkdown(
      'Hello <script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n<iframe src="https://evil.example"></iframe>\n\n<b onclick="x()">bold</b>',
    );
    expect(html).not.toMatch(/<script|onerror|onclick|<iframe|<img/i);
    expect(html).toContain('Hello');
  });

  it('removes javascript:, vbscript: and data: link targets', () => {
    const { html } = renderMarkdown('[a](javascript:alert(1)) [b](vbscript:msgbox) [c](data:text/html;base64,PHNjcmlwdD4=) [d](https://ok.example/)');
    expect(html).not.toMatch(/javascript:|vbscript:|data:text/i);
    expect(html).toContain('href="https://ok.example/"');
  });

  it('keeps reference-style and autolinked http links', () => {
    const { html } = renderMarkdown('See https://attack.mitre.org/ and [x][1].\n\n[1]: https://example.org/x');
    expect(html).toContain('href="https://attack.mitre.org/"');
    expect(html).toContain('href="https://example.org/x"');
  });

  it('turns ATT&CK citations into numbered references, reusing numbers', () => {
    const { html, citations } = renderMarkdown('A.(Citation: Alpha) B.(Citation: Beta)(Citation: Alpha)', { idPrefix: 'd-' });
    expect(citations).toEqual(['Alpha', 'Beta']);
    expect(html).toContain('<a href="#d-cite-1">[1]</a>');
    expect(html).toContain('<a href="#d-cite-2">[2]</a>');
    expect(html).not.toContain('Citation:');
  });

  it('does not let a citation name inject markup', () => {
    const { html, citations } = renderMarkdown('x(Citation: <script>y</script>)');
    expect(citations).toEqual(['<script>y</script>']);
    expect(html).not.toContain('<script');
  });

  it('rewrites links through the resolver', () => {
    const { html } = renderMarkdown('[LSASS](https://attack.mitre.org/techniques/T1003/001)', {
      rewriteLink: (url) => (attackTechniqueFromUrl(url) === 'T1003.001' ? '/techniques/T1003.001/' : undefined),
    });
    expect(html).toContain('href="/techniques/T1003.001/"');
  });

  it('returns nothing for empty input', () => {
    expect(renderMarkdown(undefined)).toEqual({ html: '', citations: [] });
    expect(renderMarkdown('  \n')).toEqual({ html: '', citations: [] });
  });
});

describe('htmlCodeToMarkdown', () => {
  it('turns ATT&CK <code> tags into code spans, verbatim', () => {
    expect(htmlCodeToMarkdown('use <code>procdump -ma lsass.exe</code> or <code>a`b</code>')).toBe('use `procdump -ma lsass.exe` or ``a`b``');
    const { html } = renderMarkdown('run <code><img src=x onerror=alert(1)></code>');
    expect(html).not.toContain('<img');
    expect(renderMarkdown('* <code>sekurlsa::logonPasswords</code>').html).toContain('<code>sekurlsa::logonPasswords</code>');
  });
});

describe('extractCitations', () => {
  it('numbers citations in order of first use', () => {
    expect(extractCitations('a(Citation: X) b(Citation: Y) c(Citation: X)')).toEqual({
      text: 'a[\\[1\\]](#cite-1) b[\\[2\\]](#cite-2) c[\\[1\\]](#cite-1)',
      citations: ['X', 'Y'],
    });
  });
});

describe('attackTacticFromUrl', () => {
  it('reads tactic ids', () => {
    expect(attackTacticFromUrl('https://attack.mitre.org/tactics/TA0008')).toBe('TA0008');
    expect(attackTacticFromUrl('https://attack.mitre.org/techniques/T1049')).toBeUndefined();
  });
});

describe('attackTechniqueFromUrl', () => {
  it.each([
    ['https://attack.mitre.org/techniques/T1049', 'T1049'],
    ['https://attack.mitre.org/techniques/T1003/001/', 'T1003.001'],
    ['https://attack.mitre.org/software/S0039', undefined],
    ['https://example.org/techniques/T1049', undefined],
  ])('%s → %s', (url, id) => {
    expect(attackTechniqueFromUrl(url)).toBe(id);
  });
});

import { describe, expect, it } from 'vitest';
import { highlightYaml } from '../../src/lib/site/yaml.ts';
import { escapeHtml } from '../../src/lib/site/html.ts';

const strip = (html: string) =>
  html
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

describe('highlightYaml', () => {
  it('marks keys, strings, scalars and comments', () => {
    const html = highlightYaml("title: Net Use\nlevel: 3 # why\ntags:\n    - attack.t1049\nx: 'a # b'\n");
    expect(html).toContain('<span class="k">title</span><span class="x">:</span> <span class="s">Net Use</span>');
    expect(html).toContain('<span class="n">3</span> <span class="c"># why</span>');
    expect(html).toContain('<span class="x">-</span> <span class="s">attack.t1049</span>');
    expect(html).toContain(`<span class="s">&#39;a # b&#39;</span>`);
  });

  it('keys with modifiers and list items of maps', () => {
    const html = highlightYaml("    - Image|endswith: '\\net.exe'");
    expect(html).toContain('<span class="k">Image|endswith</span>');
    expect(html).toContain('<span class="s">&#39;\\net.exe&#39;</span>');
  });

  it('treats block scalars as strings until the indentation drops', () => {
    const html = highlightYaml('description: |\n  line: one\n  two\nlevel: high');
    const lines = html.split('\n');
    expect(lines[1]).toBe('<span class="s">  line: one</span>');
    expect(lines[3]).toContain('<span class="k">level</span>');
  });

  it('escapes everything and loses no character', () => {
    const source = 'title: <script>alert(\'x\')</script>\n# <img onerror=1>\ndetection:\n  sel: "a\\"b<" # c&d\n  k: [a, <b>]\n';
    const html = highlightYaml(source);
    expect(html).not.toMatch(/<script|<img|<b>/);
    expect(strip(html)).toBe(source.replace(/\n$/, ''));
  });

  it('escapeHtml escapes the five characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});

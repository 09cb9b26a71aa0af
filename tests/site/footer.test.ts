import { describe, expect, it } from 'vitest';
import { footerOf } from '../../src/lib/site/footer.ts';

const page = (body: string, footer: string) => Buffer.from(`<html><body><main>${body}</main><footer class="foot">${footer}</footer></body></html>`);

describe('footer', () => {
  it('takes the last footer of a page, from its tag to the end', () => {
    expect(footerOf(page('x', 'commit abc'))?.toString()).toBe('<footer class="foot">commit abc</footer></body></html>');
    expect(footerOf(Buffer.from('<html><body>no footer</body></html>'))).toBeUndefined();
  });

  it("is not fooled by a page's own text naming the footer (it reaches the page escaped)", () => {
    const bytes = page('é ✓ 𝔸 &lt;footer class="foot"&gt; escaped text', 'commit abc');
    expect(footerOf(bytes)?.toString()).toBe('<footer class="foot">commit abc</footer></body></html>');
  });
});

import { describe, expect, it } from 'vitest';
import { footerEdit, footerOf } from '../../src/lib/site/footer.ts';

const page = (body: string, footer: string) => Buffer.from(`<html><body><main>${body}</main><footer class="foot">${footer}</footer></body></html>`);
const foot = (text: string) => Buffer.from(`<footer class="foot">${text}</footer></body></html>`);

/** What refreshFooters does with an edit: the footer written at its offset, the page cut to its length. */
function apply(bytes: Buffer, footer: Buffer): Buffer {
  const edit = footerEdit(bytes, footer);
  if (!edit) return bytes;
  const out = Buffer.alloc(Math.max(bytes.length, edit.length));
  bytes.copy(out);
  footer.copy(out, edit.at);
  return out.subarray(0, edit.length);
}

describe('footer', () => {
  it('takes the last footer of a page, from its tag to the end', () => {
    expect(footerOf(page('x', 'commit abc'))?.toString()).toBe('<footer class="foot">commit abc</footer></body></html>');
    expect(footerOf(Buffer.from('<html><body>no footer</body></html>'))).toBeUndefined();
  });

  it('gives a page another footer in place, by byte offset, longer or shorter', () => {
    const before = page('é ✓ 𝔸 &lt;footer class="foot"&gt; escaped text', 'commit abc 2026-11-25');
    for (const text of ['commit def 2026-11-26', 'commit 1234567890 (a longer line)', 'c']) {
      const after = apply(before, foot(text));
      expect(after.toString()).toBe(page('é ✓ 𝔸 &lt;footer class="foot"&gt; escaped text', text).toString());
    }
  });

  it('leaves a page alone that has no footer or already has this one', () => {
    expect(footerEdit(page('x', 'same'), foot('same'))).toBeUndefined();
    expect(footerEdit(Buffer.from('<p>none</p>'), foot('new'))).toBeUndefined();
  });
});

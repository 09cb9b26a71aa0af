/**
 * The pages' Content-Security-Policy: only what the site itself needs. Scripts and styles come
 * from the site (Pagefind's UI and its WebAssembly index on the search page); nothing is
 * loaded from elsewhere, no plugins, no framing of forms elsewhere. Inline styles stay allowed
 * because Pagefind's UI sets style attributes; inline scripts are not.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

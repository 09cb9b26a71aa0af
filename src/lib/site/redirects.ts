/**
 * Static redirect pages: a meta refresh and a canonical link to the permalink, no JavaScript.
 * A redirect never replaces a file the build wrote.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Redirect } from '../trust/redirects.ts';
import { CONTENT_SECURITY_POLICY } from './csp.ts';
import { escapeHtml } from './html.ts';

export function redirectHtml(target: string): string {
  const to = escapeHtml(target);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(CONTENT_SECURITY_POLICY)}">
<title>Moved to ${to}</title>
<meta http-equiv="refresh" content="0; url=${to}">
<link rel="canonical" href="${to}">
<meta name="robots" content="noindex">
</head>
<body>
<p>This page is now at <a href="${to}">${to}</a>.</p>
</body>
</html>
`;
}

/** Writes the redirect pages into a built site; returns how many were written and skipped. */
export async function writeRedirects(outDir: string, redirects: Redirect[], base = '/'): Promise<{ written: number; skipped: number }> {
  const prefix = base.replace(/\/+$/, '');
  const root = path.resolve(outDir);
  let written = 0;
  let skipped = 0;
  const BATCH = 256;
  for (let i = 0; i < redirects.length; i += BATCH) {
    await Promise.all(
      redirects.slice(i, i + BATCH).map(async (r) => {
        const file = path.join(root, ...r.from.split('/').filter(Boolean), 'index.html');
        if (!file.startsWith(root + path.sep) || existsSync(file)) {
          skipped += 1;
          return;
        }
        await mkdir(path.dirname(file), { recursive: true });
        await writeFile(file, redirectHtml(`${prefix}${r.to}`), { flag: 'wx' }).then(
          () => (written += 1),
          () => (skipped += 1),
        );
      }),
    );
  }
  return { written, skipped };
}

/** The source of each rule too large to print on its page, as plain text beside the page. */
import type { APIRoute } from 'astro';
import { site } from '../../../lib/site/data.ts';
import { routeSegment } from '../../../lib/site/urls.ts';
import { INLINE_SOURCE_LIMIT } from '../../../lib/site/views.ts';

export function getStaticPaths() {
  return site().catalog.rules.flatMap((rule) => {
    const slug = routeSegment(rule.slug);
    return slug && rule.source.length > INLINE_SOURCE_LIMIT ? [{ params: { slug }, props: { source: rule.source } }] : [];
  });
}

export const GET: APIRoute = ({ props }) => new Response((props as { source: string }).source, { headers: { 'content-type': 'text/plain; charset=utf-8' } });

/**
 * CSV (RFC 4180: comma-separated, CRLF line ends, fields quoted when they hold a comma, quote or
 * line break, quotes doubled). A cell starting with = + - @ (or a tab or carriage return) is
 * prefixed with a single quote, so a spreadsheet does not run a rule title as a formula.
 */
import type { Catalog } from '../catalog/types.ts';

const FORMULA = /^[=+\-@\t\r]/;

export function csvCell(value: string | number | boolean | null | undefined): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (FORMULA.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: string[], rows: (string | number | boolean | null | undefined)[][]): string {
  return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** One row per rule; lists are joined with "; ". */
export function rulesCsv(catalog: Catalog): string {
  const header = [
    'id',
    'title',
    'status',
    'level',
    'kind',
    'collection',
    'active',
    'product',
    'category',
    'service',
    'techniques',
    'tactics',
    'tests',
    'author',
    'date',
    'modified',
    'created',
    'lastModified',
    'path',
    'url',
  ];
  const list = (values: string[]) => values.join('; ');
  const rows = catalog.rules.map((r) => [
    r.id,
    r.title,
    r.status,
    r.level,
    r.kind,
    r.collection,
    r.active,
    r.logsource.product,
    r.logsource.category,
    r.logsource.service,
    list(r.techniques),
    list(r.tactics),
    list(r.tests),
    r.author,
    r.date,
    r.modified,
    r.created,
    r.lastModified,
    r.path,
    r.url,
  ]);
  return toCsv(header, rows);
}

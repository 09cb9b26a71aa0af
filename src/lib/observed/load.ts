/**
 * Observed-run records (`--observed PATH`, repeatable): which Sigma rules really fired when an
 * Atomic test ran in a lab. Two layouts are read:
 * - a table, `.csv` or `.json`, one record per row: `test` (the test guid), `rule` (rule id, file
 *   name or title; empty when the test ran and no rule fired), optional `date` (YYYY-MM-DD, a
 *   longer ISO time is cut to its date) and `source` (who or what recorded it);
 * - the frack113/sigma_redcanaryco layout: one YAML per test (`yml/<tactic>/<technique>/<guid>.yml`,
 *   older copies `yml/<guid>.yml`) with `guid` and `sigma_rule: [{id, name}]`.
 * A folder is searched for all three kinds. Records are validated here with zod; a bad row or
 * file is a diagnostic (file, line, reason) and the rest is read.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import fg from 'fast-glob';
import { z } from 'zod';
import { diagnostic, type Diagnostic } from '../diagnostics.ts';
import { parseYaml } from '../atomic/yaml.ts';
import { compareStrings } from '../order.ts';

/** One record as read: a test, and the rule seen firing on it (absent: the test ran, none fired). */
export interface ObservedRecord {
  file: string;
  line?: number;
  test: string;
  /** Rule id, file name or title, as written. */
  rule?: string;
  /** Another name for the same rule (its file name), tried when `rule` matches none. */
  alias?: string;
  date?: string;
  source?: string;
}

export interface ObservedLoad {
  records: ObservedRecord[];
  diagnostics: Diagnostic[];
  files: string[];
}

const text = z.string().trim();
const optionalText = z
  .union([z.string(), z.number()])
  .transform((v) => String(v).trim())
  .optional()
  .transform((v) => (v ? v : undefined));

/** A table row (CSV or JSON). */
const tableRecordSchema = z.object({
  test: text.min(1, 'test guid is empty'),
  rule: optionalText,
  date: optionalText,
  source: optionalText,
});

const jsonFileSchema = z.union([z.array(z.unknown()), z.object({ records: z.array(z.unknown()) })]);

/** frack113/sigma_redcanaryco per-test file: only the keys used here. */
const redcanaryTestSchema = z.object({
  guid: text.min(1),
  sigma_rule: z
    .array(z.object({ id: optionalText, name: optionalText }))
    .nullish()
    .transform((v) => v ?? []),
});

/** CSV column names accepted for each field. */
const COLUMNS: Record<'test' | 'rule' | 'date' | 'source', string[]> = {
  test: ['test', 'guid', 'test_guid', 'atomic_guid'],
  rule: ['rule', 'rule_id', 'rule_title', 'sigma_rule'],
  date: ['date'],
  source: ['source'],
};

const issues = (error: z.ZodError) => error.issues.map((i) => `${i.path.join('.') || 'record'}: ${i.message}`).join('; ');

/** YYYY-MM-DD from a date or ISO time; undefined when it is neither. */
function dateOf(value: string): string | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ]|$)/.exec(value);
  return m && !Number.isNaN(Date.parse(m[1]!)) ? m[1] : undefined;
}

/** RFC 4180 fields: commas, quotes doubled inside quoted fields, CRLF or LF; rows keep their first line. */
export function parseCsv(source: string): Array<{ line: number; fields: string[] }> {
  const rows: Array<{ line: number; fields: string[] }> = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  const s = source.replace(/^\uFEFF/, '');
  for (let i = 0; i < s.length; i += 1) {
    const c = s[i]!;
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') ((field += '"'), (i += 1));
      else if (c === '"') quoted = false;
      else {
        if (c === '\n') line += 1;
        field += c;
      }
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') (fields.push(field), (field = ''));
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && s[i + 1] === '\n') i += 1;
      fields.push(field);
      if (fields.some((f) => f.trim() !== '')) rows.push({ line: rowLine, fields });
      fields = [];
      field = '';
      line += 1;
      rowLine = line;
    } else field += c;
  }
  fields.push(field);
  if (fields.some((f) => f.trim() !== '')) rows.push({ line: rowLine, fields });
  return rows;
}

function readCsv(file: string, source: string, defaultSource: string, out: ObservedLoad): void {
  const [header, ...rows] = parseCsv(source);
  if (!header) return;
  const names = header.fields.map((f) => f.trim().toLowerCase());
  const column = (key: keyof typeof COLUMNS) => names.findIndex((n) => COLUMNS[key].includes(n));
  const at = { test: column('test'), rule: column('rule'), date: column('date'), source: column('source') };
  if (at.test < 0) {
    out.diagnostics.push(
      diagnostic(file, 'observed-format', `no test column in the header (expected one of ${COLUMNS.test.join(', ')})`, { line: header.line }),
    );
    return;
  }
  for (const row of rows) {
    const pick = (i: number) => (i < 0 ? undefined : row.fields[i]);
    addRecord(file, row.line, { test: pick(at.test), rule: pick(at.rule), date: pick(at.date), source: pick(at.source) }, defaultSource, out);
  }
}

function readJson(file: string, source: string, defaultSource: string, out: ObservedLoad): void {
  let json: unknown;
  try {
    json = JSON.parse(source.replace(/^\uFEFF/, ''));
  } catch (error) {
    out.diagnostics.push(diagnostic(file, 'observed-format', `not JSON: ${(error as Error).message}`));
    return;
  }
  const parsed = jsonFileSchema.safeParse(json);
  if (!parsed.success) {
    out.diagnostics.push(diagnostic(file, 'observed-format', 'expected an array of records or {"records": [...]}'));
    return;
  }
  const list = Array.isArray(parsed.data) ? parsed.data : parsed.data.records;
  list.forEach((item, i) => addRecord(file, undefined, item, defaultSource, out, `record ${i + 1}: `));
}

function addRecord(file: string, line: number | undefined, raw: unknown, defaultSource: string, out: ObservedLoad, where = ''): void {
  const at = line === undefined ? {} : { line };
  const parsed = tableRecordSchema.safeParse(raw);
  if (!parsed.success) {
    out.diagnostics.push(diagnostic(file, 'observed-record', `${where}${issues(parsed.error)}`, { severity: 'warning', ...at }));
    return;
  }
  const r = parsed.data;
  const record: ObservedRecord = { file, ...at, test: r.test.toLowerCase(), source: r.source ?? defaultSource };
  if (r.rule) record.rule = r.rule;
  if (r.date) {
    const date = dateOf(r.date);
    if (date) record.date = date;
    else
      out.diagnostics.push(
        diagnostic(file, 'observed-record', `${where}date "${r.date}" is not YYYY-MM-DD: kept without a date`, { severity: 'warning', ...at }),
      );
  }
  out.records.push(record);
}

function readRedcanary(file: string, source: string, defaultSource: string, out: ObservedLoad): void {
  const parsed = parseYaml(source, file);
  if ('error' in parsed) {
    out.diagnostics.push(diagnostic(file, 'observed-format', `YAML: ${parsed.error.message}`, { line: parsed.error.line, column: parsed.error.column }));
    return;
  }
  const doc = redcanaryTestSchema.safeParse(parsed.value);
  if (!doc.success) {
    out.diagnostics.push(diagnostic(file, 'observed-record', `not a sigma_redcanaryco test file: ${issues(doc.error)}`, { severity: 'warning' }));
    return;
  }
  const test = doc.data.guid.toLowerCase();
  const rules = doc.data.sigma_rule;
  const nodes = (parsed.value as { sigma_rule?: unknown }).sigma_rule;
  if (rules.length === 0) out.records.push({ file, test, source: defaultSource });
  for (const [i, r] of rules.entries()) {
    const rule = r.id ?? r.name;
    const node = Array.isArray(nodes) ? nodes[i] : undefined;
    const line = node && typeof node === 'object' ? parsed.lineOf(node) : undefined;
    const at = line === undefined ? {} : { line };
    if (!rule) {
      out.diagnostics.push(diagnostic(file, 'observed-record', `sigma_rule ${i + 1}: neither id nor name`, { severity: 'warning', ...at }));
      continue;
    }
    // The id is the rule's identity; the name (a file name) is kept to find rules without one.
    out.records.push({ file, ...at, test, rule, source: defaultSource, ...(r.id && r.name ? { alias: r.name } : {}) });
  }
}

const KINDS = ['csv', 'json', 'yml', 'yaml'];

/** Reads every path given (files, or folders searched for .csv, .json, .yml and .yaml files). */
export async function loadObserved(paths: string[]): Promise<ObservedLoad> {
  const out: ObservedLoad = { records: [], diagnostics: [], files: [] };
  for (const given of paths) {
    let info;
    try {
      info = await stat(given);
    } catch {
      out.diagnostics.push(diagnostic(given, 'observed-missing', 'observed records: no such file or folder'));
      continue;
    }
    // The name given is the default source; a sigma_redcanaryco `yml/` folder is named by its checkout.
    const full = path.resolve(given);
    const defaultSource = path.basename(full) === 'yml' ? path.basename(path.dirname(full)) : path.basename(full);
    const files = info.isDirectory()
      ? (await fg(`**/*.{${KINDS.join(',')}}`, { cwd: given, onlyFiles: true, followSymbolicLinks: false }))
          .sort(compareStrings)
          .map((f) => path.join(given, f))
      : [given];
    for (const file of files) {
      const ext = path.extname(file).slice(1).toLowerCase();
      if (!KINDS.includes(ext)) {
        out.diagnostics.push(diagnostic(file, 'observed-format', 'observed records must be .csv, .json, or sigma_redcanaryco .yml files'));
        continue;
      }
      const source = await readFile(file, 'utf8');
      out.files.push(file);
      if (ext === 'csv') readCsv(file, source, defaultSource, out);
      else if (ext === 'json') readJson(file, source, defaultSource, out);
      else readRedcanary(file, source, defaultSource, out);
    }
  }
  return out;
}

import { compareStrings } from './order.ts';

/** A problem found in an input file. Diagnostics are data: collected, never thrown past a loader. */
export type Severity = 'error' | 'warning';

export interface Diagnostic {
  /** Path of the input file as the user gave it (relative to the working directory when possible). */
  file: string;
  severity: Severity;
  /** Stable machine-readable kind, e.g. `yaml-syntax`, `schema`, `unknown-modifier`. */
  code: string;
  message: string;
  line?: number;
  column?: number;
  /** Set by the catalog: `file` relative to the input root it was found under (as api/rules.json `path`). */
  path?: string;
  /** Set by the catalog: slug of the rule page the problem belongs to. */
  rule?: string;
}

export function diagnostic(file: string, code: string, message: string, extra: { severity?: Severity; line?: number; column?: number } = {}): Diagnostic {
  const d: Diagnostic = { file, severity: extra.severity ?? 'error', code, message };
  if (extra.line !== undefined) d.line = extra.line;
  if (extra.column !== undefined) d.column = extra.column;
  return d;
}

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    compareStrings(a.file, b.file) ||
    (a.line ?? 0) - (b.line ?? 0) ||
    (a.column ?? 0) - (b.column ?? 0) ||
    compareStrings(a.code, b.code) ||
    compareStrings(a.message, b.message)
  );
}

/**
 * The diagnostics page's rows: where each problem is (`path:line:column`, the path relative to the
 * input root as api/rules.json gives it, never the build machine's folders), linked to the rule's
 * page when the problem belongs to a rule that has one.
 */
import type { Catalog } from '../catalog/types.ts';
import type { Diagnostic } from '../diagnostics.ts';
import { link } from './urls.ts';

export interface DiagnosticRow {
  /** `path:line:column`, as far as known. */
  location: string;
  /** The rule page, when the problem belongs to a rule. */
  href?: string;
  /** Title of that rule. */
  rule?: string;
  severity: Diagnostic['severity'];
  code: string;
  message: string;
}

export function diagnosticRows(catalog: Catalog, limit = Infinity): DiagnosticRow[] {
  const rules = new Map(catalog.rules.map((r) => [r.slug, r]));
  return catalog.diagnostics.slice(0, limit).map((d) => {
    const rule = d.rule === undefined ? undefined : rules.get(d.rule);
    return {
      location: locationOf(d),
      ...(rule && { href: link(rule), rule: rule.title }),
      severity: d.severity,
      code: d.code,
      message: d.message,
    };
  });
}

/** `path:line:column`; a file outside every input root (an --observed file) is named by its base name. */
export function locationOf(d: Diagnostic): string {
  const where = d.path ?? d.file.split(/[\\/]/).pop() ?? d.file;
  return `${where}${d.line !== undefined ? `:${d.line}` : ''}${d.line !== undefined && d.column !== undefined ? `:${d.column}` : ''}`;
}

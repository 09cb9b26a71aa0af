/**
 * Diagnostics placed for readers of the site: each gets its path relative to the input root it was
 * found under (the published site must not name the build machine's folders) and, when it is
 * about a rule that has a page, that rule's slug.
 */
import path from 'node:path';
import type { Diagnostic } from '../diagnostics.ts';
import type { SigmaRule } from '../sigma/rule.ts';

/** New diagnostic objects (the given ones may be cache entries, reused by the next build). */
export function placeDiagnostics(diagnostics: Diagnostic[], roots: string[], rules: SigmaRule[], slugs: string[]): Diagnostic[] {
  const resolvedRoots = [...new Set([...roots, ...rules.map(rootOf)].map((root) => path.resolve(root)))].sort((a, b) => b.length - a.length);
  const byFile = new Map<string, { line: number; slug: string }[]>();
  rules.forEach((rule, i) => {
    const list = byFile.get(rule.file) ?? [];
    list.push({ line: rule.positions?.document?.line ?? 0, slug: slugs[i] });
    byFile.set(rule.file, list);
  });
  for (const list of byFile.values()) list.sort((a, b) => a.line - b.line);
  return diagnostics.map((d) => {
    const placed: Diagnostic = { ...d };
    const relative = relativePath(d.file, resolvedRoots);
    if (relative !== undefined && placed.path === undefined) placed.path = relative;
    const rule = placed.rule ?? ruleOf(byFile.get(d.file), d.line);
    if (rule !== undefined) placed.rule = rule;
    return placed;
  });
}

/** The --sigma root a rule was found under: its file minus its root-relative path. */
function rootOf(rule: SigmaRule): string {
  const suffix = rule.path.split('/').join(path.sep);
  return rule.file.endsWith(suffix) ? rule.file.slice(0, rule.file.length - suffix.length) || '.' : path.dirname(rule.file);
}

function relativePath(file: string, roots: string[]): string | undefined {
  const absolute = path.resolve(file);
  for (const root of roots) {
    const relative = path.relative(root, absolute);
    if (relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative)) return relative.split(path.sep).join('/');
  }
  return undefined;
}

/** The rule of a file a diagnostic is about: the only one, or in a file of several, the one whose document holds its line. */
function ruleOf(rules: { line: number; slug: string }[] | undefined, line: number | undefined): string | undefined {
  if (!rules?.length) return undefined;
  if (rules.length === 1) return rules[0].slug;
  if (line === undefined) return undefined;
  // Before the first rule's document: the shared part of a legacy collection, so its first rule.
  return (rules.findLast((r) => r.line <= line) ?? rules[0]).slug;
}

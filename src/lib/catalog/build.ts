/**
 * analyze → catalog: validated rules, Atomic techniques and ATT&CK data in, one cross-referenced,
 * deterministic, serializable catalog out. Pure: no I/O here.
 */
import type { AttackData } from '../attack/types.ts';
import type { AtomicTechnique } from '../atomic/load.ts';
import { compareDiagnostics, diagnostic, type Diagnostic } from '../diagnostics.ts';
import { ruleIndicators, type Indicator } from '../indicators/extract.ts';
import { countIndicators } from '../indicators/count.ts';
import { fieldSliceBits } from '../indicators/slices.ts';
import type { SigmaRule } from '../sigma/rule.ts';
import { indexTests } from '../xref/atomic-reference.ts';
import { resolveReferences } from '../xref/references.ts';
import { compareStrings } from '../order.ts';
import { placeDiagnostics } from './diagnostics.ts';
import { assignSlugs, safeSegment } from '../slug.ts';
import { buildTactics, buildTechniques, techniqueStates } from './techniques.ts';
import { countBy, tally } from './stats.ts';
import { fieldSegment, indicatorUrl, ruleUrl, testUrl } from './urls.ts';
import type { Catalog, CatalogIndicator, CatalogRule, CatalogTest, UnresolvedReference } from './types.ts';

export interface CatalogInputs {
  title?: string;
  repositoryUrl?: string;
  repositoryRef?: string;
  rules: SigmaRule[];
  atomics: AtomicTechnique[];
  attack?: AttackData;
  diagnostics: Diagnostic[];
  files: { sigma: number; atomics: number; attack: number };
  /** A rule's indicators; the incremental cache passes the ones it stored with the rule. */
  indicatorsOf?: (rule: SigmaRule) => Indicator[];
  /** The input roots (--sigma roots, atomics folder …): diagnostics get their path relative to these. */
  roots?: string[];
}

export function buildCatalog(inputs: CatalogInputs): Catalog {
  const diagnostics = [...inputs.diagnostics];
  const sources = [...inputs.rules].sort((a, b) => compareStrings(a.path, b.path) || a.document - b.document);
  reportDuplicateIds(sources, diagnostics);
  const slugs = assignSlugs(sources, (r) => safeSegment(r.id || r.path.replace(/\.ya?ml$/i, ''), 'rule'));

  const tests = buildTests(inputs.atomics);
  const testIndex = indexTests(tests);

  const rules: CatalogRule[] = sources.map((r, i) => toCatalogRule(r, slugs[i]));
  const unresolvedReferences: UnresolvedReference[] = [];
  rules.forEach((rule, i) => {
    for (const { reference, resolution } of resolveReferences(rule.references, testIndex)) {
      if (resolution.kind === 'test') rule.tests.push(resolution.guid);
      else if (resolution.kind === 'technique') rule.referencedTechniques.push(resolution.technique);
      else {
        unresolvedReferences.push({ rule: rule.slug, url: reference.url, reason: resolution.reason });
        const at = sources[i].positions?.references[rule.references.indexOf(reference.url)];
        diagnostics.push(
          diagnostic(sources[i].file, 'unresolved-reference', `Atomic reference ${reference.url}: ${resolution.reason}`, { severity: 'warning', ...at }),
        );
      }
    }
    rule.tests = [...new Set(rule.tests)].sort();
    rule.referencedTechniques = [...new Set(rule.referencedTechniques)].sort();
  });

  linkRelated(rules);
  const { indicators, fieldSliceBits } = linkIndicators(rules, sources, inputs.indicatorsOf ?? ruleIndicators);
  const techniques = buildTechniques({ attack: inputs.attack, atomics: inputs.atomics, ruleTags: rules });
  const tactics = buildTactics(inputs.attack, [...rules.flatMap((r) => r.tactics), ...techniques.flatMap((t) => t.tactics)]);
  const tacticOrder = new Map(tactics.map((t) => [t.id, t.order]));
  const byTactic = (a: string, b: string) => tacticOrder.get(a)! - tacticOrder.get(b)!;

  // Two-way links: technique ↔ rule (a sub-technique's rules count for its parent too), technique ↔ test, test ← rule.
  const techniqueById = new Map(techniques.map((t) => [t.id, t]));
  const testByGuid = new Map(tests.map((t) => [t.guid, t]));
  for (const rule of rules) {
    for (const id of rule.techniques) {
      const tagged = techniqueById.get(id)!;
      // A rule tagged with a revoked technique counts for the one that replaced it too.
      const replacement = tagged.revokedBy === undefined ? undefined : techniqueById.get(tagged.revokedBy);
      for (const t of replacement ? [tagged, replacement] : [tagged]) {
        t.rules.push(rule.slug);
        if (t.parent) techniqueById.get(t.parent)!.rules.push(rule.slug);
      }
    }
    for (const guid of rule.tests) {
      const test = testByGuid.get(guid)!;
      test.rules.push(rule.slug);
      techniqueById.get(test.technique)?.referencingRules.push(rule.slug);
    }
    for (const id of rule.referencedTechniques) techniqueById.get(id)?.referencingRules.push(rule.slug);
    rule.tactics.sort(byTactic);
  }
  for (const test of tests) techniqueById.get(test.technique)?.tests.push(test.guid);
  for (const t of techniques) {
    t.rules = [...new Set(t.rules)].sort();
    t.referencingRules = [...new Set(t.referencingRules)].sort();
    t.tactics.sort(byTactic);
  }
  for (const test of tests) test.rules.sort();
  const tacticById = new Map(tactics.map((t) => [t.id, t]));
  for (const t of techniques) t.tactics.forEach((id) => tacticById.get(id)?.techniques.push(t.id));
  for (const r of rules) r.tactics.forEach((id) => tacticById.get(id)?.rules.push(r.slug));

  return {
    title: inputs.title ?? 'Detection Atlas',
    ...(inputs.repositoryUrl ? { repositoryUrl: inputs.repositoryUrl } : {}),
    ...(inputs.repositoryUrl && inputs.repositoryRef ? { repositoryRef: inputs.repositoryRef } : {}),
    rules,
    techniques,
    tactics,
    tests,
    indicators,
    ...(Object.keys(fieldSliceBits).length > 0 ? { fieldSliceBits } : {}),
    unresolvedReferences,
    diagnostics: placeDiagnostics(diagnostics, inputs.roots ?? [], sources, slugs).sort(compareDiagnostics),
    stats: {
      files: inputs.files,
      rules: rules.length,
      rulesByKind: countBy(rules, (r) => r.kind),
      rulesByCollection: countBy(rules, (r) => r.collection),
      rulesByStatus: countBy(rules, (r) => r.status ?? 'none'),
      rulesByLevel: countBy(rules, (r) => r.level ?? 'none'),
      testsByPlatform: tally(tests.flatMap((t) => t.platforms)),
      testsByExecutor: countBy(tests, (t) => t.executor),
      diagnosticsByCode: countBy(diagnostics, (d) => d.code),
      techniqueStates: techniqueStates(techniques, inputs.attack !== undefined),
    },
  };
}

function reportDuplicateIds(rules: SigmaRule[], diagnostics: Diagnostic[]): void {
  const byId = new Map<string, SigmaRule[]>();
  for (const r of rules) if (r.id) byId.set(r.id.toLowerCase(), [...(byId.get(r.id.toLowerCase()) ?? []), r]);
  for (const [id, same] of byId) {
    if (same.length < 2) continue;
    for (const r of same) {
      const others = same.filter((o) => o !== r).map((o) => `${o.path}${o.document ? ` (document ${o.document + 1})` : ''}`);
      diagnostics.push(diagnostic(r.file, 'duplicate-id', `rule id ${id} is also used by ${others.join(', ')}`, { severity: 'warning', ...r.positions?.id }));
    }
  }
}

function toCatalogRule(r: SigmaRule, slug: string): CatalogRule {
  const { file: _file, detection, positions: _positions, ...rest } = r;
  const rule: CatalogRule = {
    ...rest,
    slug,
    related: r.related.map((x) => ({ ...x })),
    tests: [],
    referencedTechniques: [],
    indicators: [],
    relatedFrom: [],
    url: ruleUrl(slug),
  };
  if (detection) rule.detection = detection;
  return rule;
}

function buildTests(atomics: AtomicTechnique[]): CatalogTest[] {
  const tests = atomics.flatMap((a) => a.tests);
  const slugs = assignSlugs(tests, (t) => safeSegment(t.guid, 'test'));
  return tests.map((t, i) => ({ ...t, slug: slugs[i]!, rules: [], url: testUrl(slugs[i]) }));
}

/** rule ↔ rule through `related`: each side names the other. */
function linkRelated(rules: CatalogRule[]): void {
  const byId = new Map<string, CatalogRule>();
  for (const r of rules) if (r.id && !byId.has(r.id.toLowerCase())) byId.set(r.id.toLowerCase(), r);
  for (const rule of rules) {
    for (const rel of rule.related) {
      const target = byId.get(rel.id.toLowerCase());
      if (!target) continue;
      rel.slug = target.slug;
      target.relatedFrom.push({ id: rule.id, type: rel.type, slug: rule.slug });
    }
  }
}

function linkIndicators(
  rules: CatalogRule[],
  sources: SigmaRule[],
  indicatorsOf: (rule: SigmaRule) => Indicator[],
): { indicators: CatalogIndicator[]; fieldSliceBits: Record<string, number> } {
  const perRule = rules.map((rule, i) => ({
    rule: rule.slug,
    active: rule.active,
    indicators: indicatorsOf(sources[i]),
  }));
  const counted = countIndicators(perRule);
  const bits = fieldSliceBits(counted.values(), (c) => fieldSegment(c.field));
  const url = (c: { id: string; field: string | null; rules: string[] }) => indicatorUrl(c, c.rules.length, bits.get(fieldSegment(c.field)));
  const indicators: CatalogIndicator[] = [...counted.values()].map((c) => ({ ...c, url: url(c) })).sort((a, b) => compareStrings(a.key, b.key));
  perRule.forEach(({ indicators: own }, i) => {
    rules[i].indicators = own.map((ind) => {
      const c = counted.get(ind.key)!;
      return { id: c.id, key: c.key, field: c.field, operator: c.operator, value: c.value, count: c.count, url: url(c) };
    });
  });
  const cut = [...bits].filter(([, n]) => n > 0).sort(([a], [b]) => compareStrings(a, b));
  return { indicators, fieldSliceBits: Object.fromEntries(cut) };
}

/**
 * ATT&CK Navigator layers (layer format 4.5, https://github.com/mitre-attack/attack-navigator,
 * layers/spec/v4.5): rule coverage (score = active rules tagged with the technique) and Atomic
 * test coverage (score = tests). Scores count a technique's own rules; the layout sums
 * sub-technique scores into their parent, so a parent shows everything beneath it.
 */
import type { Catalog } from '../catalog/types.ts';
import { techniqueUrl } from '../catalog/urls.ts';
import { compareStrings } from '../order.ts';

const LAYER_VERSION = '4.5';
/** The Navigator release that introduced layer format 4.5. */
const NAVIGATOR_VERSION = '5.0.0';

export interface NavigatorTechnique {
  techniqueID: string;
  /** Absent for a parent with no rules of its own (it still shows its sub-techniques' sum). */
  score?: number;
  comment: string;
  enabled: boolean;
  showSubtechniques?: boolean;
  links?: { label: string; url: string }[];
}

export interface NavigatorLayer {
  name: string;
  versions: { layer: string; navigator: string };
  domain: 'enterprise-attack';
  description: string;
  sorting: number;
  layout: Record<string, string | boolean>;
  hideDisabled: boolean;
  techniques: NavigatorTechnique[];
  gradient: { colors: string[]; minValue: number; maxValue: number };
  legendItems: { label: string; color: string }[];
  metadata: { name: string; value: string }[];
}

export type LayerKind = 'rules' | 'tests';

export function navigatorLayer(catalog: Catalog, kind: LayerKind, siteUrl?: string): NavigatorLayer {
  const scores = kind === 'rules' ? ruleScores(catalog) : testScores(catalog);
  const parents = new Set([...scores.keys()].filter((id) => id.includes('.')).map((id) => id.split('.')[0]));
  const noun = kind === 'rules' ? ['active rule', 'active rules'] : ['Atomic test', 'Atomic tests'];
  const base = siteUrl ? (siteUrl.endsWith('/') ? siteUrl : `${siteUrl}/`) : undefined;
  const techniques: NavigatorTechnique[] = [...new Set([...scores.keys(), ...parents])].sort(compareStrings).map((id) => {
    const score = scores.get(id);
    const count = (n: number) => `${n} ${noun[n === 1 ? 0 : 1]}`;
    const below = [...scores].filter(([sub]) => sub.startsWith(`${id}.`)).reduce((n, [, s]) => n + s, 0);
    return {
      techniqueID: id,
      ...(score !== undefined && { score }),
      comment: [score !== undefined && count(score), below && `${count(below)} on its sub-techniques`].filter(Boolean).join('; '),
      enabled: true,
      ...(parents.has(id) && { showSubtechniques: true }),
      // The permalink without its leading '/', so it resolves under the site URL's own path.
      ...(base && { links: [{ label: `${id} in ${catalog.title}`, url: new URL(techniqueUrl(id).slice(1), base).href }] }),
    };
  });
  const max = Math.max(1, ...scores.values());
  return {
    name: `${catalog.title}: ${kind === 'rules' ? 'rule coverage' : 'Atomic test coverage'}`,
    versions: { layer: LAYER_VERSION, navigator: NAVIGATOR_VERSION },
    domain: 'enterprise-attack',
    description:
      kind === 'rules'
        ? 'Score: number of active (not deprecated, not unsupported) Sigma rules tagged with the technique.'
        : 'Score: number of Atomic Red Team tests for the technique.',
    sorting: 3,
    layout: {
      layout: 'side',
      showID: true,
      showName: true,
      showAggregateScores: true,
      countUnscored: false,
      aggregateFunction: 'sum',
      expandedSubtechniques: 'annotated',
    },
    hideDisabled: false,
    techniques,
    gradient: { colors: ['#ffffff', '#66b1ff'], minValue: 0, maxValue: max },
    legendItems: [],
    metadata: [{ name: 'generator', value: 'Detection Atlas' }],
  };
}

/** Active rules per technique they are tagged with (a parent's own tags only). */
function ruleScores(catalog: Catalog): Map<string, number> {
  const scores = new Map<string, number>();
  for (const rule of catalog.rules) {
    if (!rule.active) continue;
    for (const id of rule.techniques) scores.set(id, (scores.get(id) ?? 0) + 1);
  }
  return scores;
}

function testScores(catalog: Catalog): Map<string, number> {
  const scores = new Map<string, number>();
  for (const test of catalog.tests) scores.set(test.technique, (scores.get(test.technique) ?? 0) + 1);
  return scores;
}

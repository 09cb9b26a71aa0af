/** The ATT&CK matrix of the home page: tactics as columns in matrix order, shaded by coverage. */
import type { CatalogTactic, CatalogTechnique } from '../catalog/types.ts';

export interface MatrixCell {
  id: string;
  name: string;
  /** Active rules tagged with the technique (a parent counts its sub-techniques' rules). */
  rules: number;
  /** Atomic tests of the technique (a parent adds its sub-techniques' tests). */
  tests: number;
  /** 0 (no rule) to 4 (30 rules or more). */
  shade: number;
  /** Atomic tests (a parent adds its sub-techniques') with at least one predicted detection. */
  predicted: number;
  /** Predicted coverage of the tests: 0 (none or no tests) to 4 (all). */
  predictedShade: number;
  subs: MatrixCell[];
  /** Known from Atomic folders or rule tags only, not from the ATT&CK bundle. */
  outsideBundle?: boolean;
}

export interface MatrixColumn {
  tactic: CatalogTactic;
  cells: MatrixCell[];
}

const SHADE_STEPS = [1, 3, 10, 30];

export function shade(count: number): number {
  let s = 0;
  for (const step of SHADE_STEPS) if (count >= step) s += 1;
  return s;
}

export const SHADE_LEGEND = ['none', '1–2', '3–9', '10–29', '30+'];

/** Share of a technique's tests with a predicted detection, as a shade: 0, <50%, <100% … */
export function predictedShade(predicted: number, tests: number): number {
  if (tests === 0 || predicted === 0) return 0;
  if (predicted === tests) return 4;
  return predicted * 2 < tests ? 2 : 3;
}

export const PREDICTED_LEGEND = ['none', '', 'under half', 'half or more', 'all'];

export function sortTactics(tactics: readonly CatalogTactic[]): CatalogTactic[] {
  return [...tactics].sort((a, b) => a.order - b.order || a.name.localeCompare(b.name, 'en'));
}

export function buildMatrix(
  tactics: readonly CatalogTactic[],
  techniques: readonly CatalogTechnique[],
  activeRule: (slug: string) => boolean,
  predictedTests: (technique: CatalogTechnique) => number = () => 0,
): MatrixColumn[] {
  const byId = new Map(techniques.map((t) => [t.id, t]));
  const visible = (t: CatalogTechnique) => !t.deprecated && !t.revoked;
  const cell = (t: CatalogTechnique): MatrixCell => {
    const subs = t.subtechniques
      .map((id) => byId.get(id))
      .filter((s): s is CatalogTechnique => !!s && visible(s))
      .map(cell)
      .sort((a, b) => a.name.localeCompare(b.name, 'en'));
    const rules = t.rules.filter(activeRule).length;
    const tests = t.tests.length + subs.reduce((n, s) => n + s.tests, 0);
    const predicted = predictedTests(t) + subs.reduce((n, s) => n + s.predicted, 0);
    return {
      id: t.id,
      name: t.name,
      rules,
      tests,
      shade: shade(rules),
      predicted,
      predictedShade: predictedShade(predicted, tests),
      subs,
      ...(t.source !== 'attack' && { outsideBundle: true }),
    };
  };
  return sortTactics(tactics)
    .map((tactic) => ({
      tactic,
      cells: techniques
        .filter((t) => (!t.parent || !byId.has(t.parent)) && visible(t) && t.tactics.includes(tactic.id))
        .map(cell)
        .sort((a, b) => a.name.localeCompare(b.name, 'en')),
    }))
    .filter((column) => column.cells.length > 0);
}

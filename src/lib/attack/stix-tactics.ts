/**
 * Tactics from a bundle's x-mitre-tactic objects, ordered by its x-mitre-matrix. Tactics the
 * matrix does not list (or every tactic, when there is no matrix) follow in the built-in
 * Enterprise order, then alphabetically.
 */
import { attackReference, type Report, type StixMatrix, type StixTactic } from './stix-schema.ts';
import { orderTactics } from './tactics.ts';
import type { AttackTactic } from './types.ts';

export function buildTactics(tactics: StixTactic[], matrices: StixMatrix[], report: Report): AttackTactic[] {
  const result = new Map<string, AttackTactic>();
  // Orders are assigned in sequence, so they stay 0-based and contiguous even when the matrix
  // names a tactic the bundle lacks.
  const add = (tactic: StixTactic) => {
    if (result.has(tactic.x_mitre_shortname)) {
      report(`tactic "${tactic.x_mitre_shortname}" is defined twice; kept the first`, 'warning');
      return;
    }
    const externalId = attackReference(tactic.external_references)?.external_id;
    result.set(tactic.x_mitre_shortname, {
      id: tactic.x_mitre_shortname,
      name: tactic.name,
      ...(externalId !== undefined && { externalId }),
      order: result.size,
    });
  };

  const matrix = pickMatrix(matrices);
  const byStixId = new Map(tactics.map((tactic) => [tactic.id, tactic]));
  if (matrix) {
    for (const ref of matrix.tactic_refs) {
      const tactic = byStixId.get(ref);
      if (tactic) add(tactic);
      else report(`matrix "${matrix.name}" names unknown tactic ${ref}`);
    }
  } else if (tactics.length > 0) {
    report('no x-mitre-matrix: tactics ordered by the built-in Enterprise matrix', 'warning');
  }

  const inMatrix = new Set(matrix?.tactic_refs);
  const rest = tactics.filter((tactic) => !inMatrix.has(tactic.id) && !tactic.revoked);
  const rank = new Map(orderTactics(rest.map((tactic) => tactic.x_mitre_shortname)).map((t, i) => [t.id, i]));
  rest.sort((a, b) => rank.get(a.x_mitre_shortname)! - rank.get(b.x_mitre_shortname)!).forEach(add);
  return [...result.values()];
}

/** The Enterprise matrix when a bundle holds several; otherwise the first live one. */
function pickMatrix(matrices: StixMatrix[]): StixMatrix | undefined {
  const live = matrices.filter((matrix) => !matrix.revoked && !matrix.x_mitre_deprecated);
  return live.find((matrix) => attackReference(matrix.external_references)?.external_id === 'enterprise-attack') ?? live[0];
}

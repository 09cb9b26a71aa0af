/**
 * Techniques from a bundle's attack-patterns, keyed by their ATT&CK id. Revoked and deprecated
 * techniques stay (flagged) so old rule tags still resolve to a page that says so.
 */
import { attackReference, type Report, type StixAttackPattern } from './stix-schema.ts';
import { isTacticId, orderTactics } from './tactics.ts';
import { attackTechniqueUrl, compareIds, isTechniqueId, parentTechnique } from './technique-id.ts';
import type { AttackTactic, AttackTechnique } from './types.ts';

interface Candidate {
  technique: AttackTechnique;
  pattern: StixAttackPattern;
}

export function buildTechniques(
  patterns: StixAttackPattern[],
  /** Tactics in matrix order, to order each technique's tactics. */
  known: readonly AttackTactic[],
  report: Report,
  /** Revoked attack-pattern STIX id → the STIX id of its replacement (`revoked-by` relationships). */
  revokedBy: ReadonlyMap<string, string> = new Map(),
): AttackTechnique[] {
  const attackIdOf = new Map<string, string>();
  const byId = new Map<string, Candidate[]>();
  for (const pattern of patterns) {
    const reference = attackReference(pattern.external_references);
    const id = reference?.external_id;
    if (!id || !isTechniqueId(id)) {
      const problem = id ? `an invalid ATT&CK id "${id}"` : 'no mitre-attack external id';
      report(`attack-pattern ${pattern.id} (${pattern.name}) has ${problem}`);
      continue;
    }
    const phases: string[] = [];
    for (const { kill_chain_name: chain, phase_name: phase } of pattern.kill_chain_phases) {
      if (chain !== 'mitre-attack') continue;
      // A tactic names a page: a phase like `../x` is reported, not linked.
      if (isTacticId(phase)) phases.push(phase);
      else report(`attack-pattern ${pattern.id} (${id}) names an invalid tactic "${phase}"; ignored`);
    }
    attackIdOf.set(pattern.id, id);
    const parent = parentTechnique(id);
    const technique: AttackTechnique = {
      id,
      name: pattern.name,
      ...(pattern.description !== undefined && { description: pattern.description }),
      tactics: orderTactics(phases, known).map((tactic) => tactic.id),
      platforms: [...pattern.x_mitre_platforms],
      ...(parent !== undefined && { parent }),
      deprecated: pattern.x_mitre_deprecated,
      revoked: pattern.revoked,
      url: reference.url ?? attackTechniqueUrl(id),
    };
    byId.set(id, [...(byId.get(id) ?? []), { technique, pattern }]);
  }

  const techniques: AttackTechnique[] = [];
  for (const [id, candidates] of byId) {
    const [best] = [...candidates].sort(preferLive) as [Candidate];
    if (candidates.length > 1) {
      const stixIds = candidates.map((candidate) => candidate.pattern.id).join(', ');
      report(`${id} is used by ${candidates.length} attack-patterns (${stixIds}); kept ${best.pattern.id}`, 'warning');
    }
    const replacement = best.technique.revoked ? attackIdOf.get(revokedBy.get(best.pattern.id) ?? '') : undefined;
    if (replacement !== undefined && replacement !== id) best.technique.revokedBy = replacement;
    techniques.push(best.technique);
  }
  return techniques.sort((a, b) => compareIds(a.id, b.id));
}

/** Live beats deprecated beats revoked; among equals the most recently modified wins. */
function preferLive(a: Candidate, b: Candidate): number {
  const rank = (t: AttackTechnique) => (t.revoked ? 2 : t.deprecated ? 1 : 0);
  return rank(a.technique) - rank(b.technique) || compareIds(b.pattern.modified ?? '', a.pattern.modified ?? '') || compareIds(a.pattern.id, b.pattern.id);
}

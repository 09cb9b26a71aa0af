/**
 * The technique and tactic lists: the ATT&CK bundle where it knows an id, the Atomic folders
 * and rule tags where it does not. Unknown ids or tactics get an entry rather than a crash,
 * so every link the site makes has a page behind it.
 */
import type { AttackData } from '../attack/types.ts';
import { ENTERPRISE_TACTICS, NEWER_TACTICS, tacticNameFromId } from '../attack/tactics.ts';
import { attackTechniqueUrl, parentTechnique } from '../attack/technique-id.ts';
import type { AtomicTechnique } from '../atomic/load.ts';
import { compareStrings } from '../order.ts';
import type { CatalogTactic, CatalogTechnique, TechniqueStates } from './types.ts';
import { tacticUrl, techniqueUrl } from './urls.ts';

export interface TechniqueInputs {
  attack?: AttackData;
  atomics: AtomicTechnique[];
  /** Technique ids and tactics from rule tags, one entry per rule. */
  ruleTags: { techniques: string[]; tactics: string[] }[];
}

/** Techniques without cross-references (rules/tests filled in by the linker), sorted by id. */
export function buildTechniques({ attack, atomics, ruleTags }: TechniqueInputs): CatalogTechnique[] {
  const byId = new Map<string, CatalogTechnique>();
  const blank = (id: string, source: CatalogTechnique['source']): CatalogTechnique => ({
    id,
    name: id,
    tactics: [],
    platforms: [],
    subtechniques: [],
    rules: [],
    referencingRules: [],
    tests: [],
    deprecated: false,
    revoked: false,
    source,
    url: techniqueUrl(id),
  });
  for (const t of attack?.techniques ?? []) {
    byId.set(t.id, {
      ...blank(t.id, 'attack'),
      name: t.name,
      description: t.description,
      tactics: [...t.tactics],
      platforms: [...t.platforms].sort(),
      attackUrl: t.url,
      deprecated: t.deprecated,
      revoked: t.revoked,
      ...(t.revokedBy !== undefined && { revokedBy: t.revokedBy }),
    });
  }
  for (const a of atomics) {
    const known = byId.get(a.id);
    if (known) {
      known.description ??= a.description;
      continue;
    }
    const entry = { ...blank(a.id, 'atomic'), name: a.name || a.id, description: a.description };
    entry.platforms = [...new Set(a.tests.flatMap((t) => t.platforms))].sort();
    entry.attackUrl = attackTechniqueUrl(a.id);
    byId.set(a.id, entry);
  }
  for (const { techniques } of ruleTags) for (const id of techniques) if (!byId.has(id)) byId.set(id, blank(id, 'tag'));
  const placement = placeByRuleTags(ruleTags, (id) => {
    const t = byId.get(id);
    return t?.source === 'attack' ? t.tactics : undefined;
  });
  for (const id of [...byId.keys()]) {
    const parent = parentTechnique(id);
    if (parent && !byId.has(parent)) byId.set(parent, blank(parent, 'tag'));
  }
  const bundleTactics = new Set(attack?.tactics.map((t) => t.id));
  for (const t of byId.values()) {
    const placed = placement.get(t.id);
    if (t.source !== 'attack') {
      // Not in the bundle: its tactics are those its rules' tags state unambiguously.
      t.tactics = placed?.unambiguous ?? [];
      if (t.tactics.length > 0) t.tacticsFromRules = [...t.tactics];
    } else if (placed) {
      // A tactic newer than the bundle (Stealth) holds the bundle techniques of the tactic it was
      // split from (Defense Evasion) that rules tag with it.
      const extra = placed.split.filter((id) => !bundleTactics.has(id) && t.tactics.includes(SPLIT_FROM.get(id)!) && !t.tactics.includes(id));
      if (extra.length > 0) {
        t.tactics.push(...extra);
        t.tacticsFromRules = extra;
      }
    }
    const parent = parentTechnique(t.id);
    if (parent) {
      t.parent = parent;
      byId.get(parent)!.subtechniques.push(t.id);
    }
  }
  resolveRevocations(byId);
  const techniques = [...byId.values()].sort((a, b) => compareStrings(a.id, b.id));
  techniques.forEach((t) => t.subtechniques.sort(compareStrings));
  return techniques;
}

const SPLIT_FROM = new Map(NEWER_TACTICS.map((t) => [t.id, t.splitFrom]));

interface Placement {
  /** Tactics the tags of some rule give this technique unambiguously (see `placeByRuleTags`). */
  unambiguous: string[];
  /** Newer-than-bundle tactics (Stealth …) named by any rule tagging the technique. */
  split: string[];
}

/**
 * Where rule tags place techniques the bundle does not know. A rule's tags list tactics and
 * techniques without saying which goes with which, so co-occurrence alone places nothing. Per
 * rule, the tactics its bundle techniques hold in the bundle are explained by them (not the
 * tactics newer than the bundle: those are where the newer techniques live); what is left belongs
 * to its other techniques, and is placed only when it is unambiguous: exactly one tactic left.
 */
function placeByRuleTags(
  ruleTags: TechniqueInputs['ruleTags'],
  /** A technique's tactics in the bundle; undefined when the bundle does not know it. */
  bundleTacticsOf: (id: string) => string[] | undefined,
): Map<string, Placement> {
  const placed = new Map<string, Set<string>>();
  const split = new Map<string, Set<string>>();
  const add = (map: Map<string, Set<string>>, id: string, tactic: string) => (map.get(id) ?? map.set(id, new Set()).get(id)!).add(tactic);
  for (const { techniques, tactics } of ruleTags) {
    const explained = new Set<string>();
    const unknown: string[] = [];
    for (const id of techniques) {
      const held = bundleTacticsOf(id);
      if (held === undefined) unknown.push(id);
      else held.forEach((t) => explained.add(t));
      for (const t of tactics) if (SPLIT_FROM.has(t)) add(split, id, t);
    }
    const left = tactics.filter((t) => !explained.has(t));
    // Two tactics left say nothing about which technique each belongs to, even with one technique
    // left: a rule tagged execution + defense-impairment + T1685 does not put T1685 in Execution.
    if (left.length !== 1) continue;
    for (const id of unknown) for (const t of left) add(placed, id, t);
  }
  const out = new Map<string, Placement>();
  for (const id of new Set([...placed.keys(), ...split.keys()])) {
    out.set(id, { unambiguous: [...(placed.get(id) ?? [])].sort(compareStrings), split: [...(split.get(id) ?? [])].sort(compareStrings) });
  }
  return out;
}

/** A replacement that was itself revoked leads on to its own replacement; a loop or a missing one leads nowhere. */
function resolveRevocations(byId: Map<string, CatalogTechnique>): void {
  for (const t of byId.values()) {
    if (t.revokedBy === undefined) continue;
    const visited = new Set([t.id]);
    let target: CatalogTechnique | undefined = byId.get(t.revokedBy);
    while (target?.revokedBy !== undefined && !visited.has(target.id)) {
      visited.add(target.id);
      target = byId.get(target.revokedBy);
    }
    if (target && !target.revoked && !visited.has(target.id)) t.revokedBy = target.id;
    else delete t.revokedBy;
  }
}

/** Tactics in matrix order: the bundle's, then the built-in tables, then any others seen in tags. */
export function buildTactics(attack: AttackData | undefined, seen: Iterable<string>): CatalogTactic[] {
  const byId = new Map<string, CatalogTactic>();
  const add = (id: string, name: string, order: number, source: CatalogTactic['source'], externalId?: string) => {
    if (!byId.has(id)) byId.set(id, { id, name, order, externalId, source, techniques: [], rules: [], url: tacticUrl(id) });
  };
  // Only the bundle vouches for an ATT&CK id when there is one; the built-in v18 table otherwise.
  for (const t of attack?.tactics ?? []) add(t.id, t.name, t.order, 'attack', t.externalId);
  for (const t of ENTERPRISE_TACTICS) add(t.id, t.name, attack ? 1000 + t.order : t.order, 'builtin', attack ? undefined : t.externalId);
  for (const t of NEWER_TACTICS) add(t.id, t.name, (byId.get(t.after)?.order ?? 1500) + 0.1, 'builtin');
  for (const id of seen) add(id, tacticNameFromId(id), 2000, 'tag');
  // No two tactics share an ATT&CK id: a bundle naming one id twice keeps it on the first in matrix order.
  const claimed = new Set<string>();
  for (const t of [...byId.values()].sort((a, b) => a.order - b.order)) {
    if (t.externalId === undefined) continue;
    if (claimed.has(t.externalId)) delete t.externalId;
    else claimed.add(t.externalId);
  }
  const tactics = [...byId.values()].sort((a, b) => a.order - b.order || compareStrings(a.id, b.id));
  tactics.forEach((t, i) => (t.order = i));
  return tactics;
}

/** Active, revoked and deprecated techniques counted apart; with a bundle, the active ones it lacks. */
export function techniqueStates(techniques: readonly CatalogTechnique[], withBundle: boolean): TechniqueStates {
  const states: TechniqueStates = { active: 0, revoked: 0, deprecated: 0, notInBundle: 0 };
  for (const t of techniques) {
    if (t.revoked) states.revoked++;
    else if (t.deprecated) states.deprecated++;
    else {
      states.active++;
      if (withBundle && t.source !== 'attack') states.notInBundle++;
    }
  }
  return states;
}

/**
 * The technique and tactic lists: the ATT&CK bundle where it knows an id, the Atomic folders
 * and rule tags where it does not. Unknown ids or tactics get an entry rather than a crash,
 * so every link the site makes has a page behind it.
 */
import type { AttackData } from '../attack/types.ts';
import { ENTERPRISE_TACTICS, NEWER_TACTICS, tacticNameFromId } from '../attack/tactics.ts';
import { parentTechnique } from '../attack/technique-id.ts';
import type { AtomicTechnique } from '../atomic/load.ts';
import { compareStrings } from '../order.ts';
import type { CatalogTactic, CatalogTechnique } from './types.ts';

export interface TechniqueInputs {
  attack?: AttackData;
  atomics: AtomicTechnique[];
  /** Technique ids and tactics from rule tags, one entry per rule. */
  ruleTags: { techniques: string[]; tactics: string[] }[];
}

export function techniqueUrl(id: string): string {
  return `/techniques/${id}/`;
}

export function tacticUrl(id: string): string {
  return `/tactics/${id}/`;
}

/** Techniques without cross-references (rules/tests filled in by the linker), sorted by id. */
export function buildTechniques({ attack, atomics, ruleTags }: TechniqueInputs): CatalogTechnique[] {
  const byId = new Map<string, CatalogTechnique>();
  const blank = (id: string, source: CatalogTechnique['source']): CatalogTechnique => ({
    id, name: id, tactics: [], platforms: [], subtechniques: [], rules: [], referencingRules: [], tests: [],
    deprecated: false, revoked: false, source, url: techniqueUrl(id),
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
    entry.attackUrl = `https://attack.mitre.org/techniques/${a.id.replace('.', '/')}/`;
    byId.set(a.id, entry);
  }
  // Without the bundle a technique's tactics are those its rules are tagged with.
  const tagTactics = new Map<string, Set<string>>();
  for (const { techniques, tactics } of ruleTags) {
    for (const id of techniques) {
      if (!byId.has(id)) byId.set(id, blank(id, 'tag'));
      const set = tagTactics.get(id) ?? new Set<string>();
      tactics.forEach((t) => set.add(t));
      tagTactics.set(id, set);
    }
  }
  for (const id of [...byId.keys()]) {
    const parent = parentTechnique(id);
    if (parent && !byId.has(parent)) byId.set(parent, blank(parent, 'tag'));
  }
  for (const t of byId.values()) {
    if (t.source !== 'attack' && t.tactics.length === 0) t.tactics = [...(tagTactics.get(t.id) ?? [])];
    const parent = parentTechnique(t.id);
    if (parent) {
      t.parent = parent;
      byId.get(parent)!.subtechniques.push(t.id);
    }
  }
  const techniques = [...byId.values()].sort((a, b) => compareStrings(a.id, b.id));
  techniques.forEach((t) => t.subtechniques.sort(compareStrings));
  return techniques;
}

/** Tactics in matrix order: the bundle's, then the built-in tables, then any others seen in tags. */
export function buildTactics(attack: AttackData | undefined, seen: Iterable<string>): CatalogTactic[] {
  const byId = new Map<string, CatalogTactic>();
  const add = (id: string, name: string, order: number, externalId?: string) => {
    if (!byId.has(id)) byId.set(id, { id, name, order, externalId, techniques: [], rules: [], url: tacticUrl(id) });
  };
  for (const t of attack?.tactics ?? []) add(t.id, t.name, t.order, t.externalId);
  for (const t of ENTERPRISE_TACTICS) add(t.id, t.name, attack ? 1000 + t.order : t.order, t.externalId);
  for (const t of NEWER_TACTICS) add(t.id, t.name, (byId.get(t.after)?.order ?? 1500) + 0.1, t.externalId);
  for (const id of seen) add(id, tacticNameFromId(id), 2000);
  const tactics = [...byId.values()].sort((a, b) => a.order - b.order || compareStrings(a.id, b.id));
  tactics.forEach((t, i) => (t.order = i));
  return tactics;
}

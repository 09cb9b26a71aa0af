/**
 * Tactics without a bundle: the Enterprise matrix as a built-in table, plus the rules for
 * tactics nobody has heard of yet. The corpus is ahead of the bundle (Sigma already tags
 * `attack.stealth` and `attack.defense-impairment`, which ATT&CK v18.1 does not have), so an
 * unknown tactic is ordinary data: it gets a readable name and sorts after the known ones.
 */
import { compareIds } from './technique-id.ts';
import type { AttackTactic } from './types.ts';

const t = (order: number, id: string, name: string, externalId: string): AttackTactic => ({
  id,
  name,
  externalId,
  order,
});

/** The 14 Enterprise tactics in matrix order (ATT&CK v18). */
export const ENTERPRISE_TACTICS: readonly AttackTactic[] = Object.freeze([
  t(0, 'reconnaissance', 'Reconnaissance', 'TA0043'),
  t(1, 'resource-development', 'Resource Development', 'TA0042'),
  t(2, 'initial-access', 'Initial Access', 'TA0001'),
  t(3, 'execution', 'Execution', 'TA0002'),
  t(4, 'persistence', 'Persistence', 'TA0003'),
  t(5, 'privilege-escalation', 'Privilege Escalation', 'TA0004'),
  t(6, 'defense-evasion', 'Defense Evasion', 'TA0005'),
  t(7, 'credential-access', 'Credential Access', 'TA0006'),
  t(8, 'discovery', 'Discovery', 'TA0007'),
  t(9, 'lateral-movement', 'Lateral Movement', 'TA0008'),
  t(10, 'collection', 'Collection', 'TA0009'),
  t(11, 'command-and-control', 'Command and Control', 'TA0011'),
  t(12, 'exfiltration', 'Exfiltration', 'TA0010'),
  t(13, 'impact', 'Impact', 'TA0040'),
]);

/**
 * Tactics newer than the bundle that the corpus already uses: ATT&CK v19 split Defense Evasion
 * into Stealth and Defense Impairment. No ATT&CK id is given here: only a bundle that defines a
 * tactic can say which id it has, so a column never claims an id the bundle gives another tactic.
 * `splitFrom`: the bundle tactic they came from; a technique the bundle files under it goes
 * under them too when a rule tags it together with them. Placed right after the tactic in `after`.
 */
export const NEWER_TACTICS: readonly (Omit<AttackTactic, 'externalId'> & { after: string; splitFrom: string })[] = Object.freeze([
  { id: 'stealth', name: 'Stealth', order: 0, after: 'defense-evasion', splitFrom: 'defense-evasion' },
  { id: 'defense-impairment', name: 'Defense Impairment', order: 0, after: 'stealth', splitFrom: 'defense-evasion' },
]);

/** A tactic short name: lower-case words joined by single hyphens. */
const SHORTNAME_PATTERN = /^[a-z]+(?:-[a-z]+)*$/;

/** Whether a short name (from a tag, a bundle or a kill-chain phase) is well-formed: it names a page. */
export function isTacticId(id: string): boolean {
  return SHORTNAME_PATTERN.test(id);
}

/**
 * `attack.credential-access` → `credential-access`. Old Sigma rules write
 * `attack.defense_evasion`, so underscores count as hyphens. Technique, group and software
 * tags (`attack.t1003`, `attack.g0016`, `attack.s0002`) and non-ATT&CK tags give undefined.
 * A well-formed tactic that is not in any table (`attack.stealth`) is still returned:
 * whether it is known is the caller's question (see `orderTactics`).
 */
export function tacticFromTag(tag: string): string | undefined {
  const match = /^attack\.(.+)$/i.exec(tag.trim());
  if (!match) return undefined;
  const name = match[1]!.toLowerCase().replace(/_/g, '-');
  return SHORTNAME_PATTERN.test(name) ? name : undefined;
}

const SMALL_WORDS = new Set(['and', 'of', 'the', 'or']);

/** `defense-impairment` → `Defense Impairment`: a readable name for a tactic no table knows. */
export function tacticNameFromId(id: string): string {
  return id
    .split('-')
    .map((word, i) => (i > 0 && SMALL_WORDS.has(word) ? word : word.charAt(0).toUpperCase() + word.slice(1)))
    .join(' ');
}

/**
 * The tactics for a set of short names, each once, in matrix order. Names missing from
 * `known` (the bundle's tactics or the fallback table) follow every known tactic,
 * alphabetically, with orders continuing after the last known one.
 */
export function orderTactics(ids: Iterable<string>, known: readonly AttackTactic[] = ENTERPRISE_TACTICS): AttackTactic[] {
  const byId = new Map(known.map((tactic) => [tactic.id, tactic]));
  const unique = [...new Set(ids)];
  const found = unique
    .flatMap((id) => {
      const tactic = byId.get(id);
      return tactic ? [tactic] : [];
    })
    .sort((a, b) => a.order - b.order);
  const next = known.reduce((max, tactic) => Math.max(max, tactic.order + 1), 0);
  const unknown = unique
    .filter((id) => !byId.has(id))
    .sort(compareIds)
    .map((id, i): AttackTactic => ({ id, name: tacticNameFromId(id), order: next + i }));
  return [...found.map((tactic) => ({ ...tactic })), ...unknown];
}

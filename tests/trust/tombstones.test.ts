import { describe, expect, it } from 'vitest';
import { fileSegment, redirects } from '../../src/lib/trust/redirects.ts';
import { replacedBy, tombstones } from '../../src/lib/trust/tombstones.ts';
import type { Changes } from '../../src/lib/changes/types.ts';
import { catalog, rule } from '../catalog/entities.ts';

const NEW = '1c67a717-32ba-409b-a45d-0fb704a73a81';
const OLD = 'e2b1c7a0-3f4d-4e5a-9b8c-7d6e5f4a3b21';
const GONE = 'a1a1a1a1-2222-4333-8444-555566667777';
const ANCIENT = 'f00dbabe-3333-4444-8555-666677778888';

// The replacement names the old rule (`obsolete`), as SigmaHQ does; the catalog links both sides.
const rules = [
  rule(NEW, {
    path: 'rules/windows/proc_creation_win_net_use.yml',
    related: [
      { id: OLD, type: 'obsolete', slug: OLD },
      { id: GONE, type: 'merged' },
      { id: ANCIENT, type: 'renamed' },
    ],
    relatedFrom: [
      { id: 'unsup', type: 'derived', slug: 'unsup' },
      { id: 'lonely', type: 'similar', slug: 'lonely' },
    ],
  }),
  rule(OLD, {
    path: 'deprecated/windows/proc_creation_win_net_use.yml',
    collection: 'deprecated',
    status: 'deprecated',
    active: false,
    relatedFrom: [{ id: NEW, type: 'obsolete', slug: NEW }],
  }),
  // An unsupported rule that names its successor itself (`derived` from a live rule).
  rule('unsup', { id: 'unsup', collection: 'unsupported', status: 'unsupported', active: false, related: [{ id: NEW, type: 'derived', slug: NEW }] }),
  // Only similar: no replacement.
  rule('lonely', { id: 'lonely', status: 'deprecated', active: false, related: [{ id: NEW, type: 'similar', slug: NEW }] }),
];
const changes = {
  rules: {
    added: [],
    modified: [],
    deprecated: [],
    removed: [
      { id: GONE, slug: GONE, title: 'Gone rule', path: 'rules/windows/proc_creation_win_vssadmin.yml', collection: 'rules' },
      // Its slug is a live rule's again: that page is the permalink.
      { id: 'lonely', slug: 'lonely', title: 'Lonely', path: 'rules/x.yml', collection: 'rules' },
    ],
  },
} as unknown as Changes;
const c = catalog({ rules, changes });
const graves = tombstones(c);

describe('tombstones', () => {
  it('keeps deprecated, unsupported and removed rules, each with what replaced it', () => {
    expect(graves.map((t) => [t.slug, t.reason, t.replacements.map((r) => [r.slug, r.type, r.via])])).toEqual([
      [GONE, 'removed', [[NEW, 'merged', 'names-it']]],
      [OLD, 'deprecated', [[NEW, 'obsolete', 'names-it']]],
      ['lonely', 'deprecated', []],
      ['unsup', 'unsupported', [[NEW, 'derived', 'named']]],
    ]);
    expect(graves.find((t) => t.slug === GONE)).toMatchObject({ url: `/rules/${GONE}/`, title: 'Gone rule' });
  });

  it('skips removed rules without changes data', () => {
    expect(tombstones(catalog({ rules })).map((t) => t.reason)).not.toContain('removed');
  });

  it('lists on a rule page the rules it replaced, from both sides', () => {
    const bySlug = new Map(rules.map((r) => [r.slug, r]));
    const removed = new Map(graves.filter((t) => t.reason === 'removed').map((t) => [t.id, t]));
    expect(replacedBy(rules[0]!, (s) => bySlug.get(s), removed)).toEqual([
      { id: OLD, type: 'obsolete', slug: OLD, title: `Rule ${OLD}`, reason: 'deprecated' },
      { id: GONE, type: 'merged', slug: GONE, title: 'Gone rule', reason: 'removed' },
      { id: ANCIENT, type: 'renamed' },
      // The unsupported rule names this one as what it was derived from: it retired in its favour.
      { id: 'unsup', type: 'derived', slug: 'unsup', title: 'Rule unsup', reason: 'unsupported' },
    ]);
  });
});

describe('redirects', () => {
  const all = redirects(rules, graves);
  const to = (from: string) => all.find((r) => r.from === from);

  it('old file-name URLs lead to the permalink, the active rule first when two files share a name', () => {
    expect(fileSegment('rules/windows/Proc_Creation_Win_Net_Use.yaml')).toBe('proc_creation_win_net_use');
    expect(to('/rules/file/proc_creation_win_net_use/')).toEqual({ from: '/rules/file/proc_creation_win_net_use/', to: `/rules/${NEW}/`, reason: 'file-name' });
    expect(to('/rules/file/proc_creation_win_vssadmin/')?.to).toBe(`/rules/${GONE}/`);
  });

  it('no redirect for an id in another letter case (it would clash on case-insensitive disks)', () => {
    expect(to(`/rules/${NEW.toUpperCase()}/`)).toBeUndefined();
  });

  it('ids of rules no longer anywhere lead to the rule that took over', () => {
    expect(to(`/rules/${ANCIENT}/`)).toEqual({ from: `/rules/${ANCIENT}/`, to: `/rules/${NEW}/`, reason: 'replaced-id' });
    // A removed rule has its tombstone page: no redirect over it.
    expect(to(`/rules/${GONE}/`)).toBeUndefined();
  });

  it("a rule's old slugs lead to its page, before what another rule says of the id; never from a page, never to a missing one", () => {
    const moved = [
      { from: ANCIENT, to: OLD }, // the rule's own history wins over NEW's `renamed`
      { from: 'older', to: GONE }, // to a tombstone
      { from: 'lonely', to: NEW }, // a page: not redirected
      { from: 'nowhere', to: 'missing' },
    ];
    const withMoves = redirects(rules, graves, moved).filter((r) => r.reason === 'moved' || r.from === `/rules/${ANCIENT}/`);
    expect(withMoves).toEqual([
      { from: `/rules/${ANCIENT}/`, to: `/rules/${OLD}/`, reason: 'moved' },
      { from: '/rules/older/', to: `/rules/${GONE}/`, reason: 'moved' },
    ]);
    // A removed rule's old address leads to the live rule that replaced that id, not to the tombstone.
    expect(redirects(rules, graves, [{ from: ANCIENT, to: GONE }]).find((r) => r.from === `/rules/${ANCIENT}/`)).toEqual({
      from: `/rules/${ANCIENT}/`,
      to: `/rules/${NEW}/`,
      reason: 'replaced-id',
    });
  });

  it('never shadows a page and never repeats a path', () => {
    const pages = new Set([...rules.map((r) => r.url), ...graves.map((t) => t.url)]);
    expect(all.filter((r) => pages.has(r.from))).toEqual([]);
    expect(new Set(all.map((r) => r.from)).size).toBe(all.length);
  });
});

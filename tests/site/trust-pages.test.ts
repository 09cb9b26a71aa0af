/** The fixture site's trust pages: confidence badges and legend, reference health, gaps, tombstones and redirects. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixtureSite } from './fixture-site.ts';

let dir = '';
const page = (url: string) => readFileSync(path.join(dir, url, 'index.html'), 'utf8');
const ENTITIES: Record<string, string> = { '&quot;': '"', '&#39;': "'", '&lt;': '<', '&gt;': '>', '&amp;': '&' };
const text = (url: string) =>
  page(url)
    .replace(/<[^>]+>/g, ' ')
    .replace(/&(?:quot|#39|lt|gt|amp);/g, (e) => ENTITIES[e]!)
    .replace(/\s+/g, ' ');

const NET = '1c67a717-32ba-409b-a45d-0fb704a73a81';
const OLD_NET = 'e2b1c7a0-3f4d-4e5a-9b8c-7d6e5f4a3b21';
const VSS = 'b7c6d5e4-1111-4c2d-9e8f-a0b1c2d3e4f5';
const REMOVED = 'a1a1a1a1-2222-4333-8444-555566667777';

beforeAll(async () => {
  dir = (await fixtureSite()).dir;
});

describe('confidence tiers on the pages', () => {
  it('shows the same badge on rule, test and technique pages, with a legend page', () => {
    const badge = /<td><span class="tier tier-2">test ref<\/span><\/td>/;
    expect(page(`/rules/${NET}/`)).toMatch(badge);
    expect(page('/tests/0940a971-809a-48f1-9c4d-b1d785e96ee5/')).toMatch(badge);
    expect(page('/techniques/T1049/')).toMatch(badge);
    expect(page(`/rules/${NET}/`)).toContain(
      '<abbr title="The rule references this Atomic test explicitly (a link to the test)."><span class="tier tier-2">test ref</span></abbr>',
    );
    const legend = text('/confidence/');
    expect(legend).toContain('2 test ref The rule references this Atomic test explicitly');
    expect(legend).toContain("5 tag only The rule and the test only share an ATT&CK technique tag, on a platform the rule's log source can see. 3 5");
    expect(legend).toContain(
      "6 other platform Same technique (tag or technique reference), but the rule's log source cannot see the test's platforms: not coverage. 2 0",
    );
    expect(page('/confidence/')).toContain('id="tier-3"');
  });

  it('lists the tests of a rule by tier, the predicted ones with why', () => {
    const html = text(`/rules/${VSS}/`);
    expect(html).toMatch(
      /test ref T1490 #1 Windows - Delete Volume Shadow Copies .* predicted T1490 #2 Windows - Delete Volume Shadow Copies via WMI condition "selection" held on cmd.exe \/c line 1: wmic.exe shadowcopy delete/,
    );
    expect(text(`/rules/d0d0d0d0-1111-4222-8333-444455556666-lsass-access/`)).toContain(
      'technique ref 1 test of T1003.001 : the rule references its Atomic page #3 Dump LSASS.exe Memory using Windows Task Manager',
    );
    // The other T1049 test runs on Linux and macOS: a separate group, not a tag-only link of this Windows rule.
    const net = text(`/rules/${NET}/`);
    expect(net).not.toContain('tag only 1 test of T1049');
    expect(net).toContain('Same technique, other platform (1)');
    expect(net).toContain('other platform 1 test of T1049 #4 System Network Connections Discovery via ss or lsof (Linux/MacOS) Linux, macOS');
  });

  it('lists the rules of a test by tier and says how well it is covered', () => {
    expect(text('/tests/c1d2e3f4-0002-4a5b-8c6d-7e8f9a0b1c2d/')).toContain('Covered by prediction');
    expect(text('/tests/f7e6d5c4-b3a2-4190-8f7e-6d5c4b3a2918/')).toContain("Covered: 1 active rule references its technique's Atomic page");
    expect(text('/tests/c1d2e3f4-0003-4a5b-8c6d-7e8f9a0b1c2d/')).toContain('No rule covers this test');
  });
});

describe('reference health', () => {
  it('flags the renumbered reference with its fix, on the health page and the rule page', () => {
    const health = text('/reference-health/');
    expect(health).toContain('renumbered: number and name point at different tests 1');
    expect(health).toContain(
      'the anchor names "Windows - Delete Volume Shadow Copies", now #1; its number #2 is now "Windows - Delete Volume Shadow Copies via WMI"',
    );
    expect(health).toContain(
      'https://github.com/redcanaryco/atomic-red-team/blob/master/atomics/T1490/T1490.md#atomic-test-1-windows---delete-volume-shadow-copies',
    );
    expect(health).toContain('T1562.001 has no Atomic folder any more');
    const rule = text(`/rules/${VSS}/`);
    expect(rule).toContain('renumbered the anchor names');
    expect(rule).toContain(
      'Fix: use https://github.com/redcanaryco/atomic-red-team/blob/master/atomics/T1490/T1490.md#atomic-test-1-windows---delete-volume-shadow-copies',
    );
    expect(text(`/rules/${NET}/`)).toContain('resolved by name');
  });
});

describe('gap pages', () => {
  it('are linked from the home page with counts, per tactic and per platform', () => {
    const home = page('/');
    expect(home).toContain('href="/gaps/techniques/"><strong>1</strong> techniques with Atomic tests but no linked or predicted rule</a>');
    expect(home).toContain('href="/reference-health/"><strong>2</strong> suspicious Atomic references</a>');
    expect(text('/gaps/')).toContain('Defense Evasion 1 / 1 1 / 1 0 / 1');
    expect(text('/gaps/techniques/')).toContain('T1218.011 Rundll32');
    expect(text('/gaps/tests/platform/linux/')).toContain('T1049 #4 System Network Connections Discovery via ss or lsof (Linux/MacOS)');
    expect(text('/gaps/rules/tactic/credential-access/')).toContain('Mimikatz Keywords In Auditd Logs');
  });
});

describe('tombstones and redirects', () => {
  it('a deprecated rule points to its replacement, which lists what it replaced', () => {
    expect(text(`/rules/${OLD_NET}/`)).toContain(
      'This rule is deprecated : it is kept for reference and does not count towards coverage or indicator counts. Replaced by: System Network Connections Discovery Via Net.EXE (its related list names this rule as obsolete)',
    );
    expect(page(`/rules/${OLD_NET}/`)).toContain(`<a href="/rules/${NET}/">System Network Connections Discovery Via Net.EXE</a>`);
    expect(text(`/rules/${NET}/`)).toContain('Replaces: Net.EXE Execution (Old Version) (obsolete, deprecated)');
  });

  it('a removed rule keeps its permalink as a tombstone, out of the search index', () => {
    const html = page(`/rules/${REMOVED}/`);
    expect(text(`/rules/${REMOVED}/`)).toContain(
      'This rule is removed : it is no longer in the rule repository; this page keeps its address. Replaced by: Shadow Copies Deletion Using Operating Systems Utilities',
    );
    expect(html).not.toContain('data-pagefind-body');
    // The rule naming it links the tombstone from its related list.
    expect(text(`/rules/${VSS}/`)).toContain('merged: Shadow Copy Deletion Via Vssadmin (Old) (removed)');
    expect(page(`/rules/${VSS}/`)).toContain(`<a href="/rules/${REMOVED}/">Shadow Copy Deletion Via Vssadmin (Old)</a>`);
  });

  it('old file names and other forms of ids are static redirect pages', () => {
    const redirect = (from: string, to: string) => {
      const html = page(from);
      expect(html, from).toContain(`<meta http-equiv="refresh" content="0; url=${to}">`);
      expect(html, from).toContain(`<link rel="canonical" href="${to}">`);
      expect(html, from).not.toContain('<script');
      expect(statSync(path.join(dir, from, 'index.html')).size).toBeLessThan(1000);
    };
    redirect('/rules/file/proc_creation_win_net_use_network_connections_discovery/', `/rules/${NET}/`);
    redirect('/rules/file/proc_creation_win_vssadmin_delete_shadows/', `/rules/${REMOVED}/`);
    redirect('/rules/f00dbabe-3333-4444-8555-666677778888/', `/rules/${VSS}/`);
    expect(existsSync(path.join(dir, 'rules/file/index.html'))).toBe(false);
  });
});

describe('technique pages', () => {
  it("a parent's rule list says it holds its sub-techniques' rules; a sub-technique's does not", () => {
    expect(page('/techniques/T1059/')).toMatch(/<h2 id="rules">Rules tagged with T1059 or its sub-techniques \(\d+\)<\/h2>/);
    expect(page('/techniques/T1059.001/')).toMatch(/<h2 id="rules">Rules tagged with T1059\.001 \(\d+\)<\/h2>/);
  });
});

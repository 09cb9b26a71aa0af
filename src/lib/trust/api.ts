/**
 * The trust data in `api/`: links.json (every rule ↔ test and rule ↔ technique link with its
 * confidence tier), reference-health.json, gaps.json, tombstones.json and redirects.json.
 * Long lists are written one entry per line: diffable, and a fraction of the indented size.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { countByTier, TIERS } from './confidence.ts';
import { PROBLEMS, RESOLVED_BY } from './health.ts';
import type { Trust } from './analyze.ts';

/** Pretty JSON whose array values under `rows` keys hold one compact entry per line. */
export function jsonWithRows(value: Record<string, unknown>, rows: readonly string[]): string {
  const entries = Object.entries(value).map(([key, v]) => {
    const text =
      rows.includes(key) && Array.isArray(v)
        ? v.length
          ? `[\n${v.map((item) => `    ${JSON.stringify(item)}`).join(',\n')}\n  ]`
          : '[]'
        : JSON.stringify(v, null, 2).replace(/\n/g, '\n  ');
    return `  ${JSON.stringify(key)}: ${text}`;
  });
  return `{\n${entries.join(',\n')}\n}\n`;
}

export function healthCounts(references: Trust['references']) {
  const resolvedBy = Object.fromEntries(RESOLVED_BY.map((k) => [k, references.filter((r) => r.resolvedBy === k).length]));
  const problems = Object.fromEntries(PROBLEMS.map((k) => [k, references.filter((r) => r.problem === k).length]));
  return { references: references.length, resolvedBy, problems, fixes: references.filter((r) => r.problem && r.fix).length };
}

function trustFiles(trust: Trust): [string, string][] {
  const { gaps } = trust;
  return [
    [
      'links.json',
      jsonWithRows(
        {
          tiers: TIERS,
          counts: { tests: countByTier(trust.testLinks), techniques: countByTier(trust.techniqueLinks) },
          techniques: trust.techniqueLinks,
          tests: trust.testLinks,
        },
        ['techniques', 'tests'],
      ),
    ],
    ['reference-health.json', jsonWithRows({ counts: healthCounts(trust.references), references: trust.references }, ['references'])],
    [
      'gaps.json',
      `${JSON.stringify(
        {
          counts: {
            techniques: { gaps: gaps.techniques.items.length, untagged: gaps.techniques.untagged.length, of: gaps.techniques.total },
            tests: { gaps: gaps.tests.items.length, noRuleAtAll: gaps.tests.noRuleAtAll.length, of: gaps.tests.total },
            rules: { gaps: gaps.rules.items.length, noTestAtAll: gaps.rules.noTestAtAll.length, of: gaps.rules.total },
          },
          ...gaps,
        },
        null,
        2,
      )}\n`,
    ],
    ['tombstones.json', jsonWithRows({ tombstones: trust.tombstones }, ['tombstones'])],
    ['redirects.json', jsonWithRows({ redirects: trust.redirects }, ['redirects'])],
  ];
}

/** Writes the trust files into an `api/` folder; returns their names. */
export async function writeTrustApi(trust: Trust, apiDir: string): Promise<string[]> {
  const files = trustFiles(trust);
  await Promise.all(files.map(([name, text]) => writeFile(path.join(apiDir, name), text)));
  return files.map(([name]) => name);
}

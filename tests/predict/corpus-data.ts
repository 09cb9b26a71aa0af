/**
 * Minimal catalog objects built straight from the corpus YAML, for the full-corpus evaluation
 * (independent of the catalog builder): rules with parsed detections, tests with resolved commands.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { SIGMA_YAML_SCHEMA } from '../../src/lib/sigma/yaml-schema.ts';
import type { CatalogRule, CatalogTest } from '../../src/lib/catalog/types.ts';
import { parseDetection } from '../../src/lib/sigma/detection.ts';
import { substituteArguments } from '../../src/lib/atomic/arguments.ts';

function walk(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(p, out);
    else if (/\.ya?ml$/.test(entry.name)) out.push(p);
  }
  return out;
}

const INACTIVE = new Set(['deprecated', 'unsupported']);

export function loadCorpusRules(root: string): CatalogRule[] {
  const rules: CatalogRule[] = [];
  const slugs = new Set<string>();
  for (const file of walk(root)) {
    const rel = path.relative(root, file).split(path.sep).join('/');
    let docs: unknown[];
    try {
      docs = yaml.loadAll(readFileSync(file, 'utf8'), undefined, { schema: SIGMA_YAML_SCHEMA });
    } catch {
      continue;
    }
    docs.forEach((doc, index) => {
      if (!doc || typeof doc !== 'object') return;
      const d = doc as Record<string, unknown>;
      if (!d['detection'] || typeof d['detection'] !== 'object') return;
      const { detection } = parseDetection(d['detection'] as Record<string, unknown>, rel);
      const id = typeof d['id'] === 'string' ? d['id'] : '';
      let slug = id || `${rel}#${index}`;
      while (slugs.has(slug)) slug = `${slug}-${index}`;
      slugs.add(slug);
      const collection = rel.split('/')[0]!.replace(/^rules-?/, '') || 'rules';
      const status = typeof d['status'] === 'string' ? d['status'] : undefined;
      rules.push({
        id, slug, kind: 'rule', title: String(d['title'] ?? ''), path: rel, document: index, collection, status,
        level: typeof d['level'] === 'string' ? d['level'] : undefined,
        references: [], falsepositives: [], fields: [], tags: [], related: [], techniques: [], tactics: [], tests: [], referencedTechniques: [],
        logsource: (d['logsource'] ?? {}) as CatalogRule['logsource'],
        active: !INACTIVE.has(status ?? '') && !INACTIVE.has(collection),
        detection, indicators: [], relatedFrom: [], source: '', url: '',
      });
    });
  }
  return rules;
}

export function loadCorpusTests(root: string): CatalogTest[] {
  const tests: CatalogTest[] = [];
  for (const technique of readdirSync(root).sort()) {
    const file = path.join(root, technique, `${technique}.yaml`);
    if (!existsSync(file)) continue;
    const data = yaml.load(readFileSync(file, 'utf8')) as { atomic_tests?: Record<string, any>[] };
    (data.atomic_tests ?? []).forEach((t, i) => {
      const args = Object.entries((t['input_arguments'] ?? {}) as Record<string, { default?: unknown }>).map(([name, a]) => ({
        name,
        default: a?.default === undefined || a?.default === null ? undefined : String(a.default),
      }));
      const command: string | undefined = t['executor']?.command ?? undefined;
      tests.push({
        guid: String(t['auto_generated_guid'] ?? `${technique}-${i + 1}`), technique, number: i + 1, name: String(t['name']),
        platforms: t['supported_platforms'] ?? [], executor: String(t['executor']?.name ?? ''),
        elevationRequired: t['executor']?.elevation_required === true,
        command, commandResolved: command === undefined ? undefined : substituteArguments(command, args),
        inputArguments: args,
        dependencies: ((t['dependencies'] ?? []) as Record<string, unknown>[]).map((d) => ({
          prereqCommand: typeof d['prereq_command'] === 'string' ? d['prereq_command'] : undefined,
          getPrereqCommand: typeof d['get_prereq_command'] === 'string' ? d['get_prereq_command'] : undefined,
        })),
        anchor: '', rules: [], url: '',
      });
    });
  }
  return tests;
}

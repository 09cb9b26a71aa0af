/**
 * Sweep over the real Sigma corpus (../shared/corpus/sigma, beside the project): every detection
 * parses without throwing and essentially every condition parses and resolves.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { SIGMA_YAML_SCHEMA } from '../../src/lib/sigma/yaml-schema.ts';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/lib/diagnostics.ts';
import { parseCondition, type ParsedCondition } from '../../src/lib/sigma/condition.ts';
import { formatParsedCondition } from './format-condition.ts';
import { parseDetection } from '../../src/lib/sigma/detection.ts';

const CORPUS = path.resolve(__dirname, '../../../shared/corpus/sigma');
const present = existsSync(CORPUS);

if (!present) {
  if (process.env.CI === 'true') throw new Error(`Sigma corpus not found at ${CORPUS} (required in CI)`);
  console.log(`Sigma corpus not found at ${CORPUS}; skipping the corpus sweep.`);
}

/**
 * Conditions in the corpus that are not Sigma at all (free-text correlation sketches in
 * `unsupported/`). Anything else failing is a parser bug until shown otherwise.
 */
const KNOWN_MALFORMED = [
  'unsupported/network/net_dns_high_subdomain_rate.yml',
  'unsupported/windows/sysmon_always_install_elevated_parent_child_correlated.yml',
  'unsupported/windows/win_dumping_ntdsdit_via_dcsync.yml',
  'unsupported/windows/win_dumping_ntdsdit_via_netsync.yml',
];

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.ya?ml$/.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

type Doc = Record<string, unknown>;
const isMap = (value: unknown): value is Doc => typeof value === 'object' && value !== null && !Array.isArray(value);

function deepMerge(base: Doc, over: Doc): Doc {
  const out: Doc = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const prior = out[key];
    out[key] = isMap(prior) && isMap(value) ? deepMerge(prior, value) : value;
  }
  return out;
}

/**
 * Legacy Sigma 1 rule collections (three files in unsupported/): an `action: global` document
 * is merged into each following one, so its detection alone is not a rule.
 */
function expandCollection(documents: unknown[]): Doc[] {
  let global: Doc | undefined;
  const rules: Doc[] = [];
  for (const document of documents) {
    if (!isMap(document)) continue;
    if (document['action'] === 'global') global = document;
    else if (document['action'] === 'reset') global = undefined;
    else rules.push(global ? deepMerge(global, document) : document);
  }
  return rules;
}

interface Sweep {
  files: number;
  documents: number;
  conditions: { condition: ParsedCondition; identifiers: string[] }[];
  diagnostics: Diagnostic[];
}

function sweep(): Sweep {
  const result: Sweep = { files: 0, documents: 0, conditions: [], diagnostics: [] };
  for (const file of yamlFiles(CORPUS)) {
    result.files++;
    const relative = path.relative(CORPUS, file).split(path.sep).join('/');
    const documents = yaml.loadAll(readFileSync(file, 'utf8'), undefined, { schema: SIGMA_YAML_SCHEMA });
    for (const document of expandCollection(documents)) {
      if (!('detection' in document)) continue;
      result.documents++;
      const parsed = parseDetection(document['detection'] as Doc, relative);
      const identifiers = parsed.detection.identifiers.map((identifier) => identifier.name);
      for (const condition of parsed.detection.conditions) result.conditions.push({ condition, identifiers });
      result.diagnostics.push(...parsed.diagnostics);
    }
  }
  return result;
}

describe.skipIf(!present)('Sigma corpus sweep', () => {
  const result: Sweep = present ? sweep() : { files: 0, documents: 0, conditions: [], diagnostics: [] };
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  const conditionErrors = errors.filter((d) => d.code === 'condition');

  it('parses every detection without throwing', () => {
    const warnings = result.diagnostics.length - errors.length;
    console.log(
      `corpus: ${result.files} files, ${result.documents} detections, ${result.conditions.length} conditions parsed, ${errors.length} errors, ${warnings} warnings`,
    );
    for (const d of errors) console.log(`${d.code} ${d.file}: ${d.message}`);
    expect(result.documents).toBeGreaterThan(4000);
  });

  it('parses essentially every condition (only the known malformed ones fail)', () => {
    expect(new Set(conditionErrors.map((d) => d.file))).toEqual(new Set(KNOWN_MALFORMED));
  });

  it('keeps only the legacy aggregations as warnings (55 in the corpus)', () => {
    const warnings = result.diagnostics.filter((d) => d.severity === 'warning');
    expect(warnings.every((d) => d.message.includes('legacy'))).toBe(true);
    expect(result.conditions.filter(({ condition }) => condition.aggregation)).toHaveLength(warnings.length);
  });

  it('prints every condition so that it parses back to the same tree', () => {
    const mismatches = result.conditions.filter(({ condition, identifiers }) => {
      const again = parseCondition(formatParsedCondition(condition), identifiers).condition;
      return (
        JSON.stringify(again?.expression) !== JSON.stringify(condition.expression) ||
        JSON.stringify(again?.aggregation) !== JSON.stringify(condition.aggregation)
      );
    });
    expect(mismatches.map(({ condition }) => condition.source)).toEqual([]);
  });

  it('finds no unknown modifiers or odd detection shapes', () => {
    expect(errors.filter((d) => d.code !== 'condition')).toEqual([]);
  });
});

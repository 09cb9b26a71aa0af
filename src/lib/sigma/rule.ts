/**
 * The Sigma rule model: a raw YAML document → a validated, typed rule, or diagnostics.
 * Cross-references (slugs, tests, indicators) are added later by the catalog.
 */
import type { z } from 'zod';
import { diagnostic, type Diagnostic } from '../diagnostics.ts';
import { techniqueFromTag } from '../attack/technique-id.ts';
import { tacticFromTag } from '../attack/tactics.ts';
import type { LogSource } from './logsource.ts';
import { parseDetection, type Detection } from './detection.ts';
import type { RawSigmaDocument } from './load.ts';
import type { Position, YamlLocator } from './positions.ts';
import { correlationSchema, ESSENTIAL_KEYS, filterSchema, ruleSchema } from './schema.ts';

export type RuleKind = 'rule' | 'correlation' | 'filter';

export interface SigmaRule {
  /** The rule's `id` as written (may be empty when missing). */
  id: string;
  kind: RuleKind;
  title: string;
  /** `name`: how correlation rules refer to their base rules. */
  name?: string;
  /** The file as given (for diagnostics). */
  file: string;
  /** Source file relative to its --sigma root, with forward slashes. */
  path: string;
  /** Index of the YAML document inside a multi-document file (0 for the first). */
  document: number;
  /** rules, emerging-threats, threat-hunting, placeholder, compliance, dfir, deprecated, unsupported, or the root folder name. */
  collection: string;
  status?: string;
  level?: string;
  description?: string;
  author?: string;
  date?: string;
  modified?: string;
  license?: string;
  references: string[];
  falsepositives: string[];
  fields: string[];
  tags: string[];
  logsource: LogSource;
  related: { id: string; type: string }[];
  /** ATT&CK technique ids from tags, upper-case (T1003.001), sorted. */
  techniques: string[];
  /** Tactic short names from tags (e.g. credential-access). */
  tactics: string[];
  /** Active = not deprecated and not unsupported (by status or by collection). */
  active: boolean;
  detection?: Detection;
  /** For correlation and filter rules: the section as written (rules, group-by, timespan …). */
  correlation?: Record<string, unknown>;
  filter?: Record<string, unknown>;
  /** The YAML document text as written. */
  source: string;
  /** Where parts of the rule are written in its file, for diagnostics made after modelling (not published). */
  positions?: RulePositions;
}

export interface RulePositions {
  document?: Position;
  id?: Position;
  /** One per entry of `references`. */
  references: (Position | undefined)[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INACTIVE = new Set(['deprecated', 'unsupported']);

function kindOf(data: Record<string, unknown>): RuleKind {
  if ('correlation' in data) return 'correlation';
  if ('filter' in data && !('detection' in data)) return 'filter';
  return 'rule';
}

/**
 * Validates a document against the schema of its kind. A problem in an essential key rejects
 * the document; a problem elsewhere drops that key with a warning so the rule still gets a page.
 */
function validateDocument(data: Record<string, unknown>, file: string, locate?: YamlLocator): { value?: Record<string, unknown>; diagnostics: Diagnostic[] } {
  const schema = { rule: ruleSchema, correlation: correlationSchema, filter: filterSchema }[kindOf(data)];
  const diagnostics: Diagnostic[] = [];
  let candidate = { ...data };
  for (let attempt = 0; attempt < 3; attempt++) {
    const result = (schema as z.ZodType).safeParse(candidate);
    if (result.success) return { value: result.data as Record<string, unknown>, diagnostics };
    const dropped = new Set<string>();
    for (const issue of result.error.issues) {
      const key = String(issue.path[0] ?? '');
      const where = issue.path.length ? issue.path.join('.') : 'document';
      const essential = key === '' || ESSENTIAL_KEYS.has(key);
      diagnostics.push(
        diagnostic(file, 'schema', `${where}: ${issue.message}${essential ? '' : ' (field ignored)'}`, {
          severity: essential ? 'error' : 'warning',
          ...(locate && positionOfPath(locate, data, issue.path)),
        }),
      );
      if (essential) return { diagnostics };
      dropped.add(key);
    }
    candidate = Object.fromEntries(Object.entries(candidate).filter(([k]) => !dropped.has(k)));
  }
  return { diagnostics };
}

/** Where the deepest key of `path` that exists in `data` is written; the document's start when none does. */
function positionOfPath(locate: YamlLocator, data: object, path: PropertyKey[]): Position | undefined {
  let node: unknown = data;
  let at = locate.node(data);
  for (const segment of path) {
    if (node === null || typeof node !== 'object' || !(String(segment) in node)) break;
    const here = Array.isArray(node) ? locate.value(node, Number(segment)) : locate.key(node, String(segment));
    at = here ?? at;
    node = (node as Record<string, unknown>)[String(segment)];
  }
  return at;
}

/**
 * Legacy rule collections (`action: global`): the first document is merged into each following
 * one, which makes each of them a complete rule.
 */
export function expandLegacyCollection(documents: RawSigmaDocument[]): RawSigmaDocument[] {
  const first = documents[0]?.data as Record<string, unknown> | undefined;
  if (!first || typeof first !== 'object' || first.action !== 'global' || documents.length < 2) return documents;
  const { action: _action, ...global } = first;
  // `global` is a copy too: its keys are found in the first document.
  documents[0].locate?.alias(global, [first]);
  return documents.slice(1).map((d) => ({
    ...d,
    data: deepMerge(global, (d.data ?? {}) as Record<string, unknown>, d.locate),
    source: `${documents[0].source.trimEnd()}\n---\n${d.source}`,
  }));
}

/** `over` merged into `base`; with a locator, merged maps find their keys in the document, then in the global part. */
function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>, locate?: YamlLocator): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  locate?.alias(out, [over, base]);
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = isPlainObject(b) && isPlainObject(v) ? deepMerge(b, v, locate) : v;
  }
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A raw document → a rule, or the diagnostics explaining why it is not one. */
export function toRule(raw: RawSigmaDocument): { rule?: SigmaRule; diagnostics: Diagnostic[] } {
  if (!isPlainObject(raw.data)) {
    return { diagnostics: [diagnostic(raw.file, 'schema', `document ${raw.document + 1} is not a mapping`, { ...documentStart(raw) })] };
  }
  const data = raw.data;
  const { value, diagnostics } = validateDocument(data, raw.file, raw.locate);
  if (!value) return { diagnostics };
  const kind = kindOf(value);
  const str = (k: string) => (value[k] === undefined ? undefined : String(value[k]));
  const list = (k: string) => (value[k] as string[] | undefined) ?? [];
  const positions = rulePositions(raw.locate, data, list('references').length);
  const id = str('id') ?? '';
  if (!id) diagnostics.push(diagnostic(raw.file, 'missing-id', 'rule has no id', { severity: 'warning', ...positions.document }));
  else if (!UUID.test(id)) diagnostics.push(diagnostic(raw.file, 'invalid-id', `id "${id}" is not a UUID`, { severity: 'warning', ...positions.id }));

  const tags = list('tags');
  // A tag written as a technique that is not one (`attack.t1059.01`) would drop the rule from the technique unseen.
  tags.forEach((tag, i) => {
    if (/^attack\.t\d/i.test(String(tag).trim()) && !techniqueFromTag(String(tag)))
      diagnostics.push(
        diagnostic(
          raw.file,
          'invalid-tag',
          `tag "${String(tag)}" is not an ATT&CK technique id (attack.tNNNN or attack.tNNNN.NNN): no technique counts the rule by it`,
          {
            severity: 'warning',
            ...(Array.isArray(data.tags) ? raw.locate?.value(data.tags, i) : undefined),
          },
        ),
      );
  });
  const status = str('status');
  const rule: SigmaRule = {
    id,
    kind,
    title: String(value.title),
    name: str('name'),
    file: raw.file,
    path: raw.path,
    document: raw.document,
    collection: raw.collection,
    status,
    level: str('level'),
    description: str('description'),
    author: str('author'),
    date: str('date'),
    modified: str('modified'),
    license: str('license'),
    references: list('references'),
    falsepositives: list('falsepositives'),
    fields: list('fields'),
    tags,
    logsource: (value.logsource as LogSource | undefined) ?? {},
    related: (value.related as { id: string; type: string }[] | undefined) ?? [],
    techniques: unique(tags.map(techniqueFromTag)),
    tactics: unique(tags.map(tacticFromTag)),
    active: !INACTIVE.has(status ?? '') && !INACTIVE.has(raw.collection),
    source: raw.source,
    positions,
  };
  if (kind === 'rule') {
    // The document's own map (the validated copy is a new object the locator does not know).
    const detection = (isPlainObject(data.detection) ? data.detection : value.detection) as Record<string, unknown>;
    const parsed = parseDetection(detection, raw.file, raw.locate, raw.locate?.key(data, 'detection') ?? positions.document);
    rule.detection = parsed.detection;
    diagnostics.push(...parsed.diagnostics);
  } else if (kind === 'correlation') {
    rule.correlation = value.correlation as Record<string, unknown>;
  } else {
    rule.filter = value.filter as Record<string, unknown>;
  }
  return { rule, diagnostics };
}

function documentStart(raw: RawSigmaDocument): Position | undefined {
  if (!raw.locate) return undefined;
  return typeof raw.data === 'object' && raw.data !== null ? raw.locate.node(raw.data) : raw.locate.document(raw.document);
}

/** Where the rule's id and references are written (`count` references once validated: a lone value is one). */
function rulePositions(locate: YamlLocator | undefined, data: Record<string, unknown>, count: number): RulePositions {
  if (!locate) return { references: [] };
  const references = data.references;
  return {
    document: locate.node(data),
    id: locate.value(data, 'id') ?? locate.key(data, 'id'),
    references: Array.from({ length: count }, (_, i) => (Array.isArray(references) ? locate.value(references, i) : locate.value(data, 'references'))),
  };
}

function unique(values: (string | undefined | null)[]): string[] {
  return [...new Set(values.filter((v): v is string => !!v))].sort();
}

/** One file's documents → its rules and their diagnostics (legacy collections expanded first). */
export function modelSigmaFile(documents: RawSigmaDocument[]): { rules: SigmaRule[]; diagnostics: Diagnostic[] } {
  const rules: SigmaRule[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const doc of expandLegacyCollection(documents)) {
    const result = toRule(doc);
    if (result.rule) rules.push(result.rule);
    diagnostics.push(...result.diagnostics);
  }
  return { rules, diagnostics };
}

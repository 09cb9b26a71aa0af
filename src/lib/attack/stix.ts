/**
 * ATT&CK from a STIX 2.1 bundle (enterprise-attack.json): techniques and tactics in matrix order.
 * Reading is split from parsing so the parser stays pure and testable with inline bundles.
 * A bad object costs one diagnostic and is skipped; only a file that is not a bundle at all
 * yields no data.
 */
import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { diagnostic, type Diagnostic } from '../diagnostics.ts';
import {
  attackPatternSchema,
  bundleSchema,
  collectionSchema,
  relationshipSchema,
  matrixSchema,
  tacticSchema,
  type Report,
  type StixAttackPattern,
  type StixMatrix,
  type StixCollection,
  type StixTactic,
} from './stix-schema.ts';
import { buildTactics } from './stix-tactics.ts';
import { buildTechniques } from './stix-techniques.ts';
import { ENTERPRISE_TACTICS } from './tactics.ts';
import type { AttackData } from './types.ts';

export interface AttackLoadResult {
  data?: AttackData;
  diagnostics: Diagnostic[];
}

const CODE = 'attack-bundle';

/** The object types this project reads; relationships, groups, software … are skipped. */
const SCHEMAS = {
  'attack-pattern': attackPatternSchema,
  'x-mitre-tactic': tacticSchema,
  'x-mitre-matrix': matrixSchema,
  'x-mitre-collection': collectionSchema,
} as const;

export async function loadAttackBundle(file: string): Promise<AttackLoadResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return { diagnostics: [diagnostic(file, CODE, `cannot read the ATT&CK bundle: ${message(error)}`)] };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const { reason, ...where } = jsonError(text, message(error));
    return { diagnostics: [diagnostic(file, CODE, `invalid JSON: ${reason}`, where)] };
  }
  return parseAttackBundle(json, file);
}

export function parseAttackBundle(json: unknown, file: string): AttackLoadResult {
  const bundle = bundleSchema.safeParse(json);
  if (!bundle.success) {
    return { diagnostics: [diagnostic(file, CODE, `not a STIX bundle: ${formatIssues(bundle.error)}`)] };
  }
  const diagnostics: Diagnostic[] = [];
  const report: Report = (text, severity = 'error') => diagnostics.push(diagnostic(file, CODE, text, { severity }));
  const patterns: StixAttackPattern[] = [];
  const tactics: StixTactic[] = [];
  const matrices: StixMatrix[] = [];
  const collections: StixCollection[] = [];
  /** Revoked attack-pattern STIX id → the STIX id that replaced it. */
  const revokedBy = new Map<string, string>();
  let modified: string | undefined;
  bundle.data.objects.forEach((object, index) => {
    const type = typeOf(object);
    if (type === undefined) {
      report(`objects[${index}] is not a STIX object (no "type")`);
      return;
    }
    if (type === 'relationship') {
      // Thousands of `uses`/`mitigates` … relationships: only `revoked-by` is read (and checked).
      if ((object as { relationship_type?: unknown }).relationship_type !== 'revoked-by') return;
      const relationship = relationshipSchema.safeParse(object);
      if (relationship.success) revokedBy.set(relationship.data.source_ref, relationship.data.target_ref);
      else report(`objects[${index}] (${describe(object)}): ${formatIssues(relationship.error)}`);
      return;
    }
    if (!Object.hasOwn(SCHEMAS, type)) return;
    const parsed = SCHEMAS[type as keyof typeof SCHEMAS].safeParse(object);
    if (!parsed.success) {
      report(`objects[${index}] (${describe(object)}): ${formatIssues(parsed.error)}`);
      return;
    }
    const stamp = (parsed.data as { modified?: string }).modified;
    if (stamp && (!modified || stamp > modified)) modified = stamp;
    if (parsed.data.type === 'x-mitre-collection') {
      collections.push(parsed.data);
    } else if (parsed.data.type === 'attack-pattern') {
      patterns.push(parsed.data);
    } else if (parsed.data.type === 'x-mitre-tactic') {
      tactics.push(parsed.data);
    } else {
      matrices.push(parsed.data);
    }
  });

  const orderedTactics = buildTactics(tactics, matrices, report);
  // A bundle without tactic objects still orders technique tactics by the built-in matrix.
  const known = orderedTactics.length > 0 ? orderedTactics : ENTERPRISE_TACTICS;
  const techniques = buildTechniques(patterns, known, report, revokedBy);
  const [collection] = collections;
  if (collections.length > 1) report(`${collections.length} x-mitre-collection objects; the version is read from the first`, 'warning');
  const name = collection?.name ?? matrices.find((m) => !m.revoked)?.name;
  const release = {
    ...(name !== undefined && { name }),
    ...(collection?.x_mitre_version !== undefined && { version: collection.x_mitre_version }),
    ...(modified !== undefined && { modified }),
  };
  return { data: { ...(Object.keys(release).length > 0 && { release }), techniques, tactics: orderedTactics }, diagnostics };
}

function typeOf(object: unknown): string | undefined {
  if (object === null || typeof object !== 'object' || Array.isArray(object)) return undefined;
  const type = (object as { type?: unknown }).type;
  return typeof type === 'string' ? type : undefined;
}

/** The STIX id (and name) of a raw object, for messages about objects that failed validation. */
function describe(object: unknown): string {
  const { id, name } = object as { id?: unknown; name?: unknown };
  const parts = [typeof id === 'string' ? id : typeOf(object), typeof name === 'string' ? `"${name}"` : undefined];
  return parts.filter(Boolean).join(' ');
}

function formatIssues(error: z.ZodError): string {
  return error.issues.map((issue) => (issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ${issue.message}` : issue.message)).join('; ');
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * V8 reports JSON errors by character offset ("… in JSON at position 42 (line 4 column 33)");
 * diagnostics carry line and column as fields, so compute them and keep the reason alone.
 */
function jsonError(text: string, errorMessage: string): { reason: string; line?: number; column?: number } {
  const match = / in JSON at position (\d+)/.exec(errorMessage);
  if (!match) return { reason: errorMessage };
  const lines = text.slice(0, Number(match[1])).split('\n');
  return { reason: errorMessage.slice(0, match.index), line: lines.length, column: lines.at(-1)!.length + 1 };
}

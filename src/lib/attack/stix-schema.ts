/**
 * The slice of STIX 2.1 that ATT&CK uses and this project reads. Unknown keys pass through
 * untouched (ATT&CK adds x_mitre_* fields every release); only the fields we use are checked.
 */
import { z } from 'zod';
import { isTacticId } from './tactics.ts';

const externalReferenceSchema = z.looseObject({
  source_name: z.string(),
  external_id: z.string().optional(),
  url: z.string().optional(),
});

const killChainPhaseSchema = z.looseObject({
  kill_chain_name: z.string(),
  phase_name: z.string(),
});

/** Fields every ATT&CK object we read shares. */
const stixObject = {
  id: z.string().min(1),
  name: z.string().min(1),
  description: z.string().optional(),
  modified: z.string().optional(),
  external_references: z.array(externalReferenceSchema).default([]),
  revoked: z.boolean().default(false),
  x_mitre_deprecated: z.boolean().default(false),
};

export const attackPatternSchema = z.looseObject({
  ...stixObject,
  type: z.literal('attack-pattern'),
  kill_chain_phases: z.array(killChainPhaseSchema).default([]),
  x_mitre_platforms: z.array(z.string()).default([]),
  x_mitre_is_subtechnique: z.boolean().optional(),
});

export const tacticSchema = z.looseObject({
  ...stixObject,
  type: z.literal('x-mitre-tactic'),
  // The short name keys the tactic's page, so it must be a plain `credential-access`.
  x_mitre_shortname: z.string().refine(isTacticId, 'must be lower-case words joined by hyphens'),
});

export const matrixSchema = z.looseObject({
  ...stixObject,
  type: z.literal('x-mitre-matrix'),
  tactic_refs: z.array(z.string()),
});

/** `revoked-by` links a revoked technique to the one that replaced it; other relationships are skipped. */
export const relationshipSchema = z.looseObject({
  type: z.literal('relationship'),
  id: z.string().min(1),
  relationship_type: z.string(),
  source_ref: z.string(),
  target_ref: z.string(),
});

/** The bundle's own name and ATT&CK version (mitre/cti bundles hold one: "Enterprise ATT&CK", "18.1"). */
export const collectionSchema = z.looseObject({
  type: z.literal('x-mitre-collection'),
  id: z.string().min(1),
  name: z.string().min(1),
  x_mitre_version: z.string().optional(),
  modified: z.string().optional(),
});

/** The envelope only: objects are checked one by one so that one bad object costs one diagnostic. */
export const bundleSchema = z.looseObject({
  type: z.literal('bundle'),
  objects: z.array(z.unknown()),
});

export type ExternalReference = z.infer<typeof externalReferenceSchema>;
export type StixAttackPattern = z.infer<typeof attackPatternSchema>;
export type StixTactic = z.infer<typeof tacticSchema>;
export type StixMatrix = z.infer<typeof matrixSchema>;
export type StixRelationship = z.infer<typeof relationshipSchema>;
export type StixCollection = z.infer<typeof collectionSchema>;

/** The reference that carries an object's ATT&CK id (T1003, TA0006, enterprise-attack) and page. */
export function attackReference(references: readonly ExternalReference[]): ExternalReference | undefined {
  return references.find((reference) => reference.source_name === 'mitre-attack');
}

/** How the builders report a problem without knowing the file: the parser adds the location. */
export type Report = (message: string, severity?: 'error' | 'warning') => void;

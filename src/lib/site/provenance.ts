/** The provenance line of every page's footer, as plain text parts (Astro escapes them). */
import type { Provenance, SourceProvenance } from '../catalog/provenance.ts';
import type { Catalog, CatalogTechnique } from '../catalog/types.ts';

const KIND_LABEL: Record<SourceProvenance['kind'], string> = { sigma: 'Sigma', atomics: 'Atomic Red Team' };

export interface ProvenancePart {
  text: string;
  /** Full commit hash, for the hover title. */
  title?: string;
}

export function provenanceParts(p: Provenance | undefined): ProvenancePart[] {
  if (!p) return [];
  const parts: ProvenancePart[] = [];
  if (p.attack) {
    const name = p.attack.name ?? 'ATT&CK';
    const version = p.attack.version ? ` v${p.attack.version}` : ' (version not stated in the bundle)';
    parts.push({ text: `${name}${version}`, title: p.attack.file });
  } else {
    parts.push({ text: 'no ATT&CK bundle' });
  }
  for (const s of p.sources) {
    const where = s.commit ? `commit ${s.commit.slice(0, 12)}${s.commitDate ? ` of ${s.commitDate.slice(0, 10)}` : ''}` : 'not a git checkout';
    parts.push({ text: `${KIND_LABEL[s.kind]} ${s.name}: ${where}`, ...(s.commit && { title: s.commit }) });
  }
  parts.push({ text: `${p.tool.name} ${p.tool.version}` });
  return parts;
}

/**
 * The note on tactics and techniques the ATT&CK bundle does not know: "not in ATT&CK v18.1 (the
 * bundle used)". Undefined without a bundle: then nothing is measured against one.
 */
export function notInBundleNote(catalog: Catalog): string | undefined {
  if (!catalog.stats.files.attack) return undefined;
  const version = catalog.provenance?.attack?.version;
  return version ? `not in ATT&CK v${version} (the bundle used)` : 'not in the ATT&CK bundle used';
}

/** Whether a tactic or technique is outside the bundle the build used. */
export function outsideBundle(catalog: Catalog, entity: { source?: string }): boolean {
  return !!catalog.stats.files.attack && entity.source !== undefined && entity.source !== 'attack';
}

/**
 * For a revoked technique whose bundle has no `revoked-by` relationship (the corpus bundle keeps
 * only techniques, tactics and the matrix): the one live technique with the same name, offered
 * as a hint only — it neither redirects nor counts rules.
 */
export function sameNameSuccessor(catalog: Catalog, technique: CatalogTechnique): CatalogTechnique | undefined {
  if (!technique.revoked || technique.revokedBy !== undefined) return undefined;
  const name = technique.name.toLowerCase();
  const live = catalog.techniques.filter((t) => !t.revoked && !t.deprecated && t.id !== technique.id && t.name.toLowerCase() === name);
  return live.length === 1 ? live[0] : undefined;
}

/**
 * A live technique of the bundle and a technique the bundle lacks (known from newer rule tags or
 * Atomic folders) that share a name: ATT&CK renumbered it after the bundle (T1562.001 "Disable
 * or Modify Tools" is T1685 in v19), and its rules and tests are on the other page. The one such
 * namesake on the other side, offered as a hint only — it neither redirects nor counts rules.
 */
export function renumberedNamesake(catalog: Catalog, technique: CatalogTechnique): CatalogTechnique | undefined {
  if (technique.revoked || technique.deprecated) return undefined;
  const inBundle = technique.source === 'attack';
  const name = technique.name.toLowerCase();
  const other = catalog.techniques.filter(
    (t) => t.id !== technique.id && !t.revoked && !t.deprecated && (t.source === 'attack') !== inBundle && t.name.toLowerCase() === name,
  );
  return other.length === 1 ? other[0] : undefined;
}

/**
 * ATT&CK technique ids as they appear in Sigma tags, Atomic folders and the STIX bundle.
 * Everything downstream keys techniques by the upper-case form (T1003.001).
 */
import { compareStrings } from '../order.ts';

/** A technique (T1003) or sub-technique (T1003.001) id, upper-case. */
export const TECHNIQUE_ID_PATTERN = /^T\d{4}(?:\.\d{3})?$/;

/** Sigma writes technique tags lower-case (`attack.t1003.001`); accept any case to be forgiving. */
const TECHNIQUE_TAG_PATTERN = /^attack\.(t\d{4}(?:\.\d{3})?)$/i;

export function isTechniqueId(value: string): boolean {
  return TECHNIQUE_ID_PATTERN.test(value);
}

/** `attack.t1003.001` → `T1003.001`; any other tag (tactics, groups, software) → undefined. */
export function techniqueFromTag(tag: string): string | undefined {
  const match = TECHNIQUE_TAG_PATTERN.exec(tag.trim());
  return match ? match[1]!.toUpperCase() : undefined;
}

/** `T1003.001` → `T1003`; a top-level technique (or anything that is not an id) has no parent. */
export function parentTechnique(id: string): string | undefined {
  if (!isTechniqueId(id)) return undefined;
  const dot = id.indexOf('.');
  return dot === -1 ? undefined : id.slice(0, dot);
}

/** The technique's page on attack.mitre.org (`T1003.001` → `…/techniques/T1003/001/`), for techniques the bundle gives no URL. */
export function attackTechniqueUrl(id: string): string {
  return `https://attack.mitre.org/techniques/${id.replace('.', '/')}/`;
}

/** Code-unit order, independent of the machine's locale, so output is the same everywhere. */
export const compareIds = compareStrings;

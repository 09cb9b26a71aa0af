/** Resolves every rule's Atomic Red Team references against the loaded tests. */
import { parseAtomicReference, resolveAtomicReference, type Resolution, type AtomicReference, type TestIndex } from './atomic-reference.ts';

export interface ResolvedReference {
  reference: AtomicReference;
  resolution: Resolution;
}

/** Every Atomic reference among `urls`, resolved; URLs that are not Atomic links are skipped. */
export function resolveReferences(urls: string[], tests: TestIndex): ResolvedReference[] {
  const out: ResolvedReference[] = [];
  for (const url of urls) {
    const reference = parseAtomicReference(url);
    if (!reference) continue;
    out.push({ reference, resolution: resolveAtomicReference(reference, tests) });
  }
  return out;
}

/**
 * What a build was made from, for every page's footer and `api/provenance.json`: the tool's
 * version, the ATT&CK bundle's name and version, and the commit of each Sigma and Atomic root
 * that is a git checkout. Only facts the inputs carry: no wall-clock time, so builds stay
 * byte-identical.
 */
import path from 'node:path';
import type { AttackRelease } from '../attack/types.ts';
import { gitCommit } from '../git/history.ts';

export interface SourceProvenance {
  kind: 'sigma' | 'atomics';
  /** The root's folder name (not its absolute path: that names the machine, not the content). */
  name: string;
  commit?: string;
  /** Committer date of `commit` (ISO 8601). */
  commitDate?: string;
}

export interface Provenance {
  tool: { name: string; version: string };
  attack?: AttackRelease & {
    /** The bundle's file name. */
    file: string;
    /** Where `version` comes from: the bundle's x-mitre-collection, or the --attack-version option. */
    versionFrom?: 'bundle' | 'option';
  };
  sources: SourceProvenance[];
}

export async function sourceProvenance(kind: SourceProvenance['kind'], root: string): Promise<SourceProvenance> {
  const head = await gitCommit(root);
  return { kind, name: path.basename(path.resolve(root)), ...(head && { commit: head.commit, commitDate: head.date }) };
}

export function attackProvenance(file: string, release: AttackRelease | undefined, statedVersion?: string): Provenance['attack'] {
  const fromBundle = release?.version;
  const version = fromBundle ?? statedVersion;
  return {
    file: path.basename(file),
    ...(release?.name !== undefined && { name: release.name }),
    ...(version !== undefined && { version, versionFrom: fromBundle !== undefined ? 'bundle' : 'option' }),
    ...(release?.modified !== undefined && { modified: release.modified }),
  };
}

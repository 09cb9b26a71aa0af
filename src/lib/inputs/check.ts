/**
 * The inputs exist before any work starts: a mistyped `--sigma` must end the build with one line,
 * not publish an empty site over the last good one.
 */
import { stat } from 'node:fs/promises';

/** A usage or input problem: the CLI prints the message and exits 2. */
export class InputError extends Error {}

export interface Inputs {
  sigma: string[];
  atomics?: string;
  attack?: string;
}

async function kind(p: string): Promise<'folder' | 'file' | 'missing' | 'other'> {
  const s = await stat(p).catch(() => undefined);
  if (!s) return 'missing';
  return s.isDirectory() ? 'folder' : s.isFile() ? 'file' : 'other';
}

export async function checkInputs(inputs: Inputs): Promise<void> {
  const folder = async (flag: string, p: string, what: string) => {
    const k = await kind(p);
    if (k === 'missing') throw new InputError(`${flag} ${p}: no such folder`);
    if (k !== 'folder') throw new InputError(`${flag} ${p}: not a folder (${flag} takes the folder of ${what})`);
  };
  for (const root of inputs.sigma) await folder('--sigma', root, 'Sigma rules');
  if (inputs.atomics !== undefined) await folder('--atomics', inputs.atomics, 'Atomic Red Team techniques');
  if (inputs.attack !== undefined) {
    const k = await kind(inputs.attack);
    if (k === 'missing') throw new InputError(`--attack ${inputs.attack}: no such file`);
    if (k !== 'file') throw new InputError(`--attack ${inputs.attack}: not a file (--attack takes an ATT&CK STIX bundle)`);
  }
}

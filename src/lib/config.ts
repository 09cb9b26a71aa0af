/**
 * Build options from a config file (for a rule repository's CI) and command-line flags;
 * flags win. Validated at the edge with zod so a typo reads as one clear error.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export const CONFIG_FILE = 'atlas.config.json';

const configSchema = z.strictObject({
  sigma: z.union([z.string(), z.array(z.string())]).optional(),
  atomics: z.string().optional(),
  attack: z.string().optional(),
  out: z.string().optional(),
  title: z.string().optional(),
  repositoryUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** Branch or commit used in "view source" links. */
  repositoryRef: z.string().optional(),
  strict: z.boolean().optional(),
  /** Observed-run records: files or folders (CSV, JSON, sigma_redcanaryco YAML). */
  observed: z.union([z.string(), z.array(z.string())]).optional(),
  /** Folder of run-time payloads (index.json + files) for predicted detections. */
  payloads: z.string().optional(),
});

export type AtlasConfig = z.infer<typeof configSchema>;

export interface BuildOptions {
  sigma: string[];
  atomics?: string;
  attack?: string;
  out: string;
  title: string;
  repositoryUrl?: string;
  repositoryRef?: string;
  strict: boolean;
  observed?: string[];
  payloads?: string;
}

export class ConfigError extends Error {}

/** Reads a config file; its relative paths are taken from the file's own folder. */
export function readConfig(file: string): AtlasConfig {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`${file}: ${(error as Error).message}`);
  }
  const parsed = configSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ConfigError(`${file}: invalid config\n  ${issues.join('\n  ')}`);
  }
  const dir = path.dirname(file);
  const at = (p: string | undefined) => (p === undefined ? undefined : path.resolve(dir, p));
  const c = parsed.data;
  return {
    ...c,
    sigma: c.sigma === undefined ? undefined : [c.sigma].flat().map((p) => at(p)!),
    atomics: at(c.atomics),
    attack: at(c.attack),
    out: at(c.out),
    observed: c.observed === undefined ? undefined : [c.observed].flat().map((p) => at(p)!),
    payloads: at(c.payloads),
  };
}

/** Flags over config over defaults (the project's own sample: rules/, atomics/, dist/). */
export function resolveOptions(flags: Partial<AtlasConfig> & { config?: string }, cwd: string): BuildOptions {
  const configFile = flags.config ?? (existsSync(path.join(cwd, CONFIG_FILE)) ? path.join(cwd, CONFIG_FILE) : undefined);
  const config = configFile ? readConfig(path.resolve(cwd, configFile)) : {};
  const sigma = flags.sigma ?? config.sigma ?? 'rules';
  const atomics = flags.atomics ?? config.atomics ?? (flags.sigma ? undefined : 'atomics');
  return {
    sigma: [sigma].flat(),
    atomics,
    attack: flags.attack ?? config.attack,
    out: flags.out ?? config.out ?? 'dist',
    title: flags.title ?? config.title ?? 'Detection Atlas',
    repositoryUrl: flags.repositoryUrl ?? config.repositoryUrl,
    repositoryRef: flags.repositoryRef ?? config.repositoryRef,
    strict: flags.strict ?? config.strict ?? false,
    observed: (flags.observed ?? config.observed) === undefined ? undefined : [flags.observed ?? config.observed!].flat(),
    payloads: flags.payloads ?? config.payloads,
  };
}

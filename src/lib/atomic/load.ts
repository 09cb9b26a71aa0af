/**
 * Loads an Atomic Red Team `atomics/` folder: for each technique folder its Txxxx.yaml (the
 * tests) and Txxxx.md (ATT&CK description and test anchors). Any other file is ignored.
 * Problems become diagnostics; a broken test costs only itself, a broken file its technique.
 * Checks spanning files (duplicate guids) run at the end, in id order, so output is stable.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import fg from 'fast-glob';
import { compareIds, isTechniqueId } from '../attack/technique-id.ts';
import { compareDiagnostics, diagnostic, type Diagnostic } from '../diagnostics.ts';
import { encodingDiagnostic } from '../encoding.ts';
import { mapLimit } from '../parallel.ts';
import { dropDuplicateGuids, type LocatedTest } from './guids.ts';
import { checkHeadings } from './headings.ts';
import { parseAtomicMarkdown, type AtomicMarkdown } from './markdown.ts';
import { atomicFileSchema, atomicTestSchema, formatIssues } from './schema.ts';
import { toAtomicTest } from './test.ts';
import type { AtomicTechnique } from './types.ts';
import { parseYaml } from './yaml.ts';

// The loader's result types, re-exported so callers need only this module.
export type { AtomicTechnique, AtomicTest } from './types.ts';

export interface AtomicLoadResult {
  techniques: AtomicTechnique[];
  diagnostics: Diagnostic[];
  /** Txxxx.yaml and Txxxx.md files read. */
  files: number;
}

/** A technique folder: its name and the paths (below the root) of its Txxxx.yaml and Txxxx.md. */
export interface Folder {
  name: string;
  yaml?: string;
  md?: string;
}

export interface FolderResult {
  technique?: AtomicTechnique;
  tests: LocatedTest[];
  diagnostics: Diagnostic[];
}

/**
 * Loads one folder through `load`, or answers from elsewhere while the folder's files are
 * unchanged: the incremental cache (src/lib/cache/atomics.ts) plugs in here.
 */
export type FolderLoader = (root: string, folder: Folder, load: () => Promise<FolderResult>) => Promise<FolderResult>;

export async function loadAtomics(root: string, loader?: FolderLoader): Promise<AtomicLoadResult> {
  if (!(await isDirectory(root))) {
    return { techniques: [], files: 0, diagnostics: [diagnostic(root, 'read-error', 'not a directory')] };
  }
  // Symbolic links are not followed: one could publish a file from outside the repository.
  // (`src/` and `bin/` hold the files tests load at run time, read by simulate/payload-store.ts, which enters no link.)
  const entries = await fg(['*', '*/*.{yaml,md}', '*/src', '*/bin'], { cwd: root, onlyFiles: false, objectMode: true, followSymbolicLinks: false });
  const folders = findFolders(entries.filter((e) => e.dirent.isFile()).map((e) => e.path));
  const links = entries
    .filter((e) => e.dirent.isSymbolicLink() && (!e.path.includes('/') || isTechniqueFile(e.path) || /^[^/]+\/(?:src|bin)$/.test(e.path)))
    .map((e) => diagnostic(path.join(root, e.path), 'symlink', 'symbolic link not followed (it could point outside the repository)', { severity: 'warning' }));
  const results = await mapLimit(folders, (folder) => (loader ? loader(root, folder, () => loadFolder(root, folder)) : loadFolder(root, folder)));
  const loaded = results.filter((result) => result.technique !== undefined).sort((a, b) => compareIds(a.technique!.id, b.technique!.id));
  const guids = dropDuplicateGuids(loaded.map((result) => result.tests));
  const techniques = loaded.map((result, i) => ({ ...result.technique!, tests: guids.kept[i]! }));
  return {
    techniques,
    diagnostics: [...links, ...results.flatMap((result) => result.diagnostics), ...guids.diagnostics].sort(compareDiagnostics),
    files: folders.reduce((n, folder) => n + (folder.yaml ? 1 : 0) + (folder.md ? 1 : 0), 0),
  };
}

/** Only `X/X.yaml` and `X/X.md` count; payloads, scripts and indexes beside them do not. */
function isTechniqueFile(entry: string): boolean {
  const [name, file] = entry.split('/');
  return file !== undefined && path.basename(file, path.extname(file)) === name;
}

function findFolders(entries: string[]): Folder[] {
  const folders = new Map<string, Folder>();
  for (const entry of entries) {
    if (!isTechniqueFile(entry)) continue;
    const [name, file] = entry.split('/') as [string, string];
    const ext = path.extname(file);
    const folder = folders.get(name) ?? { name };
    if (ext === '.yaml') folder.yaml = entry;
    else folder.md = entry;
    folders.set(name, folder);
  }
  return [...folders.values()].sort((a, b) => compareIds(a.name, b.name));
}

async function loadFolder(root: string, folder: Folder): Promise<FolderResult> {
  const diagnostics: Diagnostic[] = [];
  const fail = (d: Diagnostic): FolderResult => ({ tests: [], diagnostics: [...diagnostics, d] });
  if (!folder.yaml) {
    const md = path.join(root, folder.md!);
    return fail(diagnostic(md, 'missing-yaml', `${folder.name} has a markdown page but no ${folder.name}.yaml`));
  }
  const file = path.join(root, folder.yaml);
  const text = await read(file, diagnostics);
  if (typeof text !== 'string') return fail(text);
  const parsed = parseYaml(text, file);
  if ('error' in parsed) {
    const { message, ...where } = parsed.error;
    return fail(diagnostic(file, 'yaml-syntax', message, where));
  }
  const envelope = atomicFileSchema.safeParse(parsed.value);
  if (!envelope.success) return fail(diagnostic(file, 'schema', formatIssues(envelope.error), { line: 1 }));
  const { display_name: name, atomic_tests: rawTests } = envelope.data;
  // The id names the technique's page: anything but T1234 or T1234.001 could name another path.
  const id = envelope.data.attack_technique.toUpperCase();
  if (!isTechniqueId(id)) {
    const message = `attack_technique "${envelope.data.attack_technique}" is not an ATT&CK technique id (T1234 or T1234.001)`;
    return fail(diagnostic(file, 'schema', message, { line: 1 }));
  }
  if (id !== folder.name) {
    const message = `attack_technique ${id} does not match its folder ${folder.name}`;
    diagnostics.push(diagnostic(file, 'schema', message, { severity: 'warning' }));
  }

  const mdFile = folder.md ? path.join(root, folder.md) : undefined;
  let markdown: AtomicMarkdown | undefined;
  if (mdFile) {
    const mdText = await read(mdFile, diagnostics);
    if (typeof mdText === 'string') markdown = parseAtomicMarkdown(mdText);
    else diagnostics.push(mdText);
  }
  const anchors = new Map(markdown?.tests.map((heading) => [heading.number, heading.anchor]));

  const tests: LocatedTest[] = [];
  rawTests.forEach((raw, index) => {
    const number = index + 1;
    const line = raw !== null && typeof raw === 'object' ? parsed.lineOf(raw) : undefined;
    const result = atomicTestSchema.safeParse(raw);
    if (result.success) {
      tests.push({ test: toAtomicTest(result.data, id, number, anchors.get(number)), file, line });
    } else {
      const label = `atomic_tests[${index}] (Atomic Test #${number}${testName(raw)})`;
      diagnostics.push(diagnostic(file, 'schema', `${label}: ${formatIssues(result.error)}`, { line }));
    }
  });
  if (mdFile && markdown) {
    diagnostics.push(
      ...checkHeadings(
        mdFile,
        markdown.tests,
        tests.map((entry) => entry.test),
        rawTests.length,
      ),
    );
  }

  const technique: AtomicTechnique = {
    id,
    name,
    file,
    ...(markdown?.description !== undefined && { description: markdown.description }),
    tests: tests.map((entry) => entry.test),
  };
  return { technique, tests, diagnostics };
}

function testName(raw: unknown): string {
  const name = raw !== null && typeof raw === 'object' ? (raw as { name?: unknown }).name : undefined;
  return typeof name === 'string' ? `: ${name}` : '';
}

/** The file's text; a file that is not valid UTF-8 adds a diagnostic to `diagnostics` and is still read. */
async function read(file: string, diagnostics: Diagnostic[]): Promise<string | Diagnostic> {
  try {
    const bytes = await readFile(file);
    const encoding = encodingDiagnostic(bytes, file);
    if (encoding) diagnostics.push(encoding);
    return bytes.toString('utf8');
  } catch (error) {
    return diagnostic(file, 'read-error', error instanceof Error ? error.message : String(error));
  }
}

async function isDirectory(dir: string): Promise<boolean> {
  try {
    return (await stat(dir)).isDirectory();
  } catch {
    return false;
  }
}

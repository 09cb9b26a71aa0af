/**
 * Sigma loading: every `.yml`/`.yaml` under each root → raw YAML documents, or diagnostics.
 * Nothing here knows the Sigma schema; it only turns bytes into documents.
 */
import path from 'node:path';
import fg from 'fast-glob';
import yaml from 'js-yaml';
import { diagnostic, type Diagnostic } from '../diagnostics.ts';
import { encodingDiagnostic } from '../encoding.ts';
import { compareStrings } from '../order.ts';
import { positionRecorder, type YamlLocator } from './positions.ts';
import { SIGMA_YAML_SCHEMA } from './yaml-schema.ts';

export interface RawSigmaDocument {
  /** Path as the caller gave the root, joined with the file's relative path (used in diagnostics). */
  file: string;
  /** Path relative to its root, forward slashes. */
  path: string;
  collection: string;
  /** Index of the document in a multi-document file. */
  document: number;
  data: unknown;
  /** The document's YAML text. */
  source: string;
  /** Where its keys and values are written in the file, for diagnostics. */
  locate?: YamlLocator;
}

/** Top-level folders of a SigmaHQ checkout and the collection each one holds. */
const COLLECTION_FOLDERS: Record<string, string> = {
  rules: 'rules',
  'rules-emerging-threats': 'emerging-threats',
  'rules-threat-hunting': 'threat-hunting',
  'rules-placeholder': 'placeholder',
  'rules-compliance': 'compliance',
  'rules-dfir': 'dfir',
  deprecated: 'deprecated',
  unsupported: 'unsupported',
};

/** The collection of a file: its top folder in a SigmaHQ checkout, else the root's own name, else `rules`. */
export function collectionOf(root: string, relativePath: string): string {
  const top = relativePath.split('/')[0];
  if (relativePath.includes('/') && COLLECTION_FOLDERS[top]) return COLLECTION_FOLDERS[top];
  return COLLECTION_FOLDERS[path.basename(path.resolve(root))] ?? 'rules';
}

/**
 * The rule files under a root, and the `.yml`/`.yaml` entries that are not regular files.
 * Symbolic links are not followed: a link loop in a contributed repository must not hang the
 * build, and a link to a file outside it must not publish that file. A FIFO would block the read.
 */
async function listYamlEntries(root: string): Promise<{ files: string[]; skipped: { path: string; link: boolean }[] }> {
  const entries = await fg('**/*.{yml,yaml}', {
    cwd: root,
    dot: false,
    followSymbolicLinks: false,
    onlyFiles: false,
    objectMode: true,
    suppressErrors: true,
    caseSensitiveMatch: false,
  });
  const files: string[] = [];
  const skipped: { path: string; link: boolean }[] = [];
  for (const { path: rel, dirent } of entries) {
    if (dirent.isFile()) files.push(rel);
    else if (!dirent.isDirectory()) skipped.push({ path: rel, link: dirent.isSymbolicLink() });
  }
  return { files: files.sort(), skipped: skipped.sort((a, b) => compareStrings(a.path, b.path)) };
}

/** The rule files under a root, and a diagnostic for each entry that is not read (links, FIFOs …). */
export async function listSigmaFiles(root: string): Promise<{ files: string[]; diagnostics: Diagnostic[] }> {
  const { files, skipped } = await listYamlEntries(root);
  const diagnostics = skipped.map(({ path: rel, link }) => {
    const file = path.join(root, rel);
    if (link) return diagnostic(file, 'symlink', 'symbolic link not followed (it could point outside the repository)', { severity: 'warning' });
    return diagnostic(file, 'unreadable', 'not a regular file (FIFO, socket or device): not read');
  });
  return { files, diagnostics };
}

/** A file's bytes → its raw documents (the incremental cache reads the bytes itself, to hash them). */
export function parseSigmaFile(
  bytes: Buffer,
  file: string,
  relativePath: string,
  collection: string,
): { documents: RawSigmaDocument[]; diagnostics: Diagnostic[] } {
  const parsed = parseSigmaYaml(bytes, file);
  const encoding = bytes.includes(0) ? undefined : encodingDiagnostic(bytes, file);
  return {
    diagnostics: encoding ? [encoding, ...parsed.diagnostics] : parsed.diagnostics,
    documents: parsed.documents.map((d) => ({ ...d, file, path: relativePath.split(path.sep).join('/'), collection })),
  };
}

/** Bytes → YAML documents. Binary, empty and malformed files become diagnostics. */
export function parseSigmaYaml(
  bytes: Buffer,
  file: string,
): { documents: { document: number; data: unknown; source: string; locate: YamlLocator }[]; diagnostics: Diagnostic[] } {
  if (bytes.includes(0)) return fail(file, 'binary-file', 'file contains NUL bytes: not a YAML text file');
  // A byte-order mark and CRLF line ends are common in repositories edited on Windows.
  const text = bytes
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n');
  if (text.trim() === '') return fail(file, 'empty-file', 'file is empty');
  let values: unknown[];
  const { listener, locator } = positionRecorder(text);
  try {
    values = yaml.loadAll(text, undefined, { schema: SIGMA_YAML_SCHEMA, filename: file, listener });
  } catch (error) {
    const mark = (error as { mark?: { line: number; column: number } }).mark;
    const reason = (error as { reason?: string }).reason ?? (error as Error).message;
    return {
      documents: [],
      diagnostics: [diagnostic(file, 'yaml-syntax', `YAML syntax error: ${reason}`, mark ? { line: mark.line + 1, column: mark.column + 1 } : {})],
    };
  }
  for (const [index, value] of values.entries()) {
    const problem = expansionProblem(value);
    if (problem)
      return {
        documents: [],
        diagnostics: [diagnostic(file, 'yaml-size', `document ${index + 1} ${problem}: file not loaded`, { ...locator.document(index) })],
      };
  }
  const sources = splitDocuments(text, values.length);
  const documents = values
    .map((data, document) => ({ document, data, source: sources[document], locate: locator }))
    .filter((d) => d.data !== null && d.data !== undefined);
  if (documents.length === 0) return fail(file, 'empty-file', 'file holds no YAML document');
  return { documents, diagnostics: [] };
}

/**
 * Bounds on a document once its aliases are expanded. js-yaml shares an aliased value rather
 * than copying it, so nine lines of `&a`/`*a` make a value that is 9^9 strings to anything that
 * walks it (JSON.stringify, a merge, a page). The largest corpus rule has 4,457 values, 5 deep.
 */
const MAX_DOCUMENT_VALUES = 100_000;
const MAX_DOCUMENT_DEPTH = 50;

/** Why a document is too large once expanded, or undefined. Stops at the limit, so time is bounded. */
function expansionProblem(document: unknown): string | undefined {
  let values = 0;
  const visit = (value: unknown, depth: number): string | undefined => {
    if (++values > MAX_DOCUMENT_VALUES) return `holds more than ${MAX_DOCUMENT_VALUES} values once YAML aliases are expanded`;
    if (value === null || typeof value !== 'object') return undefined;
    if (depth >= MAX_DOCUMENT_DEPTH) return `nests more than ${MAX_DOCUMENT_DEPTH} levels deep once YAML aliases are expanded`;
    for (const child of Object.values(value)) {
      const problem = visit(child, depth + 1);
      if (problem) return problem;
    }
    return undefined;
  };
  return visit(document, 0);
}

/** The text of each document, for display; falls back to the whole text when the split is unsure. */
function splitDocuments(text: string, count: number): string[] {
  if (count <= 1) return [text];
  const parts = text.split(/^---[ \t]*$/m);
  if (parts.length > count && parts[0].trim() === '') parts.shift();
  if (parts.length !== count) return Array(count).fill(text);
  return parts.map((p) => p.replace(/^\n/, ''));
}

function fail(file: string, code: string, message: string) {
  return { documents: [], diagnostics: [diagnostic(file, code, message)] };
}

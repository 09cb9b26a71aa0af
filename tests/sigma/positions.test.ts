/** Every kind of Sigma diagnostic names the line and column of the key or value it is about. */
import { describe, expect, test } from 'vitest';
import { parseSigmaFile } from '../../src/lib/sigma/load.ts';
import { modelSigmaFile } from '../../src/lib/sigma/rule.ts';

/** A rule file's text → the diagnostics of loading and modelling it, as `code line:column`. */
function located(text: string): string[] {
  const loaded = parseSigmaFile(Buffer.from(text), 'rules/x.yml', 'x.yml', 'rules');
  const modelled = modelSigmaFile(loaded.documents);
  return [...loaded.diagnostics, ...modelled.diagnostics].map((d) => `${d.code} ${d.line}:${d.column}`);
}

const header = `title: Fixture
id: 0940a971-809a-48f1-9c4d-b1d785e96ee5
logsource:
    product: windows
`;

describe('Sigma diagnostics carry line and column', () => {
  test('a schema problem of a key points at the key', () => {
    expect(
      located(`${header}level: severe
detection:
    selection:
        Image: x
    condition: selection
`),
    ).toEqual(['schema 5:1']);
  });

  test('a missing essential key points at the document', () => {
    expect(located(`\n# comment\ntitle: No detection\nlogsource:\n    product: windows\n`)).toEqual(['schema 3:1']);
  });

  test('an id that is not a UUID points at its value; a missing id at the document', () => {
    expect(located(`title: T\nid: not-a-uuid\nlogsource: {product: windows}\ndetection:\n    s: x\n    condition: s\n`)).toEqual(['invalid-id 2:5']);
    expect(located(`title: T\nlogsource: {product: windows}\ndetection:\n    s: x\n    condition: s\n`)).toEqual(['missing-id 1:1']);
  });

  test('a tag written as a technique that is not one points at the tag; a good one and a tactic are fine', () => {
    const text = `title: T\nid: 5f0d0f5e-0c8e-4a0a-9a55-6c7e3c6b0a11\ntags:\n    - attack.execution\n    - attack.t1059.001\n    - attack.t1059.01\nlogsource: {product: windows}\ndetection:\n    s: x\n    condition: s\n`;
    expect(located(text)).toEqual(['invalid-tag 6:7']);
  });

  test('an unknown or invalid modifier points at its field key', () => {
    expect(
      located(`${header}detection:
    selection:
        Image: x
        CommandLine|contians: y
    condition: selection
`),
    ).toEqual(['unknown-modifier 8:9']);
    expect(
      located(`${header}detection:
    selection:
        - Image|contains|startswith: x
    condition: selection
`),
    ).toEqual(['invalid-modifier 7:11']);
  });

  test('an invalid regular expression points at its value in the list', () => {
    expect(
      located(`${header}detection:
    selection:
        CommandLine|re:
            - 'ok.*'
            - '(unclosed'
    condition: selection
`),
    ).toEqual(['invalid-regex 9:15']);
  });

  test('a shape problem points at the search identifier or the item', () => {
    expect(
      located(`${header}detection:
    selection: []
    condition: selection
`),
    ).toEqual(['detection-shape 6:5']);
    expect(
      located(`${header}detection:
    selection:
        - Image: x
        - [nested]
    condition: selection
`),
    ).toEqual(['detection-shape 8:11']);
  });

  test('a condition error points at the column inside the condition', () => {
    // 'selection and and' fails at the second 'and': column 15 of the condition, which starts at column 16.
    expect(
      located(`${header}detection:
    selection:
        Image: x
    condition: selection and and
`),
    ).toEqual(['condition 8:30']);
    expect(
      located(`${header}detection:
    selection:
        Image: x
    condition: 'selection or unknown'
`),
    ).toEqual(['condition 8:30']);
  });

  test('a condition in a list or a block scalar is followed onto its own line', () => {
    expect(
      located(`${header}detection:
    selection:
        Image: x
    condition:
        - selection
        - selection or (
`),
    ).toEqual(['condition 10:25']);
    expect(
      located(`${header}detection:
    selection:
        Image: x
    condition: >
        selection and
        nothing
`),
    ).toEqual(['condition 10:9']);
  });

  test('a missing condition points at the detection key; a legacy aggregation at its pipe', () => {
    expect(
      located(`${header}detection:
    selection:
        Image: x
`),
    ).toEqual(['condition 5:1']);
    expect(
      located(`${header}detection:
    selection:
        Image: x
    condition: selection | count() > 5
`),
    ).toEqual(['condition 8:26']);
  });

  test('documents of a multi-document file keep their file line numbers; a legacy collection finds the shared part', () => {
    const text = `action: global
title: Shared
id: not-a-uuid
detection:
    condition: selection
---
logsource:
    product: windows
detection:
    selection:
        Image|bad: x
---
logsource:
    product: linux
detection:
    selection:
        - Image: x
        - 42
`;
    expect(located(text)).toEqual(['invalid-id 3:5', 'unknown-modifier 11:9', 'invalid-id 3:5']);
  });

  test('a document that is not a map, or too deep once aliases are expanded, points at the document', () => {
    expect(located(`${header}detection:\n    s: x\n    condition: s\n---\n# a comment\njust text\n`)).toEqual(['schema 10:1']);
    const deep = `${'['.repeat(55)}${']'.repeat(55)}`;
    expect(located(`title: first\n---\nkey: &a ${deep}\n`)).toEqual(['yaml-size 3:1']);
  });

  test('YAML syntax errors keep their own position', () => {
    expect(located(`title: x\n  bad: [\n`)).toEqual([expect.stringMatching(/^yaml-syntax \d+:\d+$/)]);
  });
});

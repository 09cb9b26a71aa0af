import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { describe, expect, test } from 'vitest';
import { extractIndicators } from '../../src/lib/indicators/extract.ts';
import { parseDetection, type Detection } from '../../src/lib/sigma/detection.ts';
import { compileDetection } from '../../src/lib/match/matcher.ts';
import { prepareEvent, type SigmaEvent } from '../../src/lib/match/event.ts';
import { parseSigmaYaml } from '../../src/lib/sigma/load.ts';
import { SIGMA_YAML_SCHEMA } from '../../src/lib/sigma/yaml-schema.ts';
import { formatValue } from '../../src/lib/site/predicates.ts';
import { matches } from '../match/helpers.ts';

const matchDetection = (detection: Detection, event: SigmaEvent) => compileDetection(detection).test(prepareEvent(event));

const CORPUS_RULE = '../shared/corpus/sigma/rules/windows/registry/registry_set/registry_set_susp_keyboard_layout_load.yml';

describe('Sigma values keep their source text', () => {
  test('number spellings that do not print back as written stay text', () => {
    const values = yaml.load('v: [00000429, 0x1F, 1e3, .inf, .NaN, 16.0, 1_000, -0, +5, 12345678901234567890, 4688, -1, 2.5, 0]', {
      schema: SIGMA_YAML_SCHEMA,
    }) as { v: unknown[] };
    expect(values.v).toEqual(['00000429', '0x1F', '1e3', '.inf', '.NaN', '16.0', '1_000', '-0', '+5', '12345678901234567890', 4688, -1, 2.5, 0]);
  });

  test('booleans only in lower case; other spellings and null as YAML says', () => {
    const values = yaml.load('v: [true, false, True, FALSE, yes, no, on, null, ~, "4688", \'true\']', { schema: SIGMA_YAML_SCHEMA }) as { v: unknown[] };
    expect(values.v).toEqual([true, false, 'True', 'FALSE', 'yes', 'no', 'on', null, null, '4688', 'true']);
  });

  test('the keyboard layout rule of the corpus keeps 00000429: indicators, display and matching', () => {
    const { documents } = parseSigmaYaml(readFileSync(CORPUS_RULE), CORPUS_RULE);
    const raw = documents[0]!.data as { detection: Record<string, unknown> };
    const { detection } = parseDetection(raw.detection, CORPUS_RULE);
    const details = detection.identifiers[0]!.groups[0]!.find((p) => p.kind === 'field' && p.field === 'Details')!;
    expect(details.values).toEqual(['00000429', '00050429', '0000042a']);
    expect(details.values.map(formatValue)).toEqual(["'00000429'", "'00050429'", "'0000042a'"]);
    const indicators = extractIndicators(detection).filter((i) => i.field === 'Details');
    expect(indicators.map((i) => i.value)).toEqual(['00000429', '00050429', '0000042a']);

    const target = 'HKU\\S-1-5-21\\Keyboard Layout\\Preload\\2';
    expect(matchDetection(detection, { TargetObject: target, Details: '00000429' })).toBe(true);
    // As the number 429 it matched any value holding "429".
    expect(matchDetection(detection, { TargetObject: target, Details: '00000409 (DWORD 0x429)' })).toBe(false);
    expect(matchDetection(detection, { TargetObject: target, Details: '00050429' })).toBe(true);
  });

  test('a number as written still compares as a number', () => {
    expect(matches('sel:\n  EventID: 4688\ncondition: sel', { EventID: '4688' })).toBe(true);
    expect(matches('sel:\n  Version: 16.0\ncondition: sel', { Version: '16' })).toBe(false);
    expect(matches('sel:\n  Version: 16.0\ncondition: sel', { Version: '16.0' })).toBe(true);
    expect(matches('sel:\n  Flags|contains: 0x1F\ncondition: sel', { Flags: 'mask 0x1f set' })).toBe(true);
    expect(matches('sel:\n  Flags|contains: 0x1F\ncondition: sel', { Flags: '31' })).toBe(false);
  });
});

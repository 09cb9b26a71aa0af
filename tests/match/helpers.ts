/** Builds matchers from detection YAML, the way a rule author writes them. */
import yaml from 'js-yaml';
import { SIGMA_YAML_SCHEMA } from '../../src/lib/sigma/yaml-schema.ts';
import { parseDetection } from '../../src/lib/sigma/detection.ts';
import { compileDetection, type DetectionMatcher } from '../../src/lib/match/matcher.ts';
import { prepareEvent, type SigmaEvent } from '../../src/lib/match/event.ts';
import type { Truth } from '../../src/lib/match/value-check.ts';

export function detection(text: string): DetectionMatcher {
  const raw = yaml.load(text, { schema: SIGMA_YAML_SCHEMA }) as Record<string, unknown>;
  const { detection: parsed, diagnostics } = parseDetection(raw, 'test.yml');
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map((d) => d.message).join('\n'));
  return compileDetection(parsed);
}

/** Whether the detection (YAML text) matches the event. */
export function matches(text: string, event: SigmaEvent): Truth {
  return detection(text).test(prepareEvent(event));
}

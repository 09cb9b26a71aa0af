/** Pins the public API of the Sigma parsing modules, so an accidental change fails here. */
import { expect, it } from 'vitest';
import * as condition from '../../src/lib/sigma/condition.ts';
import * as detection from '../../src/lib/sigma/detection.ts';
import * as modifiers from '../../src/lib/sigma/modifiers.ts';
import * as value from '../../src/lib/sigma/value.ts';

it('exports a stable API', () => {
  expect({
    condition: Object.keys(condition).sort(),
    detection: Object.keys(detection).sort(),
    modifiers: Object.keys(modifiers).sort(),
    value: Object.keys(value).sort(),
  }).toMatchInlineSnapshot(`
    {
      "condition": [
        "formatCondition",
        "matchPattern",
        "parseCondition",
      ],
      "detection": [
        "parseDetection",
      ],
      "modifiers": [
        "lookupModifier",
        "operatorOf",
        "validateModifiers",
      ],
      "value": [
        "NULL_CANONICAL",
        "canonicalValue",
        "formatSigmaString",
        "parseSigmaString",
      ],
    }
  `);
});

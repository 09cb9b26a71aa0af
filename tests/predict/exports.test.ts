import { describe, expect, it } from 'vitest';
import * as match from '../../src/lib/match/matcher.ts';
import * as predict from '../../src/lib/predict/predict.ts';
import * as harness from '../../src/lib/simulate/harness.ts';
import * as logsource from '../../src/lib/sigma/logsource.ts';

/** The API other modules build on; an accidental change fails here. */
describe('public exports', () => {
  it('match/matcher', () => expect(Object.keys(match).sort()).toEqual(['compileDetection', 'compileRule']));
  it('predict/predict', () => expect(Object.keys(predict).sort()).toEqual(['predictAll', 'predictDetections']));
  it('simulate/harness', () => expect(Object.keys(harness).sort()).toEqual(['harnessShellArguments', 'platformsOf', 'simulateTest']));
  it('sigma/logsource', () => expect(Object.keys(logsource).sort()).toEqual(['findLogSource', 'logSourceApplies']));
});

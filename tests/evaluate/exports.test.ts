import { describe, expect, it } from 'vitest';
import * as match from '../../src/lib/evaluate/match.ts';
import * as predict from '../../src/lib/evaluate/predict.ts';
import * as events from '../../src/lib/evaluate/events.ts';
import * as logsource from '../../src/lib/sigma/logsource.ts';

/** The API other modules build on; an accidental change fails here. */
describe('public exports', () => {
  it('evaluate/match', () => expect(Object.keys(match).sort()).toEqual(['compileDetection', 'compileRule']));
  it('evaluate/predict', () => expect(Object.keys(predict).sort()).toEqual(['predictAll', 'predictDetections']));
  it('evaluate/events', () => expect(Object.keys(events).sort()).toEqual(['harnessShellArguments', 'platformsOf', 'simulateTest']));
  it('sigma/logsource', () => expect(Object.keys(logsource).sort()).toEqual(['LOG_SOURCES', 'findLogSource', 'logSourceApplies']));
});

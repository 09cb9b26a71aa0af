// Pins the public API of src/lib/attack so an accidental change fails here first.
import { describe, expect, it } from 'vitest';

describe('attack exports', () => {
  it.each([
    ['stix', ['loadAttackBundle', 'parseAttackBundle']],
    ['stix-schema', ['attackPatternSchema', 'attackReference', 'bundleSchema', 'collectionSchema', 'matrixSchema', 'relationshipSchema', 'tacticSchema']],
    ['stix-tactics', ['buildTactics']],
    ['stix-techniques', ['buildTechniques']],
    ['tactics', ['ENTERPRISE_TACTICS', 'NEWER_TACTICS', 'isTacticId', 'orderTactics', 'tacticFromTag', 'tacticNameFromId']],
    ['technique-id', ['TECHNIQUE_ID_PATTERN', 'attackTechniqueUrl', 'compareIds', 'isTechniqueId', 'parentTechnique', 'techniqueFromTag']],
    ['types', []],
  ])('%s', async (module, names) => {
    const exports = await import(`../../src/lib/attack/${module}.ts`);
    expect(Object.keys(exports).sort()).toEqual(names);
  });
});

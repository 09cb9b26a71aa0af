/** The one-line explanation of a predicted detection (xref/explain.ts). */
import { describe, expect, it } from 'vitest';
import { describePrediction } from '../../src/lib/xref/explain.ts';

const explanation = (eventValue: string, at?: number) => ({
  condition: 'selection',
  identifiers: [{ name: 'selection', value: true }],
  matches: [
    {
      identifier: 'selection',
      field: 'CommandLine',
      modifiers: ['contains'],
      matches: [{ value: 'sekurlsa', field: 'CommandLine', eventValue, ...(at !== undefined && { at }) }],
    },
  ],
});

describe('describePrediction', () => {
  it('quotes the event value around where the value matched, not only its start', () => {
    const text = `${'x '.repeat(100)}mimikatz sekurlsa::logonpasswords`;
    expect(describePrediction({ explanation: explanation(text, text.indexOf('sekurlsa')) })).toContain('sekurlsa::logonpasswords');
    expect(describePrediction({ explanation: explanation(text) })).not.toContain('sekurlsa::');
    // A text that fits is shown whole, wherever the match is; a cut one is at most 60 characters.
    expect(describePrediction({ explanation: explanation(`${'y'.repeat(35)}sekurlsa`, 35) })).toContain(`"${'y'.repeat(35)}sekurlsa"`);
    const quoted = /in "(.*)"$/.exec(describePrediction({ explanation: explanation(text, text.indexOf('sekurlsa')) }))![1]!;
    expect(quoted.length).toBeLessThanOrEqual(60);
    expect(describePrediction({ explanation: explanation('run sekurlsa now', 4) })).toBe(
      'condition "selection" held: CommandLine|contains "sekurlsa" in "run sekurlsa now"',
    );
  });
});

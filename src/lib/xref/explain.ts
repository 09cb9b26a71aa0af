/** One readable line for a predicted detection: the condition that held and what matched on which event. */
import type { Prediction } from '../predict/predict.ts';

const MAX_VALUE = 60;
const MAX_MATCHES = 2;

/** The text on one line, cut to MAX_VALUE characters: from the start, or from a little before `at` (where a value matched). */
function clip(text: string, at?: number): string {
  const whole = text.replace(/\s+/g, ' ').trim();
  if (whole.length <= MAX_VALUE) return whole;
  const from = at !== undefined && at > MAX_VALUE / 2 ? at - 10 : 0;
  const line = text.slice(from).replace(/\s+/g, ' ').trim();
  const head = from > 0 ? '…' : '';
  const room = MAX_VALUE - head.length;
  return line.length > room ? `${head}${line.slice(0, room - 1)}…` : `${head}${line}`;
}

export function describePrediction(p: Pick<Prediction, 'explanation'> & { event?: Pick<Prediction['event'], 'origin'> }): string {
  const { condition, matches } = p.explanation;
  const parts = matches.slice(0, MAX_MATCHES).map((m) => {
    const field = `${m.field ?? 'keyword'}${m.modifiers.length ? `|${m.modifiers.join('|')}` : ''}`;
    const hit = m.matches[0];
    if (!hit) return field;
    const seen = hit.eventValue !== undefined ? ` in "${clip(hit.eventValue, hit.at)}"` : '';
    return `${field} "${clip(String(hit.value))}"${seen}`;
  });
  const more = matches.length > MAX_MATCHES ? ` (+${matches.length - MAX_MATCHES} more)` : '';
  const origin = p.event?.origin ? ` on ${clip(p.event.origin)}` : '';
  return `condition "${clip(condition)}" held${origin}${parts.length ? `: ${parts.join('; ')}${more}` : ''}`;
}

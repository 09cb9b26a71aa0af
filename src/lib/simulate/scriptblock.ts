/**
 * How PowerShell logs a script block (4104) it compiles: one event when the text is under 20,000
 * characters, else parts. PowerShell's CompiledScriptBlock.cs (LogScriptBlockStart):
 * "Maximum size of ETW events is 64kb. Split a message if it is larger than 20k (Unicode)
 * characters" — then `segmentSize = 10000 + new Random().Next(10000)` and
 * `segments = floor(length / segmentSize) + 1`, each event carrying MessageNumber/MessageTotal.
 * The real part size is random (10,000–19,999) so that attackers cannot aim at a boundary; a
 * static prediction takes the middle of that range, 15,000, so it is deterministic.
 */

const SPLIT_THRESHOLD = 20000;
const PART_SIZE = 15000;

export interface ScriptBlockPart {
  text: string;
  /** 1-based, as MessageNumber. */
  number: number;
  total: number;
  /** Character offset of the part in the whole text. */
  offset: number;
}

export function scriptBlockParts(text: string): ScriptBlockPart[] {
  if (text.length < SPLIT_THRESHOLD) return [{ text, number: 1, total: 1, offset: 0 }];
  const total = Math.floor(text.length / PART_SIZE) + 1;
  const parts: ScriptBlockPart[] = [];
  for (let i = 0; i < total; i++) parts.push({ text: text.slice(i * PART_SIZE, (i + 1) * PART_SIZE), number: i + 1, total, offset: i * PART_SIZE });
  return parts;
}

/** The parts of a loaded script, each with the 1-based line of the text it starts on. */
export function scriptBlockPartLines(text: string): { part: ScriptBlockPart; line: number }[] {
  let line = 1;
  let counted = 0;
  return scriptBlockParts(text).map((part) => {
    line += lineAt(text.slice(counted, part.offset), part.offset - counted) - 1;
    counted = part.offset;
    return { part, line };
  });
}

/** 1-based line of a character offset. */
function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

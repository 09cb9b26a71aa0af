/**
 * The event a rule is matched against: flat field → value, as a SIEM stores a Sysmon or
 * PowerShell record. Preparing it once (lower-cased copies, case-insensitive field lookup)
 * keeps each of the millions of predicate checks to a plain string comparison.
 */

export type EventValue = string | number | undefined;
export type SigmaEvent = Record<string, EventValue>;

export interface PreparedEvent {
  readonly fields: SigmaEvent;
  /** Field names in the event, by lower-cased name, for rules that spell a field differently. */
  readonly names: ReadonlyMap<string, string>;
  /** Every present value as text, and lower-cased, in field order (for keyword searches). */
  readonly texts: readonly string[];
  readonly lowerTexts: readonly string[];
  /** Lower-cased text of each present field. */
  readonly lower: ReadonlyMap<string, string>;
  /** Text and lower-cased text by the slot (`fieldSlot`) of the exact and of the lower-cased name: an array read per predicate. */
  readonly slots: readonly (FieldValue | undefined)[];
}

const SLOTS = new Map<string, number>();

/**
 * A number for a field name as spelt (process-wide, in order first seen): predicates look a
 * field up by the numbers of its exact and lower-cased names, computed once when compiled.
 */
export function fieldSlot(name: string): number {
  let slot = SLOTS.get(name);
  if (slot === undefined) SLOTS.set(name, (slot = SLOTS.size));
  return slot;
}

export interface FieldValue {
  name: string;
  text: string;
  lower: string;
}

export function prepareEvent(fields: SigmaEvent): PreparedEvent {
  const names = new Map<string, string>();
  const lower = new Map<string, string>();
  const texts: string[] = [];
  const lowerTexts: string[] = [];
  const exact = new Map<string, FieldValue>();
  for (const [name, raw] of Object.entries(fields)) {
    if (raw === undefined) continue;
    const text = String(raw);
    const low = text.toLowerCase();
    names.set(name.toLowerCase(), name);
    lower.set(name, low);
    texts.push(text);
    lowerTexts.push(low);
    exact.set(name, { name, text, lower: low });
  }
  // Exact names win over a case-insensitive match, so they are added last.
  const values = new Map<string, FieldValue>();
  for (const value of exact.values()) values.set(value.name.toLowerCase(), value);
  for (const value of exact.values()) values.set(value.name, value);
  const slotted: [number, FieldValue][] = [...values].map(([name, value]) => [fieldSlot(name), value]);
  const slots: (FieldValue | undefined)[] = new Array(Math.max(0, ...slotted.map(([slot]) => slot + 1)));
  for (const [slot, value] of slotted) slots[slot] = value;
  return { fields, names, texts, lowerTexts, lower, slots };
}

/** The event's own spelling of a rule's field name (exact first, then ignoring case). */
export function resolveField(event: PreparedEvent, field: string): string | undefined {
  if (event.fields[field] !== undefined) return field;
  return event.names.get(field.toLowerCase());
}

/** Text of a field, or undefined when absent. */
export function fieldText(event: PreparedEvent, field: string): string | undefined {
  const name = resolveField(event, field);
  return name === undefined ? undefined : String(event.fields[name]);
}

/** Lower-cased text of a field, or undefined when absent. */
export function fieldLower(event: PreparedEvent, field: string): string | undefined {
  const name = resolveField(event, field);
  return name === undefined ? undefined : event.lower.get(name);
}

/**
 * Indicator page granularity (the catalog's URLs encode it, see src/lib/catalog/build.ts):
 * an indicator used by two or more rules has its own page (`/indicators/<id>/`); every indicator,
 * shared or not, is a row on its field's page (`/indicators/fields/<field>/#i-<id>`, most-used
 * first); and each rule page lists all its indicators, which is what search finds. Singletons thus
 * cost no page of their own, which keeps the full build fast.
 */
import type { CatalogIndicator } from '../catalog/types.ts';
import { fieldSegment } from './urls.ts';
import { sliceOf } from '../indicators/slices.ts';

export const KEYWORDS_LABEL = 'keywords (no field)';

export function hasOwnPage(indicator: Pick<CatalogIndicator, 'rules'>): boolean {
  return indicator.rules.length >= 2;
}

export interface FieldGroup {
  /** Field names as written that share this page (case variants), sorted. */
  fields: string[];
  label: string;
  /** URL segment under /indicators/fields/. */
  segment: string;
  /** Sorted: count desc, then rules desc, then value. */
  indicators: CatalogIndicator[];
  /** Distinct rules using any of them. */
  rules: number;
  /** Indicators with a page of their own. */
  shared: number;
  /** The page is cut into 2^sliceBits slices (0: one page): the catalog's `fieldSliceBits`, which its URLs follow. */
  sliceBits: number;
}

/**
 * A field's slice bits from the catalog's `fieldSliceBits` (0 when it is not listed). Own keys
 * only: a field may be named `constructor` or `__proto__`.
 */
export function fieldSliceBitsOf(fieldSliceBits: Readonly<Record<string, number>> | undefined, segment: string): number {
  return fieldSliceBits !== undefined && Object.hasOwn(fieldSliceBits, segment) ? fieldSliceBits[segment]! : 0;
}

/** The indicators of each slice of a field page (index 0 is slice 1), in the field's order. */
export function fieldSlices(group: FieldGroup): CatalogIndicator[][] {
  const slices: CatalogIndicator[][] = Array.from({ length: 2 ** group.sliceBits }, () => []);
  for (const ind of group.indicators) slices[sliceOf(ind.id, group.sliceBits) - 1]!.push(ind);
  return slices;
}

/** Shared indicators listed on a sliced field's own page (the most used). */
export const FIELD_TOP_SHARED = 200;

export function compareIndicators(a: CatalogIndicator, b: CatalogIndicator): number {
  return b.count - a.count || b.rules.length - a.rules.length || a.value.localeCompare(b.value, 'en') || a.operator.localeCompare(b.operator, 'en');
}

/** `fieldSliceBits`: the catalog's slice counts per field segment (absent: the field is one page). */
export function groupByField(indicators: readonly CatalogIndicator[], fieldSliceBits?: Readonly<Record<string, number>>): FieldGroup[] {
  const map = new Map<string, CatalogIndicator[]>();
  for (const ind of indicators) {
    const segment = fieldSegment(ind.field);
    let list = map.get(segment);
    if (!list) map.set(segment, (list = []));
    list.push(ind);
  }
  return [...map.entries()]
    .map(([segment, list]) => {
      list.sort(compareIndicators);
      const fields = [...new Set(list.map((i) => i.field).filter((f): f is string => f !== null))].sort();
      return {
        fields,
        label: fields.length ? fields.join(' / ') : KEYWORDS_LABEL,
        segment,
        indicators: list,
        rules: new Set(list.flatMap((i) => i.rules)).size,
        shared: list.filter(hasOwnPage).length,
        sliceBits: fieldSliceBitsOf(fieldSliceBits, segment),
      };
    })
    .sort((a, b) => b.indicators.length - a.indicators.length || a.label.localeCompare(b.label, 'en'));
}

/** The corpus count in words, from the point of view of one rule. */
export function countLabel(indicator: Pick<CatalogIndicator, 'count' | 'rules'>, ruleSlug?: string): string {
  const others = indicator.rules.filter((r) => r !== ruleSlug);
  if (ruleSlug !== undefined && indicator.rules.includes(ruleSlug) && others.length === 0) return 'unique to this rule';
  if (indicator.count === 0) return 'inactive rules only';
  return `${indicator.count} active rule${indicator.count === 1 ? '' : 's'}`;
}

/** Operator as written, with the implicit equality named. */
export function operatorLabel(operator: string): string {
  return operator === '' ? 'equals' : operator;
}

/** View model of the calibration page: predictions scored against observed-run records. */
import type { CatalogTest } from '../catalog/types.ts';
import { calibrate, type Score } from '../observed/calibration.ts';
import { executorLabel } from './labels.ts';
import type { SiteModel } from './model.ts';

export interface CalibrationTable {
  title: string;
  id: 'total' | 'by-executor' | 'by-logsource';
  /** Header of the first column. */
  keyHeader: string;
  rows: Array<Score & { label: string }>;
}

export interface CalibrationView {
  /** Files read and records imported; absent when the build had no `--observed`. */
  observed?: { files: string[]; records: number; tests: number };
  tests: number;
  tables: CalibrationTable[];
  /** Tests with run records, by technique and number. */
  withRecords: CatalogTest[];
}

export function calibrationView(model: SiteModel): CalibrationView {
  const c = calibrate(model.catalog);
  const label = (list: Score[], name: (key: string) => string) => list.map((s) => ({ ...s, label: name(s.key) }));
  return {
    ...(model.catalog.observed && { observed: model.catalog.observed }),
    tests: c.total.tests,
    tables: [
      { title: 'All tests with records', id: 'total', keyHeader: '', rows: [{ ...c.total, label: 'all' }] },
      { title: 'By executor', id: 'by-executor', keyHeader: 'Executor', rows: label(c.byExecutor, executorLabel) },
      { title: "By the rule's log source", id: 'by-logsource', keyHeader: 'Log source', rows: label(c.byLogsource, (k) => k) },
    ],
    withRecords: model.catalog.tests
      .filter((t) => t.observed)
      .sort((a, b) => a.technique.localeCompare(b.technique, 'en', { numeric: true }) || a.number - b.number),
  };
}

/** A share as a percentage with one decimal, or a dash when there is nothing to divide. */
export const percent = (x: number | undefined): string => (x === undefined ? '–' : `${(x * 100).toFixed(1)} %`);

/**
 * Runs the catalog stages (predicted evaluation included) over one folder pair and prints a
 * summary as JSON. Started by evaluate.test.ts in its own process, which it kills on a hang.
 */
import { runCatalog } from '../../src/lib/pipeline.ts';

const [sigma, atomics] = process.argv.slice(2) as [string, string];
const start = performance.now();
const catalog = await runCatalog({ sigma: [sigma], atomics });
const summary = {
  milliseconds: performance.now() - start,
  rules: catalog.rules.length,
  predicted: catalog.rules.flatMap((r) => r.predictedTests ?? []),
  diagnostics: catalog.diagnostics.map((d) => `${d.code}: ${d.message}`),
};
process.stdout.write(JSON.stringify(summary));

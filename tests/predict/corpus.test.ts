/**
 * Predicted detections on the full corpus: every Atomic test against every active Sigma rule,
 * with the run-time payloads of ../shared/corpus/payloads and the atomics folder's src/ files.
 * Rules and tests come from the production loaders and model (scripts/corpus-inputs.ts), as the build
 * hands them to the predict stage. Speed is measured by `npm run bench`, not here.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORPUS, corpusPaths, hasCorpus } from '../corpus/corpus.ts';
import { predictAll } from '../../src/lib/predict/predict.ts';
import { PayloadStore } from '../../src/lib/simulate/payload-store.ts';
import { loadCorpusInputs } from '../../scripts/corpus-inputs.ts';

const { rules, tests } = hasCorpus ? await loadCorpusInputs(corpusPaths.sigma, corpusPaths.atomics) : { rules: [], tests: [] };

describe.skipIf(!hasCorpus)('predicted detections on the full corpus', () => {
  const payloads = hasCorpus ? PayloadStore.open(path.join(CORPUS, 'payloads'), corpusPaths.atomics) : undefined;
  const { predictions, notes } = hasCorpus ? predictAll(rules, tests, { payloads }) : { predictions: [], notes: new Map() };

  it('counts predictions per executor, with and without what tests load', () => {
    const executor = new Map(tests.map((t) => [t.guid, t.executor]));
    const perExecutor = (list: typeof predictions) => {
      const out: Record<string, { predictions: number; tests: number }> = {};
      for (const t of tests) out[t.executor] ??= { predictions: 0, tests: 0 };
      const seen = new Set<string>();
      for (const p of list) {
        const e = out[executor.get(p.test)!]!;
        e.predictions++;
        if (!seen.has(p.test)) e.tests++;
        seen.add(p.test);
      }
      return out;
    };
    const without = predictAll(rules, tests).predictions;
    const before = perExecutor(without);
    const after = perExecutor(predictions);
    const fromPayloads = predictions.filter((p) => p.payload).length;
    console.log(
      `\n  ${tests.length} tests × ${rules.length} rules: ${without.length} predictions without payloads, ${predictions.length} with (${fromPayloads} on payload text); ${notes.size} tests load a payload the store lacks`,
    );
    for (const name of Object.keys(after).sort())
      console.log(
        `    ${name}: predictions ${before[name]!.predictions} → ${after[name]!.predictions}, tests with ≥1 ${before[name]!.tests} → ${after[name]!.tests}`,
      );
    expect(tests.length).toBe(1819);
    expect(after['manual']).toEqual({ predictions: 0, tests: 0 });
    // Loaded code adds predictions and takes none away.
    const keys = new Set(predictions.map((p) => `${p.test} ${p.rule}`));
    expect(without.filter((p) => !keys.has(`${p.test} ${p.rule}`))).toEqual([]);
    expect(fromPayloads).toBeGreaterThan(1000);
    for (const name of ['powershell', 'command_prompt', 'sh', 'bash']) expect(after[name]!.predictions).toBeGreaterThanOrEqual(before[name]!.predictions);
    expect(after['powershell']!.predictions).toBeGreaterThan(before['powershell']!.predictions);
  });

  it('names the payloads it lacks, and each payload prediction names a file and line', () => {
    const missing = [...notes.values()].flat();
    expect(missing).toContain(
      'payload not available: https://raw.githubusercontent.com/kfallahi/UnderlayCopy/37f2e9b76b724bc1211437b14deaf1e76b21791e/UnderlayCopy.ps1',
    );
    for (const p of predictions.filter((x) => x.payload)) {
      expect(p.payload!.file).toMatch(/^(payloads|atomics)\//);
      expect(p.payload!.line).toBeGreaterThan(0);
    }
  });

  it("predicts the rules on what Windows and auditd log themselves: a log cleared, an account created, the execve syscall's record", () => {
    const pairs = new Set(predictions.map((p) => `${p.test} ${p.rule}`));
    for (const [test, rule] of [
      ['e6abb60e-26b8-41da-8aae-0c35174b0967', '100ef69e-3327-481c-8e5c-6d80d9507556'], // wevtutil cl System → Important Windows Eventlog Cleared (System 104)
      ['1b99ef28-f83c-4ec5-8a08-1a56263a5bb2', '66b6be3d-55d0-4f47-9855-d69df21740ea'], // net user … /add → Local User Creation (Security 4720)
      ['40d8eabd-e394-46f6-8785-b9bfa1d011d2', '759d0d51-bc99-4b5e-9add-8f5b2c8e7512'], // useradd → Creation Of An User Account (auditd SYSCALL exe)
    ])
      expect(pairs.has(`${test} ${rule}`), `${test} → ${rule}`).toBe(true);
  });

  it('points a regular expression matched in payload text at the line where it matches, not where the part starts', () => {
    const p = predictions.find((x) => x.test === 'cb6e76ca-861e-4a7f-be08-564caa3e6f75' && x.rule === 'f3a98ce4-6164-4dd4-867c-4d83de7eca51');
    expect(p?.payload).toEqual({
      file: 'payloads/raw.githubusercontent.com/S3cur3Th1sSh1t/WinPwn/121dcee26a7aca368821563cbe92b2b5638c5773/WinPwn.ps1',
      line: 1536,
    });
  });

  it('keeps where each value matched (at), in the event text or the payload excerpt shown, each value around its own match', () => {
    let checked = 0;
    for (const p of predictions)
      for (const m of p.explanation.matches)
        for (const v of m.matches) {
          // Plain values: no wildcard, no escape (a lone backslash is literal in Sigma).
          if (typeof v.value !== 'string' || v.eventValue === undefined || /[*?]|\\\\/.test(v.value)) continue;
          const mods = m.modifiers.map((x) => x.toLowerCase());
          if (!mods.every((x) => x === 'contains' || x === 'endswith' || x === 'startswith')) continue;
          expect(v.at, `${p.test} ${p.rule} ${v.value}`).toBeDefined();
          expect(v.eventValue.slice(v.at, v.at! + v.value.length).toLowerCase(), `${p.test} ${p.rule}`).toBe(v.value.toLowerCase());
          if (mods.includes('endswith')) expect(v.at! + v.value.length).toBe(v.eventValue.length);
          checked++;
        }
    expect(checked).toBeGreaterThan(7000);
  });

  it('every explanation shows what matched: true identifiers with values, or a condition of negations only', () => {
    for (const p of predictions) {
      const trueIds = p.explanation.identifiers.filter((i) => i.value === true);
      if (trueIds.length === 0) expect(p.explanation.condition).toMatch(/\bnot\b/);
      else expect(p.explanation.matches.filter((m) => m.matches.length > 0).length).toBeGreaterThan(0);
    }
    // A filter that matched (under `not`) is no evidence: 737e618a fires on its first selection while its filter matches.
    const copied = predictions.find((x) => x.test === '83a95136-a496-423c-81d3-1c6750133917' && x.rule.startsWith('737e618a'));
    expect(copied?.explanation.identifiers.find((i) => i.name === 'filter_main_known_locations')?.value).toBe(true);
    expect(copied?.explanation.matches.map((m) => m.identifier)).not.toContain('filter_main_known_locations');
  });
});

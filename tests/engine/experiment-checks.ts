import { expect } from 'vitest';
import type { ExperimentResult } from '../../src/experiments/types';
import { combine, type Check } from '../../src/experiments/verdict';

/** What every result must offer the UI, whatever the experiment: consistent charts, table, verdict. */
export function expectWellFormed(result: ExperimentResult, experimentId: string): void {
  expect(result.experimentId).toBe(experimentId);
  expect(result.device.backend).toBe('webgpu');
  expect(result.device.name.length).toBeGreaterThan(0);
  const ids = new Set(result.series.map((s) => s.id));
  for (const series of result.series) {
    expect(series.x.length).toBe(series.y.length);
    if (series.yLow) expect(series.yLow.length).toBe(series.y.length);
    for (const v of series.y) expect(Number.isFinite(v)).toBe(true);
  }
  expect(result.charts.length).toBeGreaterThan(0);
  for (const chart of result.charts) for (const id of chart.series) expect(ids.has(id)).toBe(true);
  for (const chart of result.charts) if (chart.kind === 'roofline') expect(result.roofline?.points.length).toBeGreaterThan(0);
  for (const row of result.table.rows) expect(row.length).toBe(result.table.columns.length);
  // The verdict states the numbers that decided it, in both languages.
  expect(result.verdict.summary.en).toMatch(/\d/);
  expect(result.verdict.summary.ko).toMatch(/\d/);
  expect(result.timings.wallMs).toBeGreaterThan(0);
  expectHonest(result);
  // The result crosses process boundaries as JSON.
  expect(JSON.parse(JSON.stringify(result))).toEqual(result);
}

/**
 * The rules of a measured verdict: its outcome is what its checks add up to (downgraded to
 * not-shown when the control did not fail), every decisive number is measured, every check that
 * decides has one, and a 'holds' comes with a control that does not hold.
 */
export function expectHonest(result: ExperimentResult): void {
  const { verdict, control } = result;
  expect(verdict.holds).toBe(verdict.outcome === 'holds');
  expect(control.checks.length).toBeGreaterThan(0);
  expect(control.outcome).toBe(combine(control.checks));
  const fromChecks = combine(verdict.checks);
  if (fromChecks === 'holds') expect(verdict.outcome).toBe(control.outcome === 'does-not-hold' ? 'holds' : 'not-shown');
  else expect(verdict.outcome).toBe(fromChecks);
  for (const check of [...verdict.checks, ...control.checks]) {
    for (const evidence of check.evidence) if (evidence.decisive) expect(evidence.source).toBe('measured');
    if (check.outcome !== 'not-shown') expect(check.evidence.some((e) => e.decisive)).toBe(true);
  }
  for (const evidence of verdict.evidence) if (evidence.source === 'model') expect(evidence.decisive).toBe(false);
}

/** One check of a verdict or control by id. */
export function checkOf(checks: Check[], id: string): Check {
  const found = checks.find((c) => c.id === id);
  if (!found) throw new Error(`no check '${id}' in ${checks.map((c) => c.id).join(', ')}`);
  return found;
}

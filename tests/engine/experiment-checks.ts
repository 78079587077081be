import { expect } from 'vitest';
import type { ExperimentResult } from '../../src/experiments/types';

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
  for (const row of result.table.rows) expect(row.length).toBe(result.table.columns.length);
  // The verdict states the numbers that decided it, in both languages.
  expect(result.verdict.summary.en).toMatch(/\d/);
  expect(result.verdict.summary.ko).toMatch(/\d/);
  expect(result.timings.wallMs).toBeGreaterThan(0);
  // The result crosses process boundaries as JSON.
  expect(JSON.parse(JSON.stringify(result))).toEqual(result);
}

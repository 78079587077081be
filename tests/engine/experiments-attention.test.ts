import { describe, expect, it } from 'vitest';
import { registry } from '../../src/experiments/registry';
import { useDawnEngine } from './engine-fixture';
import { expectWellFormed } from './experiment-checks';

// The attention experiments with their defaults on Dawn + SwiftShader: each verdict must hold here.

const engine = useDawnEngine();

async function runDefault(id: string) {
  const experiment = registry.get(id)!;
  const fractions: number[] = [];
  const result = await experiment.run(engine(), experiment.params.parse({}), (f) => fractions.push(f), new AbortController().signal);
  expectWellFormed(result, id);
  expect(fractions.length).toBeGreaterThan(1);
  console.log(`${id}: ${result.verdict.holds ? 'HOLDS' : 'DOES NOT HOLD'} — ${result.verdict.summary.en} (${(result.timings.wallMs / 1000).toFixed(1)} s)`);
  return result;
}

describe('attention experiments on the software GPU', () => {
  it('flash-exact: both kernels within float32 rounding of float64', async () => {
    const result = await runDefault('flash-exact');
    expect(result.verdict.holds).toBe(true);
    expect(result.metrics.flashMaxRelativeError as number).toBeLessThan(1e-5);
    expect(result.metrics.standardMaxRelativeError as number).toBeLessThan(1e-5);
  });

  it('flash-vs-naive: N² vs N memory, fewer bytes moved, standard refused where flash is accepted', async () => {
    const result = await runDefault('flash-vs-naive');
    expect(result.verdict.holds).toBe(true);
    expect(result.metrics.standardMemorySlope as number).toBeCloseTo(2, 1);
    expect(result.metrics.flashMemorySlope as number).toBeCloseTo(1, 1);
    expect(result.metrics.standardRefusedAtRefusalN).toBe(true);
    expect(result.metrics.flashAcceptsRefusalN).toBe(true);
    // Same outputs from both kernels.
    expect(result.metrics.maxOutputDifference as number).toBeLessThan(1e-4);
    // Time is reported as measured, with a range from the repeats.
    const flashTime = result.series.find((s) => s.id === 'flash-ms')!;
    flashTime.y.forEach((y, i) => expect(flashTime.yLow![i] <= y && y <= flashTime.yHigh![i]).toBe(true));
  });

  it('flash-backward: gradients match float64 without storing P', async () => {
    const result = await runDefault('flash-backward');
    expect(result.verdict.holds).toBe(true);
    expect(result.metrics.flashMaxRelativeError as number).toBeLessThan(1e-4);
    expect(result.metrics.memoryRatio as number).toBeGreaterThan(10);
  });

  it('flash-exact on the float64 CPU reference is labelled as such and needs no GPU', async () => {
    const experiment = registry.get('flash-exact')!;
    const result = await experiment.runReference!(experiment.params.parse({ n: 65 }), () => {}, new AbortController().signal);
    expect(result.device.backend).toBe('cpu-reference');
    expect(result.verdict.holds).toBe(true);
    expect(result.verdict.summary.en).toMatch(/not a GPU measurement/);
  });
});

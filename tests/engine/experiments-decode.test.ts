import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/shared/errors';
import { slabPlan, kvSlabBindings } from '../../src/engine/decode/kv-pool';
import { FLAT_GROWTH } from '../../src/experiments/decode-checks';
import { WASTE_FACTOR } from '../../src/experiments/kv-memory-checks';
import { registry } from '../../src/experiments/registry';
import { ALPHA } from '../../src/experiments/statistics';
import type { ExperimentResult } from '../../src/experiments/types';
import type { Check } from '../../src/experiments/verdict';
import { createDawnEngine } from '../../electron/hosts/dawn';
import type { EngineContext } from '../../src/engine/device-info';
import { useDawnEngine } from './engine-fixture';
import { checkOf, expectWellFormed } from './experiment-checks';

// The decoding experiments on Dawn + SwiftShader. What is deterministic here (bytes the device
// allocated, its refusals, the splits it wrote, tokens and logits) must come out as claimed; the
// timing checks are judged by the experiments' own tests, and this file checks that each outcome
// follows the numbers published with it rather than asserting one the machine's load could change.

const engine = useDawnEngine();

async function run(id: string, params: Record<string, unknown> = {}, on: EngineContext = engine()): Promise<ExperimentResult> {
  const experiment = registry.get(id)!;
  const fractions: number[] = [];
  const result = await experiment.run(on, experiment.params.parse(params), (f) => fractions.push(f), new AbortController().signal);
  expectWellFormed(result, id);
  expect(fractions.length).toBeGreaterThan(1);
  console.log(`${id}: ${result.verdict.outcome} — ${result.verdict.summary.en} | control: ${result.control.outcome} (${(result.timings.wallMs / 1000).toFixed(1)} s)`);
  return result;
}

const value = (check: Check, id: string) => check.evidence.find((e) => e.id === id)!.value;

describe('decoding experiments on the software GPU', () => {
  it('kv-cache-memory: the paged cache grows with the tokens as the device counted it; the contiguous control holds its maximum from the start', async () => {
    const result = await run('kv-cache-memory');
    // Allocations are deterministic: the verdict and the control's failure are too.
    expect(result.control.outcome).toBe('does-not-hold');
    expect(result.verdict.outcome).toBe('holds');
    expect(checkOf(result.control.checks, 'grows').outcome).toBe('does-not-hold');
    expect(checkOf(result.control.checks, 'waste').outcome).toBe('does-not-hold');
    // What was measured is the pool's planned slabs, nothing more: 4096 tokens of 8 layers × 8 KV heads × 64, 16-token blocks.
    const blockBytes = 16 * 2 * 8 * 8 * 64 * 4;
    const plan = slabPlan('paged', 256, kvSlabBindings(engine().device), blockBytes, engine().device.limits.maxStorageBufferBindingSize);
    let blocks = 0;
    let slabs = 0;
    while (blocks < 16) blocks += plan[slabs++];
    expect(result.metrics.pagedMhaBytesAtFirst).toBe(blocks * blockBytes);
    expect(result.metrics.pagedMhaBytesAtMax).toBe(256 * blockBytes);
    expect(result.metrics.contiguousMhaBytesAtFirst).toBe(256 * blockBytes);
    expect(result.metrics.gqaReduction).toBe(4);
    expect(result.metrics.mqaReduction).toBe(8);
    const waste = checkOf(result.verdict.checks, 'waste');
    expect(value(waste, 'waste.ratio') as number).toBeLessThanOrEqual(WASTE_FACTOR);
    expect(value(checkOf(result.control.checks, 'waste'), 'waste.ratio')).toBe(16);
    // The mixed batch: paged near what its tokens need, contiguous every request's maximum.
    expect(result.metrics.batchContiguousBytes).toBe(8 * 4096 * 2 * 8 * 2 * 64 * 4);
    expect(result.metrics.batchPagedBytes as number).toBeLessThan(2 * (result.metrics.batchNeededBytes as number));
    // The formula is listed as a model and decides nothing.
    const models = result.verdict.evidence.filter((e) => e.source === 'model');
    expect(models.map((e) => e.id)).toEqual(['waste.needed', 'formula.perToken', 'formula.atMax']);
    expect(models.every((e) => !e.decisive)).toBe(true);
    expect(result.table.rows.every((row) => typeof row[4] === 'number')).toBe(true);
  });

  it("kv-cache-memory past the device's limits: the refused rows say so with the device's message and decide nothing", async () => {
    const limited = await createDawnEngine({ limits: 'default' });
    try {
      // 32768 tokens × 32 KiB: slabs past the default 256 MiB buffer and 128 MiB binding limits.
      const result = await run('kv-cache-memory', { maxTokens: 32768 }, limited);
      const refused = result.table.rows.filter((row) => row[4] === 'refused by the device');
      expect(refused.length).toBeGreaterThan(0);
      for (const row of refused) expect(row[6]).toBeNull();
      expect(String(result.metrics.refusal)).toMatch(/size|limit|binding|exceed/i);
      expect(result.verdict.outcome).not.toBe('holds');
      expect(result.control.outcome).not.toBe('holds');
      // Rows that ran are what the device accepted; the others carry no bytes.
      for (const row of result.table.rows) expect(typeof row[4] === 'number' || /refused|not run/.test(String(row[4]))).toBe(true);
    } finally {
      limited.close();
    }
  });

  it('kv-cache-speed: the flat test follows the repeats; without a cache the cost grows and the control fails', async () => {
    // Nine repeats rather than the default five: the control's growth (about 6×) must stand out even
    // when another test file's kernels compile beside it and throw a few samples far out.
    const result = await run('kv-cache-speed', { repeats: 9 });
    expect(result.control.outcome).toBe('does-not-hold');
    for (const checks of [result.verdict.checks, result.control.checks]) {
      const flat = checkOf(checks, 'flat');
      const growth = value(flat, 'flat.growth') as number;
      const p = value(flat, 'flat.p') as number;
      if (growth <= FLAT_GROWTH) expect(flat.outcome).toBe('holds');
      else if (flat.outcome === 'does-not-hold') expect(p).toBeLessThanOrEqual(ALPHA);
      else expect(flat.outcome).toBe('not-shown');
      expect(value(flat, 'flat.samples') as number).toBeGreaterThanOrEqual(5);
    }
    // Without the cache the last position recomputes ~25× the rows of the first.
    expect(checkOf(result.control.checks, 'flat').outcome).toBe('does-not-hold');
    expect(result.metrics.tokensMatch).toBe(true);
    expect(result.metrics.maxLogitDifference as number).toBeLessThanOrEqual(1e-4);
    expect(checkOf(result.verdict.checks, 'same-output').outcome).toBe('holds');
    const band = result.series.find((s) => s.id === 'no-cache')!;
    expect(band.yLow!.every((low, i) => low <= band.y[i] && band.y[i] <= band.yHigh![i])).toBe(true);
  });

  it('kv-flash-synergy: the cache removes the work; the split speed-up is judged only where the device can run splits side by side', async () => {
    const result = await run('kv-flash-synergy');
    const m = result.metrics;
    // The control's single split is read back from the device: one partial per head.
    expect(m.controlSplitsPerHead).toBe(1);
    expect(m.splitsPerHead).toBe(Math.ceil(253 / 64));
    expect(checkOf(result.control.checks, 'split').outcome).toBe('does-not-hold');
    expect(result.control.outcome).toBe('does-not-hold');
    expect(checkOf(result.verdict.checks, 'cache').outcome).toBe('holds');
    expect(m.tokensMatch).toBe(true);
    const speed = checkOf(result.verdict.checks, 'speed');
    if (!m.deviceCanShowSplits) {
      // A device that gains nothing from more workgroups shows nothing, and says what it measured.
      expect(speed.outcome).toBe('not-shown');
      expect(value(speed, 'speed.deviceParallel')).toBe(m.deviceParallelSpeedup);
      expect(result.verdict.outcome).not.toBe('holds');
    } else {
      // Where it could show it, the check says what the timed repeats say: no 'not-shown' hedge.
      expect(speed.outcome).not.toBe('not-shown');
      if (speed.outcome === 'holds') expect(value(speed, 'speed.p') as number).toBeLessThanOrEqual(ALPHA);
    }
    // Never 'holds' while flash-decoding was measured slower in the same run.
    if (result.verdict.outcome === 'holds') expect(m.flashDecodingSpeedup as number).toBeGreaterThan(1);
  });

  it('stops within a second of a cancel, mid-decode', async () => {
    const experiment = registry.get('kv-cache-speed')!;
    const controller = new AbortController();
    let progressed = 0;
    const pending = experiment.run(engine(), experiment.params.parse({ tokens: 256 }), () => progressed++, controller.signal);
    while (progressed < 4) await new Promise((resolve) => setTimeout(resolve, 20));
    const started = performance.now();
    controller.abort();
    const error = await pending.catch((e: unknown) => e);
    const latency = performance.now() - started;
    console.log(`cooperative cancel latency (kv-cache-speed, decoding): ${latency.toFixed(0)} ms`);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('cancelled');
    expect(latency).toBeLessThan(1000);
  });
});

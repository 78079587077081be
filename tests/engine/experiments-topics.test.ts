import { describe, expect, it } from 'vitest';
import { kvTokenBytes } from '../../src/engine/decode/kv-pool';
import { RunResult } from '../../src/shared/contract/experiments';
import { GROWTH_BAR, FLAT_BAR, MEMORY_BOUND_SHARE as BATCH_MEMORY_SHARE } from '../../src/experiments/prefill-decode-batching';
import { MEMORY_BOUND_SHARE as GQA_MEMORY_SHARE } from '../../src/experiments/gqa-mqa';
import { ERROR_BARS } from '../../src/experiments/kv-quantization';
import { requestLengths } from '../../src/experiments/paged-attention';
import { registry } from '../../src/experiments/registry';
import { SHIFT_TOLERANCE } from '../../src/experiments/rope-relative';
import { CHEAP_VERIFY_BAR } from '../../src/experiments/speculative-decoding';
import { SOFTMAX_TOLERANCE } from '../../src/experiments/online-softmax';
import { ALPHA } from '../../src/experiments/statistics';
import type { ExperimentResult } from '../../src/experiments/types';
import type { Check } from '../../src/experiments/verdict';
import { useDawnEngine } from './engine-fixture';
import { checkOf, expectWellFormed } from './experiment-checks';

// The LLM-serving experiments at their defaults (what the app runs for a card) on Dawn +
// SwiftShader. What is deterministic here — bytes the device allocated, block tables, errors
// against float64, tokens, loads counted by a kernel — must come out as claimed; a check that
// rests on time is asserted to follow the numbers published with it, never a fixed outcome.

const engine = useDawnEngine();

async function run(id: string, params: Record<string, unknown> = {}): Promise<ExperimentResult> {
  const experiment = registry.get(id)!;
  const fractions: number[] = [];
  const result = await experiment.run(engine(), experiment.params.parse(params), (f) => fractions.push(f), new AbortController().signal);
  expectWellFormed(result, id);
  // What the services store and the UI reads: the contract's schema accepts it as it crosses.
  expect(RunResult.safeParse(JSON.parse(JSON.stringify(result))).success).toBe(true);
  expect(fractions.length).toBeGreaterThan(1);
  console.log(`${id}: ${result.verdict.outcome} — ${result.verdict.summary.en} | control: ${result.control.outcome} (${(result.timings.wallMs / 1000).toFixed(1)} s)`);
  return result;
}

const value = (check: Check, id: string) => check.evidence.find((e) => e.id === id)!.value;

describe('LLM-serving experiments on the software GPU', () => {
  it('online-softmax: the naive control overflows; the online form reads each logit once and matches float64 and the two-pass form', async () => {
    const result = await run('online-softmax');
    expect(result.verdict.outcome).toBe('holds');
    expect(result.control.outcome).toBe('does-not-hold');
    const m = result.metrics;
    expect(m.onlineLoadsPerLogit).toBe(1);
    expect(m.safeLoadsPerLogit).toBe(2);
    expect(m.naiveNonFinite as number).toBeGreaterThan(0);
    expect(m.onlineMaxRelativeError as number).toBeLessThanOrEqual(SOFTMAX_TOLERANCE);
    expect(m.onlineVsSafe as number).toBeLessThanOrEqual(SOFTMAX_TOLERANCE);
    expect(checkOf(result.control.checks, 'finite').outcome).toBe('does-not-hold');
    // The naive form reads once too: that check alone does not separate the arms.
    expect(checkOf(result.control.checks, 'one-pass').outcome).toBe('holds');
  });

  it('parameters the engine cannot run are refused with a clear error before any work', async () => {
    const refuse = (id: string, params: Record<string, unknown>) => registry.get(id)!.run(engine(), registry.get(id)!.params.parse(params), () => {}, new AbortController().signal);
    await expect(refuse('paged-attention', { blockTokens: 12 })).rejects.toMatchObject({ code: 'invalid-args' });
    await expect(refuse('gqa-mqa', { groupedKvHeads: 3 })).rejects.toMatchObject({ code: 'invalid-args' });
    await expect(refuse('gqa-mqa', { groupedKvHeads: 8 })).rejects.toMatchObject({ code: 'invalid-args' });
  });

  it('rope-relative: RoPE scores survive a shift of every position to rounding; added absolute embeddings do not', async () => {
    const result = await run('rope-relative');
    expect(result.verdict.outcome).toBe('holds');
    expect(result.control.outcome).toBe('does-not-hold');
    expect(result.metrics.ropeShiftChange as number).toBeLessThanOrEqual(SHIFT_TOLERANCE);
    expect(result.metrics.absoluteShiftChange as number).toBeGreaterThan(0.01);
    expect(checkOf(result.control.checks, 'exact').outcome).toBe('holds');
  });

  it('kv-quantization: int8 and 4-bit caches take the bytes the device reports; the error checks follow the errors; one scale fails', async () => {
    const result = await run('kv-quantization');
    const m = result.metrics;
    // 8 heads × 1000 tokens × 64 channels: codes, key ranges per 64-token group and channel, value ranges per token.
    expect(m.f32Bytes).toBe(2 * 8 * 1000 * 64 * 4);
    expect(m.int8Bytes).toBe((2 * 8 * 1000 * 16 + 8 * 16 * 64 + 8 * 1000) * 4);
    expect(m.int4Bytes).toBe((2 * 8 * 1000 * 8 + 8 * 16 * 64 + 8 * 1000) * 4);
    for (const [checks, scaling] of [[result.verdict.checks, ''], [result.control.checks, 'Tensor']] as const) {
      for (const bits of [8, 4] as const) {
        const error = m[`int${bits}${scaling}Error`] as number;
        expect(checkOf(checks, `error-int${bits}`).outcome).toBe(error <= ERROR_BARS[bits] ? 'holds' : 'does-not-hold');
        expect(checkOf(checks, `memory-int${bits}`).outcome).toBe('holds');
      }
    }
    expect(m.f32Error as number).toBeLessThanOrEqual(1e-5);
    expect(m.int8TensorError as number).toBeGreaterThan(m.int8Error as number);
    expect(result.verdict.outcome).toBe('holds');
    expect(result.control.outcome).toBe('does-not-hold');
  });

  it('paged-attention: paged blocks leave under a block per request; contiguous reservations leave most of the cache empty', async () => {
    const result = await run('paged-attention');
    expect(result.verdict.outcome).toBe('holds');
    expect(result.control.outcome).toBe('does-not-hold');
    const lengths = requestLengths({ requests: 16, maxTokens: 2048, seed: 13 });
    const tokenBytes = kvTokenBytes({ layers: 2, kvHeads: 2, headDim: 64 });
    expect(result.metrics.tokens).toBe(lengths.reduce((a, b) => a + b, 0));
    expect(result.metrics.contiguousDeviceBytes).toBe(16 * 2048 * tokenBytes);
    expect(result.metrics.pagedWorstEmptySlots as number).toBeLessThan(16);
    // Every request's slots are whole blocks just covering its tokens.
    for (const row of result.table.rows) expect(row[2]).toBe(Math.ceil((row[1] as number) / 16) * 16);
    expect(result.metrics.contiguousEmptyShare as number).toBeGreaterThan(0.6);
  });

  it('gqa-mqa: the cache shrinks by H/G as the device counted it; the speed check is judged only where decode attention is memory-bound', async () => {
    const result = await run('gqa-mqa');
    expect(result.metrics.gqaReduction).toBe(4);
    expect(result.metrics.mqaReduction).toBe(8);
    expect(checkOf(result.control.checks, 'cache-mha-control').outcome).toBe('does-not-hold');
    expect(result.control.outcome).toBe('does-not-hold');
    const share = result.metrics.mhaBandwidthShare as number;
    for (const id of ['faster-gqa', 'faster-mqa']) {
      const check = checkOf(result.verdict.checks, id);
      expect(value(check, `${id}.bandwidthShare`)).toBeCloseTo(share, 10);
      if (share < GQA_MEMORY_SHARE) expect(check.outcome).toBe('not-shown');
    }
    if (share < GQA_MEMORY_SHARE) expect(result.verdict.outcome).toBe('not-shown');
  });

  it('prefill-decode-batching: each check follows the throughputs and the roofline share it publishes', async () => {
    const result = await run('prefill-decode-batching');
    for (const checks of [result.verdict.checks, result.control.checks]) {
      const grows = checkOf(checks, 'grows');
      const ratio = value(grows, 'grows.ratio') as number;
      const p = value(grows, 'grows.p') as number;
      if (grows.outcome === 'holds') expect(ratio >= GROWTH_BAR && p <= ALPHA).toBe(true);
      if (grows.outcome === 'does-not-hold') expect(ratio).toBeLessThanOrEqual(FLAT_BAR);
      const memory = checkOf(checks, 'memory-bound');
      const share = value(memory, 'memory-bound.share') as number;
      expect(memory.outcome === 'holds').toBe(share >= BATCH_MEMORY_SHARE);
    }
    // One decode row runs the GEMV, batches the tiled GEMM; the buffers are what the device accepted.
    const rows = result.table.rows;
    expect(rows.filter((row) => row[3] === 'gemv').map((row) => row[2])).toEqual([1]);
    expect(rows.length).toBe(7 + 3);
    expect(result.roofline?.points.map((p) => p.id)).toEqual(['decode-1', 'decode-64', 'prefill-1']);
    if ((result.metrics.decodeBandwidthShare as number) < BATCH_MEMORY_SHARE) expect(result.verdict.outcome).not.toBe('holds');
  });

  it('speculative-decoding: every draft gives the target’s tokens; the unrelated control gets one token per target run', async () => {
    const result = await run('speculative-decoding');
    const m = result.metrics;
    for (const id of ['self', 'early-exit', 'noisy', 'unrelated']) expect(m[`${id}TokensMatch`]).toBe(true);
    expect(m.selfAlpha).toBe(1);
    expect(m.unrelatedTokensPerRun as number).toBeLessThanOrEqual(1.1);
    expect(checkOf(result.control.checks, 'tokens-per-run').outcome).toBe('does-not-hold');
    expect(result.control.outcome).toBe('does-not-hold');
    expect(checkOf(result.verdict.checks, 'same-output').outcome).toBe('holds');
    expect(checkOf(result.verdict.checks, 'tokens-per-run').outcome).toBe('holds');
    const faster = checkOf(result.verdict.checks, 'faster');
    const cost = value(faster, 'faster.verifyCost') as number;
    if (cost > CHEAP_VERIFY_BAR) expect(faster.outcome).not.toBe('does-not-hold');
    // The acceptance rate orders the drafts that cost the same.
    expect(m['early-exitAlpha'] as number).toBeGreaterThan(m.noisyAlpha as number);
    expect(m.noisyAlpha as number).toBeGreaterThanOrEqual(m.unrelatedAlpha as number);
  });
});

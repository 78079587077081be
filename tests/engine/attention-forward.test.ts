import { describe, expect, it } from 'vitest';
import { runAttentionForward, type AttentionShape, type FlashPrecision, type FlashVariant } from '../../src/engine';
import { roundToHalf } from '../../src/engine/attention/flash-storage.wgsl';
import { referenceAttentionForward } from '../../src/engine/reference/attention';
import { relativeL2Error } from '../../src/engine/reference/gemm';
import { SeededRandom, normalFloat32 } from '../../src/engine/reference/random';
import { createDawnEngine } from '../../electron/hosts/dawn';
import { freshSeed, useDawnEngine } from './engine-fixture';
import { F16_OUTPUT_BAR, rmsError, type FlashRun } from './flash-bars';

const engine = useDawnEngine();
const seed = freshSeed();
console.log(`attention-forward.test seed ${seed}`);

const ALL: FlashRun[] = [
  { variant: 'fallback', precision: 'f32' },
  { variant: 'fallback', precision: 'f16' },
  { variant: 'gpu', precision: 'f32' },
  { variant: 'gpu', precision: 'f16' },
];

/**
 * The standard kernel and each flash run vs float64 on one set of fresh inputs. Each run is exact
 * (f32 bar) against the reference of the values it stored (f16: the inputs rounded to half), and
 * an f16 run stays within the f16 bar of the reference of the unrounded inputs.
 */
async function expectForward(shape: AttentionShape, runs: readonly FlashRun[]): Promise<void> {
  const random = new SeededRandom(seed ^ (shape.n * 1000 + shape.d * 10 + (shape.causal ? 1 : 0)));
  const count = shape.batchHeads * shape.n * shape.d;
  const q = normalFloat32(random, count);
  const k = normalFloat32(random, count);
  const v = normalFloat32(random, count);
  const exact = referenceAttentionForward(q, k, v, shape);
  const halves = runs.some((run) => run.precision === 'f16') ? referenceAttentionForward(roundToHalf(q), roundToHalf(k), roundToHalf(v), shape) : exact;
  const standard = await runAttentionForward(engine(), 'standard', { q, k, v }, shape);
  expect(relativeL2Error(standard.o, exact.o), 'standard O').toBeLessThan(1e-5);
  expect(relativeL2Error(standard.lse, exact.lse), 'standard L').toBeLessThan(1e-5);
  for (const run of runs) {
    const result = await runAttentionForward(engine(), 'flash', { q, k, v }, shape, run);
    expect(result.flash).toMatchObject(run);
    const stored = run.precision === 'f16' ? halves : exact;
    const outputError = relativeL2Error(result.o, stored.o);
    const lseError = relativeL2Error(result.lse, stored.lse);
    const label = `N=${shape.n} d=${shape.d} heads=${shape.batchHeads} causal=${shape.causal} ${result.kernel}`;
    console.log(`forward ${label}: O rel L2 ${outputError.toExponential(2)}, L rel L2 ${lseError.toExponential(2)} (rows ${result.flash?.rowsPerWorkgroup}, keys ${result.flash?.keysPerTile})`);
    expect(outputError, `${label} O`).toBeLessThan(1e-5);
    expect(lseError, `${label} L`).toBeLessThan(1e-5);
    if (run.precision === 'f16') {
      const halfOutput = relativeL2Error(result.o, exact.o);
      const halfLse = rmsError(result.lse, exact.lse);
      console.log(`forward ${label} vs unrounded inputs: O rel L2 ${halfOutput.toExponential(2)}, L rms ${halfLse.toExponential(2)}`);
      expect(halfOutput, `${label} O vs unrounded`).toBeLessThan(F16_OUTPUT_BAR);
      expect(halfLse, `${label} L vs unrounded`).toBeLessThan(F16_OUTPUT_BAR);
    }
  }
}

describe('attention forward on Dawn + SwiftShader vs float64, each variant and precision', () => {
  // Sizes that are not multiples of any tile (fallback: 64 rows, 8–16 keys; gpu: 128 rows, 32–64 keys).
  for (const n of [1, 7, 65, 200]) {
    for (const d of [32, 64, 128]) {
      for (const causal of [false, true]) {
        it(`N=${n} d=${d} causal=${causal}, 3 heads`, () => expectForward({ batchHeads: 3, n, d, causal }, ALL), 600_000);
      }
    }
  }

  for (const d of [6, 36]) {
    it(`head size d=${d}, not a multiple of 4, both variants and precisions`, () => expectForward({ batchHeads: 2, n: 70, d, causal: true }, ALL), 600_000);
  }

  it('an odd head size runs in f32 on both variants; f16 storage refuses it with a clear error', async () => {
    await expectForward({ batchHeads: 2, n: 19, d: 33, causal: false }, ALL.filter((run) => run.precision === 'f32'));
    const inputs = { q: new Float32Array(19 * 33), k: new Float32Array(19 * 33), v: new Float32Array(19 * 33) };
    for (const variant of ['gpu', 'fallback'] as FlashVariant[]) {
      await expect(runAttentionForward(engine(), 'flash', inputs, { batchHeads: 1, n: 19, d: 33, causal: false }, { variant, precision: 'f16' })).rejects.toThrow(/head size must be even \(got d=33\)/);
    }
  }, 600_000);

  for (const causal of [false, true]) {
    it(`N=1000 d=64 causal=${causal}, 2 heads`, () => expectForward({ batchHeads: 2, n: 1000, d: 64, causal }, ALL), 600_000);
  }
  it('N=1000 d=128 causal, 1 head, f32', () => expectForward({ batchHeads: 1, n: 1000, d: 128, causal: true }, ALL.filter((run) => run.precision === 'f32')), 600_000);

  it('the gpu variant uses subgroups where the device has them, and its plain path is exact on a device without', async () => {
    expect(engine().info.subgroups).toBe(true);
    const plain = await createDawnEngine({ subgroups: false });
    try {
      expect(plain.info.subgroups).toBe(false);
      const shape = { batchHeads: 2, n: 150, d: 32, causal: true };
      const random = new SeededRandom(seed + 5);
      const [q, k, v] = [0, 1, 2].map(() => normalFloat32(random, 2 * 150 * 32));
      const reference = referenceAttentionForward(q, k, v, shape);
      const withSubgroups = await runAttentionForward(engine(), 'flash', { q, k, v }, shape, { variant: 'gpu' });
      const without = await runAttentionForward(plain, 'flash', { q, k, v }, shape, { variant: 'gpu' });
      expect(withSubgroups.flash?.subgroups).toBe(true);
      expect(without.flash?.subgroups).toBe(false);
      for (const result of [withSubgroups, without]) {
        expect(relativeL2Error(result.o, reference.o)).toBeLessThan(1e-5);
        expect(relativeL2Error(result.lse, reference.lse)).toBeLessThan(1e-5);
      }
    } finally {
      plain.close();
    }
  }, 600_000);

  it("'auto' runs the fallback variant on this software adapter, and an unknown variant or precision is refused", async () => {
    const shape = { batchHeads: 1, n: 5, d: 8, causal: false };
    const inputs = { q: new Float32Array(40).fill(0.5), k: new Float32Array(40).fill(0.25), v: new Float32Array(40).fill(1) };
    const auto = await runAttentionForward(engine(), 'flash', inputs, shape, { variant: 'auto' });
    expect(engine().info.isFallback).toBe(true);
    expect(auto.flash?.variant).toBe('fallback');
    expect(auto.kernel).toBe('flash.fallback.f32');
    await expect(runAttentionForward(engine(), 'flash', inputs, shape, { variant: 'tiled' as FlashVariant })).rejects.toThrow(/unknown flash variant 'tiled'/);
    await expect(runAttentionForward(engine(), 'flash', inputs, shape, { precision: 'bf16' as FlashPrecision })).rejects.toThrow(/unknown storage precision 'bf16'/);
  });
});

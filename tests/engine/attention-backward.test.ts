import { describe, expect, it } from 'vitest';
import { runAttentionBackward, type AttentionShape } from '../../src/engine';
import { roundToHalf } from '../../src/engine/attention/flash-storage.wgsl';
import { referenceAttentionBackward } from '../../src/engine/reference/attention';
import { relativeL2Error } from '../../src/engine/reference/gemm';
import { SeededRandom, normalFloat32 } from '../../src/engine/reference/random';
import { freshSeed, useDawnEngine } from './engine-fixture';
import { F16_GRADIENT_BAR, type FlashRun } from './flash-bars';

const engine = useDawnEngine();
const seed = freshSeed();
console.log(`attention-backward.test seed ${seed}`);

const F32: FlashRun[] = [
  { variant: 'fallback', precision: 'f32' },
  { variant: 'gpu', precision: 'f32' },
];
const ALL: FlashRun[] = [...F32, { variant: 'fallback', precision: 'f16' }, { variant: 'gpu', precision: 'f16' }];

/** dQ, dK, dV of the standard backward and each flash run vs float64 (f16 runs as in the forward test). */
async function expectGradients(shape: AttentionShape, runs: readonly FlashRun[], standard = true): Promise<void> {
  const random = new SeededRandom(seed ^ (shape.n * 1000 + shape.d * 10 + (shape.causal ? 1 : 0)));
  const count = shape.batchHeads * shape.n * shape.d;
  const [q, k, v, dO] = [0, 1, 2, 3].map(() => normalFloat32(random, count));
  const exact = referenceAttentionBackward(q, k, v, dO, shape);
  const halves = runs.some((run) => run.precision === 'f16') ? referenceAttentionBackward(roundToHalf(q), roundToHalf(k), roundToHalf(v), roundToHalf(dO), shape) : exact;
  const errors = (result: { dq: Float32Array; dk: Float32Array; dv: Float32Array }, reference: typeof exact) => ({
    dQ: relativeL2Error(result.dq, reference.dq),
    dK: relativeL2Error(result.dk, reference.dk),
    dV: relativeL2Error(result.dv, reference.dv),
  });
  const format = (e: Record<string, number>) => Object.entries(e).map(([name, error]) => `${name} ${error.toExponential(2)}`).join(' ');
  const label = `N=${shape.n} d=${shape.d} heads=${shape.batchHeads} causal=${shape.causal}`;
  if (standard) {
    const result = await runAttentionBackward(engine(), 'standard', { q, k, v, dO }, shape);
    const standardErrors = errors(result, exact);
    console.log(`backward ${label} standard: ${format(standardErrors)}`);
    for (const [name, error] of Object.entries(standardErrors)) expect(error, `standard ${name}`).toBeLessThan(1e-4);
  }
  for (const run of runs) {
    const result = await runAttentionBackward(engine(), 'flash', { q, k, v, dO }, shape, run);
    expect(result.flash).toMatchObject(run);
    const stored = errors(result, run.precision === 'f16' ? halves : exact);
    console.log(`backward ${label} ${result.kernel}: ${format(stored)} (rows ${result.flash?.rowsPerWorkgroup}, tile ${result.flash?.keysPerTile})`);
    for (const [name, error] of Object.entries(stored)) expect(error, `${result.kernel} ${name}`).toBeLessThan(1e-4);
    if (run.precision === 'f16') {
      const unrounded = errors(result, exact);
      console.log(`backward ${label} ${result.kernel} vs unrounded inputs: ${format(unrounded)}`);
      for (const [name, error] of Object.entries(unrounded)) expect(error, `${result.kernel} ${name} vs unrounded`).toBeLessThan(F16_GRADIENT_BAR);
    }
  }
}

describe('attention backward on Dawn + SwiftShader vs float64, each variant and precision', () => {
  for (const n of [1, 7, 65, 200]) {
    for (const d of [32, 64, 128]) {
      for (const causal of [false, true]) {
        // f16 storage at d = 64 for every N; the f32 runs cover every head size.
        it(`N=${n} d=${d} causal=${causal}, 3 heads`, () => expectGradients({ batchHeads: 3, n, d, causal }, d === 64 ? ALL : F32), 600_000);
      }
    }
  }

  it('head sizes that are not a multiple of 4 (d=36 f32, d=6 f16)', async () => {
    await expectGradients({ batchHeads: 2, n: 70, d: 36, causal: true }, F32, false);
    await expectGradients({ batchHeads: 2, n: 70, d: 6, causal: false }, ALL, false);
  }, 600_000);

  for (const causal of [false, true]) {
    it(`N=1000 d=64 causal=${causal}`, () => expectGradients({ batchHeads: 1, n: 1000, d: 64, causal }, ALL), 600_000);
  }
});

import { describe, expect, it } from 'vitest';
import { runAttentionBackward, type AttentionShape } from '../../src/engine';
import { referenceAttentionBackward } from '../../src/engine/reference/attention';
import { relativeL2Error } from '../../src/engine/reference/gemm';
import { SeededRandom, normalFloat32 } from '../../src/engine/reference/random';
import { freshSeed, useDawnEngine } from './engine-fixture';

const engine = useDawnEngine();
const seed = freshSeed();
console.log(`attention-backward.test seed ${seed}`);

async function expectGradients(shape: AttentionShape): Promise<void> {
  const random = new SeededRandom(seed ^ (shape.n * 1000 + shape.d * 10 + (shape.causal ? 1 : 0)));
  const count = shape.batchHeads * shape.n * shape.d;
  const [q, k, v, dO] = [0, 1, 2, 3].map(() => normalFloat32(random, count));
  const reference = referenceAttentionBackward(q, k, v, dO, shape);
  for (const kernel of ['flash', 'standard'] as const) {
    const result = await runAttentionBackward(engine(), kernel, { q, k, v, dO }, shape);
    const errors = { dQ: relativeL2Error(result.dq, reference.dq), dK: relativeL2Error(result.dk, reference.dk), dV: relativeL2Error(result.dv, reference.dv) };
    console.log(`backward N=${shape.n} d=${shape.d} causal=${shape.causal} ${kernel}: dQ ${errors.dQ.toExponential(2)} dK ${errors.dK.toExponential(2)} dV ${errors.dV.toExponential(2)}`);
    for (const [name, error] of Object.entries(errors)) expect(error, `${kernel} ${name}`).toBeLessThan(1e-4);
  }
}

describe('attention backward on Dawn + SwiftShader vs float64', () => {
  for (const n of [1, 7, 63, 64, 65]) {
    for (const d of [32, 64, 128]) {
      for (const causal of [false, true]) {
        it(`N=${n} d=${d} causal=${causal}`, () => expectGradients({ batchHeads: 2, n, d, causal }));
      }
    }
  }
  for (const causal of [false, true]) {
    it(`N=1000 d=64 causal=${causal}`, () => expectGradients({ batchHeads: 1, n: 1000, d: 64, causal }), 600_000);
  }
});

import { describe, expect, it } from 'vitest';
import { runAttentionForward, type AttentionShape, type FlashVariant } from '../../src/engine';
import { referenceAttentionForward } from '../../src/engine/reference/attention';
import { relativeL2Error } from '../../src/engine/reference/gemm';
import { SeededRandom, normalFloat32 } from '../../src/engine/reference/random';
import { freshSeed, useDawnEngine } from './engine-fixture';

const engine = useDawnEngine();
const seed = freshSeed();
console.log(`attention-forward.test seed ${seed}`);

/** Both forward kernels (and both flash variants) vs float64 on one set of fresh inputs. */
async function expectExact(shape: AttentionShape, variants: readonly FlashVariant[]): Promise<void> {
  const random = new SeededRandom(seed ^ (shape.n * 1000 + shape.d * 10 + (shape.causal ? 1 : 0)));
  const count = shape.batchHeads * shape.n * shape.d;
  const q = normalFloat32(random, count);
  const k = normalFloat32(random, count);
  const v = normalFloat32(random, count);
  const reference = referenceAttentionForward(q, k, v, shape);
  const runs = [runAttentionForward(engine(), 'standard', { q, k, v }, shape)];
  for (const variant of variants) runs.push(runAttentionForward(engine(), 'flash', { q, k, v }, shape, { variant }));
  for (const result of await Promise.all(runs)) {
    const outputError = relativeL2Error(result.o, reference.o);
    const lseError = relativeL2Error(result.lse, reference.lse);
    console.log(`forward N=${shape.n} d=${shape.d} causal=${shape.causal} ${result.kernel}: O rel L2 ${outputError.toExponential(2)}, L rel L2 ${lseError.toExponential(2)}`);
    expect(outputError, `${result.kernel} O`).toBeLessThan(1e-5);
    expect(lseError, `${result.kernel} L`).toBeLessThan(1e-5);
  }
}

describe('attention forward on Dawn + SwiftShader vs float64', () => {
  for (const n of [1, 7, 63, 64, 65]) {
    for (const d of [32, 64, 128]) {
      for (const causal of [false, true]) {
        it(`N=${n} d=${d} causal=${causal}`, () => expectExact({ batchHeads: 2, n, d, causal }, ['tiled', 'rows']));
      }
    }
  }
  // Large N for a subset of head sizes keeps the suite within minutes on a shared software GPU;
  // the tiled variant (slowest on SwiftShader) runs the causal N=1000 cases.
  for (const d of [32, 128]) {
    for (const causal of [false, true]) {
      it(`N=1000 d=${d} causal=${causal}`, () => expectExact({ batchHeads: 1, n: 1000, d, causal }, causal ? ['rows', 'tiled'] : ['rows']), 600_000);
    }
  }
  for (const causal of [false, true]) {
    it(`N=2048 d=64 causal=${causal}`, () => expectExact({ batchHeads: 1, n: 2048, d: 64, causal }, ['rows']), 600_000);
  }
});

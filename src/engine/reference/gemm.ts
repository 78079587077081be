import type { GemmShape } from '../gemm/Gemm';

/** Float64 reference of the engine's GEMM with the same shape conventions (strides, offsets, transposes). */
export function referenceGemm(a: ArrayLike<number>, b: ArrayLike<number>, shape: GemmShape): Float64Array {
  const { m, n, k } = shape;
  const batch = shape.batch ?? 1;
  const strideA = shape.strideA ?? m * k;
  const strideB = shape.strideB ?? k * n;
  const alpha = shape.alpha ?? 1;
  const c = new Float64Array(batch * m * n);
  for (let index = 0; index < batch; index++) {
    const baseA = (shape.offsetA ?? 0) + index * strideA;
    const baseB = (shape.offsetB ?? 0) + index * strideB;
    for (let row = 0; row < m; row++) {
      for (let col = 0; col < n; col++) {
        let sum = 0;
        for (let depth = 0; depth < k; depth++) {
          const av = shape.transposeA ? a[baseA + depth * m + row] : a[baseA + row * k + depth];
          const bv = shape.transposeB ? b[baseB + col * k + depth] : b[baseB + depth * n + col];
          sum += av * bv;
        }
        c[index * m * n + row * n + col] = alpha * sum;
      }
    }
  }
  return c;
}

/** ‖actual − expected‖₂ / ‖expected‖₂ (0 when both are empty; the absolute norm when expected is 0). */
export function relativeL2Error(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) throw new Error(`length mismatch: ${actual.length} vs ${expected.length}`);
  let difference = 0;
  let norm = 0;
  for (let index = 0; index < expected.length; index++) {
    const delta = actual[index] - expected[index];
    difference += delta * delta;
    norm += expected[index] * expected[index];
  }
  if (norm === 0) return Math.sqrt(difference);
  return Math.sqrt(difference / norm);
}

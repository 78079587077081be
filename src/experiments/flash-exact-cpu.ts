import type { AttentionShape } from '../engine/attention/shape';

/** How the CPU stand-in computes: float32 emulates the GPU's arithmetic; `rescale: false` is the control arm. */
export interface OnlineSoftmaxOptions {
  /** Keys per tile. */
  tile: number;
  /** Round every operation to float32 (Math.fround), as a float32 kernel does. */
  float32: boolean;
  /** Rescale the running sum and output when the running max grows (what makes it exact). */
  rescale: boolean;
}

/**
 * Flash-Attention's algorithm on the CPU, for the no-GPU reference run: keys visited in tiles, a
 * running max m and sum l per row, the output rescaled when m grows and divided by l once at the
 * end. In float32 (every operation rounded) it measures the algorithm's own rounding error on this
 * CPU; without the rescale it is the approximation that flash-exact's control arm must expose.
 */
export function onlineSoftmaxAttention(q: ArrayLike<number>, k: ArrayLike<number>, v: ArrayLike<number>, shape: AttentionShape, options: OnlineSoftmaxOptions): Float64Array {
  const r = options.float32 ? Math.fround : (x: number) => x;
  const { batchHeads, n, d, causal } = shape;
  const scale = r(1 / Math.sqrt(d));
  const out = new Float64Array(batchHeads * n * d);
  const accumulator = new Float64Array(d);
  for (let b = 0; b < batchHeads; b++) {
    const base = b * n * d;
    for (let row = 0; row < n; row++) {
      let max = -Infinity;
      let sum = 0;
      accumulator.fill(0);
      const last = causal ? row : n - 1;
      for (let start = 0; start <= last; start += options.tile) {
        const end = Math.min(last, start + options.tile - 1);
        for (let key = start; key <= end; key++) {
          let s = 0;
          for (let i = 0; i < d; i++) s = r(s + r(r(q[base + row * d + i] * scale) * k[base + key * d + i]));
          if (s > max) {
            if (options.rescale) {
              const correction = r(Math.exp(r(max - s)));
              sum = r(sum * correction);
              for (let i = 0; i < d; i++) accumulator[i] = r(accumulator[i] * correction);
            }
            max = s;
          }
          const p = r(Math.exp(r(s - max)));
          sum = r(sum + p);
          for (let i = 0; i < d; i++) accumulator[i] = r(accumulator[i] + r(p * v[base + key * d + i]));
        }
      }
      const inverse = r(1 / sum);
      for (let i = 0; i < d; i++) out[base + row * d + i] = r(accumulator[i] * inverse);
    }
  }
  return out;
}

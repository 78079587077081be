import type { AttentionShape } from '../engine/attention/shape';

/**
 * Flash-Attention's algorithm on the CPU in float64, for the no-GPU reference run: keys visited in
 * tiles of `tile`, a running max m and sum l per row, the output rescaled when m grows and divided
 * by l once at the end. Not a GPU kernel: it shows that the algorithm, not the hardware, is exact.
 */
export function onlineSoftmaxAttention(q: ArrayLike<number>, k: ArrayLike<number>, v: ArrayLike<number>, shape: AttentionShape, tile: number): Float64Array {
  const { batchHeads, n, d, causal } = shape;
  const scale = 1 / Math.sqrt(d);
  const out = new Float64Array(batchHeads * n * d);
  const accumulator = new Float64Array(d);
  for (let b = 0; b < batchHeads; b++) {
    const base = b * n * d;
    for (let row = 0; row < n; row++) {
      let max = -Infinity;
      let sum = 0;
      accumulator.fill(0);
      const last = causal ? row : n - 1;
      for (let start = 0; start <= last; start += tile) {
        const end = Math.min(last, start + tile - 1);
        const scores: number[] = [];
        let tileMax = -Infinity;
        for (let key = start; key <= end; key++) {
          let s = 0;
          for (let i = 0; i < d; i++) s += q[base + row * d + i] * k[base + key * d + i];
          scores.push(s * scale);
          tileMax = Math.max(tileMax, s * scale);
        }
        const newMax = Math.max(max, tileMax);
        const correction = Math.exp(max - newMax);
        sum *= correction;
        for (let i = 0; i < d; i++) accumulator[i] *= correction;
        for (let j = 0; j < scores.length; j++) {
          const p = Math.exp(scores[j] - newMax);
          sum += p;
          for (let i = 0; i < d; i++) accumulator[i] += p * v[base + (start + j) * d + i];
        }
        max = newMax;
      }
      for (let i = 0; i < d; i++) out[base + row * d + i] = accumulator[i] / sum;
    }
  }
  return out;
}

/**
 * Row softmax in float64, by the safe form (the max subtracted first), which is exact up to
 * float64 rounding for any finite logits: the reference every softmax kernel is compared with.
 */
export function referenceSoftmax(logits: ArrayLike<number>, rows: number, length: number): Float64Array {
  const out = new Float64Array(rows * length);
  for (let row = 0; row < rows; row++) {
    const base = row * length;
    let max = -Infinity;
    for (let index = 0; index < length; index++) max = Math.max(max, logits[base + index]);
    let sum = 0;
    for (let index = 0; index < length; index++) sum += Math.exp(logits[base + index] - max);
    for (let index = 0; index < length; index++) out[base + index] = Math.exp(logits[base + index] - max) / sum;
  }
  return out;
}

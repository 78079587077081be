import { attentionScale, type AttentionShape } from '../attention/shape';

/**
 * Float64 forward: O = softmax(QKᵀ/√d (+ causal mask)) V and L = row logsumexp of the scaled scores.
 * `rows` computes only the first rows of every head (the rest stay 0), to check a partial run.
 */
export function referenceAttentionForward(q: ArrayLike<number>, k: ArrayLike<number>, v: ArrayLike<number>, shape: AttentionShape, rows = shape.n): { o: Float64Array; lse: Float64Array } {
  const { batchHeads, n, d, causal } = shape;
  const scale = attentionScale(d);
  const o = new Float64Array(batchHeads * n * d);
  const lse = new Float64Array(batchHeads * n);
  const scores = new Float64Array(n);
  for (let head = 0; head < batchHeads; head++) {
    const base = head * n * d;
    for (let row = 0; row < Math.min(rows, n); row++) {
      const keys = causal ? row + 1 : n;
      let max = -Infinity;
      for (let key = 0; key < keys; key++) {
        let dot = 0;
        for (let index = 0; index < d; index++) dot += q[base + row * d + index] * k[base + key * d + index];
        scores[key] = dot * scale;
        if (scores[key] > max) max = scores[key];
      }
      let sum = 0;
      for (let key = 0; key < keys; key++) {
        scores[key] = Math.exp(scores[key] - max);
        sum += scores[key];
      }
      const out = base + row * d;
      for (let key = 0; key < keys; key++) {
        const weight = scores[key] / sum;
        for (let index = 0; index < d; index++) o[out + index] += weight * v[base + key * d + index];
      }
      lse[head * n + row] = max + Math.log(sum);
    }
  }
  return { o, lse };
}

/**
 * Float64 backward of the same attention given the output gradient dO:
 * P = softmax(S), dV = Pᵀ dO, dP = dO Vᵀ, dS = P ∘ (dP − rowsum(dO ∘ O)), dQ = dS K/√d, dK = dSᵀ Q/√d.
 */
export function referenceAttentionBackward(q: ArrayLike<number>, k: ArrayLike<number>, v: ArrayLike<number>, dO: ArrayLike<number>, shape: AttentionShape): { dq: Float64Array; dk: Float64Array; dv: Float64Array } {
  const { batchHeads, n, d, causal } = shape;
  const scale = attentionScale(d);
  const { o, lse } = referenceAttentionForward(q, k, v, shape);
  const dq = new Float64Array(batchHeads * n * d);
  const dk = new Float64Array(batchHeads * n * d);
  const dv = new Float64Array(batchHeads * n * d);
  for (let head = 0; head < batchHeads; head++) {
    const base = head * n * d;
    for (let row = 0; row < n; row++) {
      let rowDot = 0;
      for (let index = 0; index < d; index++) rowDot += dO[base + row * d + index] * o[base + row * d + index];
      const keys = causal ? row + 1 : n;
      for (let key = 0; key < keys; key++) {
        let score = 0;
        let gradientDot = 0;
        for (let index = 0; index < d; index++) {
          score += q[base + row * d + index] * k[base + key * d + index];
          gradientDot += dO[base + row * d + index] * v[base + key * d + index];
        }
        const probability = Math.exp(score * scale - lse[head * n + row]);
        const scoreGradient = probability * (gradientDot - rowDot) * scale;
        for (let index = 0; index < d; index++) {
          dv[base + key * d + index] += probability * dO[base + row * d + index];
          dq[base + row * d + index] += scoreGradient * k[base + key * d + index];
          dk[base + key * d + index] += scoreGradient * q[base + row * d + index];
        }
      }
    }
  }
  return { dq, dk, dv };
}

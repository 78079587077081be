import { qkvWidth, type DecoderConfig } from '../transformer/DecoderConfig';
import { rotaryTables, type DecoderWeights } from '../transformer/DecoderWeights';

/** y[rows][n] = x[rows][k] · w[k][n] in float64. */
function matmul(x: Float64Array, w: Float32Array, rows: number, k: number, n: number): Float64Array {
  const y = new Float64Array(rows * n);
  for (let row = 0; row < rows; row++) {
    for (let depth = 0; depth < k; depth++) {
      const value = x[row * k + depth];
      if (value === 0) continue;
      const wBase = depth * n;
      const yBase = row * n;
      for (let column = 0; column < n; column++) y[yBase + column] += value * w[wBase + column];
    }
  }
  return y;
}

function rmsNorm(x: Float64Array, gain: Float32Array, rows: number, width: number, epsilon = 1e-5): Float64Array {
  const y = new Float64Array(rows * width);
  for (let row = 0; row < rows; row++) {
    let squares = 0;
    for (let column = 0; column < width; column++) squares += x[row * width + column] ** 2;
    const scale = 1 / Math.sqrt(squares / width + epsilon);
    for (let column = 0; column < width; column++) y[row * width + column] = x[row * width + column] * scale * gain[column];
  }
  return y;
}

/**
 * Float64 forward of the decoder (same weights, same math as the GPU model) over a whole token
 * sequence, with causal attention; returns the logits of every position [tokens.length][vocab].
 * Because the GPU's cached decode step for position p must equal row p of this, it is the
 * reference for a decode step as well as for a full forward.
 */
export function referenceDecoderForward(config: DecoderConfig, weights: DecoderWeights, tokens: ArrayLike<number>): Float64Array {
  const { dModel, heads, kvHeads, headDim, hidden, vocab } = config;
  const rows = tokens.length;
  const half = headDim / 2;
  const width = qkvWidth(config);
  const group = heads / kvHeads;
  const rotary = rotaryTables(config);
  const x = new Float64Array(rows * dModel);
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column < dModel; column++) x[row * dModel + column] = weights.embedding[tokens[row] * dModel + column];
  }
  const rotate = (vector: Float64Array, base: number, position: number) => {
    for (let pair = 0; pair < half; pair++) {
      const c = rotary.cos[position * half + pair];
      const s = rotary.sin[position * half + pair];
      const first = vector[base + pair];
      const second = vector[base + pair + half];
      vector[base + pair] = first * c - second * s;
      vector[base + pair + half] = second * c + first * s;
    }
  };
  for (const layer of weights.layers) {
    const qkv = matmul(rmsNorm(x, layer.attentionNorm, rows, dModel), layer.qkv, rows, dModel, width);
    for (let row = 0; row < rows; row++) {
      for (let head = 0; head < heads + kvHeads; head++) rotate(qkv, row * width + head * headDim, row);
    }
    const attention = new Float64Array(rows * heads * headDim);
    const scores = new Float64Array(rows);
    for (let row = 0; row < rows; row++) {
      for (let head = 0; head < heads; head++) {
        const queryBase = row * width + head * headDim;
        const kvHead = Math.floor(head / group);
        let maximum = -Infinity;
        for (let key = 0; key <= row; key++) {
          const keyBase = key * width + (heads + kvHead) * headDim;
          let dot = 0;
          for (let column = 0; column < headDim; column++) dot += qkv[queryBase + column] * qkv[keyBase + column];
          scores[key] = dot / Math.sqrt(headDim);
          maximum = Math.max(maximum, scores[key]);
        }
        let sum = 0;
        for (let key = 0; key <= row; key++) {
          scores[key] = Math.exp(scores[key] - maximum);
          sum += scores[key];
        }
        const outBase = (row * heads + head) * headDim;
        for (let key = 0; key <= row; key++) {
          const valueBase = key * width + (heads + kvHeads + kvHead) * headDim;
          const weight = scores[key] / sum;
          for (let column = 0; column < headDim; column++) attention[outBase + column] += weight * qkv[valueBase + column];
        }
      }
    }
    const attended = matmul(attention, layer.output, rows, heads * headDim, dModel);
    for (let index = 0; index < x.length; index++) x[index] += attended[index];
    const gateUp = matmul(rmsNorm(x, layer.mlpNorm, rows, dModel), layer.gateUp, rows, dModel, 2 * hidden);
    const act = new Float64Array(rows * hidden);
    for (let row = 0; row < rows; row++) {
      for (let column = 0; column < hidden; column++) {
        const gate = gateUp[row * 2 * hidden + column];
        act[row * hidden + column] = (gate / (1 + Math.exp(-gate))) * gateUp[row * 2 * hidden + hidden + column];
      }
    }
    const down = matmul(act, layer.down, rows, hidden, dModel);
    for (let index = 0; index < x.length; index++) x[index] += down[index];
  }
  return matmul(rmsNorm(x, weights.finalNorm, rows, dModel), weights.unembedding, rows, dModel, vocab);
}

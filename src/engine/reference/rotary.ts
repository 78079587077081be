/**
 * Float64 references for rotary position embeddings (half-rotation layout: pair i is components
 * i and i + headDim/2, as rotary.wgsl.ts): rotation by exact float64 angles, and the scores of
 * rotated queries against rotated keys.
 */

/** `vector` (headDim values from `offset`) rotated to `position` in float64: angle position · base^(−2i/headDim). */
export function referenceRotate(vector: ArrayLike<number>, offset: number, headDim: number, position: number, base = 10000): Float64Array {
  const half = headDim / 2;
  const out = new Float64Array(headDim);
  for (let pair = 0; pair < half; pair++) {
    const angle = position * Math.pow(base, (-2 * pair) / headDim);
    const c = Math.cos(angle);
    const s = Math.sin(angle);
    const first = vector[offset + pair];
    const second = vector[offset + pair + half];
    out[pair] = first * c - second * s;
    out[pair + half] = second * c + first * s;
  }
  return out;
}

/**
 * [heads][rows][rows] scores of a block of q|k|v rows ([rows][q | k | v][heads][headDim]) at
 * positions start … start + rows − 1: query row m rotated to start + m against key row n rotated
 * to start + n, all in float64. With `rotate` false the vectors are used as they are.
 */
export function referenceRotaryScores(qkv: ArrayLike<number>, rows: number, heads: number, headDim: number, start: number, rotate = true, base = 10000): Float64Array {
  const width = 3 * heads * headDim;
  const at = (row: number, offset: number) => (rotate ? referenceRotate(qkv, row * width + offset, headDim, start + row, base) : Float64Array.from({ length: headDim }, (_, c) => qkv[row * width + offset + c]));
  const scores = new Float64Array(heads * rows * rows);
  for (let head = 0; head < heads; head++) {
    const queries = Array.from({ length: rows }, (_, row) => at(row, head * headDim));
    const keys = Array.from({ length: rows }, (_, row) => at(row, (heads + head) * headDim));
    for (let m = 0; m < rows; m++) {
      for (let n = 0; n < rows; n++) {
        let dot = 0;
        for (let c = 0; c < headDim; c++) dot += queries[m][c] * keys[n][c];
        scores[(head * rows + m) * rows + n] = dot;
      }
    }
  }
  return scores;
}

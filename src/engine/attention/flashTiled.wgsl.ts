import { onlineSoftmaxAdd, onlineSoftmaxRaise, onlineSoftmaxStart, SOFTMAX_EMPTY, softmaxLogSumExp, softmaxNormaliser, softmaxProbability, type SoftmaxAccumulator } from './onlineSoftmax.wgsl';

// The accumulator is this invocation's columns column0, column0 + T, … of the output row.
const accumulator: SoftmaxAccumulator = {
  rescale: (factor) => `for (var c = 0u; c < MAX_COLUMNS; c++) { accumulator[c] *= ${factor}; }`,
  add: (probability) => `for (var c = 0u; c < MAX_COLUMNS; c++) {
      let column = column0 + c * THREADS_PER_ROW;
      if (column < HEAD_DIM) { accumulator[c] += ${probability} * vTile[j * HEAD_DIM + column]; }
    }`,
};

/**
 * FlashAttention-2 forward, GPU-shaped. A workgroup owns ROWS query rows of one (batch, head);
 * THREADS_PER_ROW invocations share a row, each owning the output columns t, t+T, t+2T, … in
 * registers. The Q block is staged once; K and V are staged KEYS keys at a time in workgroup
 * memory. Per tile: scores into sTile, the running max m raised to the tile's (online softmax,
 * onlineSoftmax.wgsl.ts: l and the accumulator rescaled by exp(m_old − m_new)), P·V accumulated; O is divided by l once at the end
 * and L = m + log l is written. Causal: tiles past the block's last row are never visited, and
 * only tiles that cross the diagonal (or the end of the sequence) evaluate the mask.
 */
export const flashTiledWgsl = /* wgsl */ `
override ROWS: u32 = 16u;
override THREADS_PER_ROW: u32 = 16u;
override KEYS: u32 = 16u;
override HEAD_DIM: u32 = 64u;
override SCALE: f32 = 0.125;
// Register budget per invocation: HEAD_DIM ≤ 128 and THREADS_PER_ROW ≥ 8.
const MAX_COLUMNS: u32 = 16u;
const MASKED: f32 = ${SOFTMAX_EMPTY};

// Field order is the offset table FlashParamsLayout in FlashAttention.ts.
struct Params { n: u32, batchHeads: u32, causal: u32, pad0: u32 }

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> q: array<f32>;
@group(0) @binding(2) var<storage, read> k: array<f32>;
@group(0) @binding(3) var<storage, read> v: array<f32>;
@group(0) @binding(4) var<storage, read_write> o: array<f32>;
@group(0) @binding(5) var<storage, read_write> lse: array<f32>;

var<workgroup> qTile: array<f32, ROWS * HEAD_DIM>;
var<workgroup> kTile: array<f32, KEYS * HEAD_DIM>;
var<workgroup> vTile: array<f32, KEYS * HEAD_DIM>;
var<workgroup> sTile: array<f32, ROWS * KEYS>;

@compute @workgroup_size(ROWS * THREADS_PER_ROW)
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
  let n = params.n;
  let threads = ROWS * THREADS_PER_ROW;
  let firstRow = group.x * ROWS;
  let base = group.y * n * HEAD_DIM;
  let localRow = lane / THREADS_PER_ROW;
  let column0 = lane % THREADS_PER_ROW;
  let row = firstRow + localRow;

  for (var index = lane; index < ROWS * HEAD_DIM; index += threads) {
    let r = firstRow + index / HEAD_DIM;
    var value = 0.0;
    if (r < n) { value = q[base + r * HEAD_DIM + index % HEAD_DIM]; }
    qTile[index] = value;
  }

  ${onlineSoftmaxStart}
  var accumulator: array<f32, MAX_COLUMNS>;
  for (var c = 0u; c < MAX_COLUMNS; c++) { accumulator[c] = 0.0; }

  var keyEnd = n;
  if (params.causal != 0u) { keyEnd = min(n, firstRow + ROWS); }
  for (var key0 = 0u; key0 < keyEnd; key0 += KEYS) {
    workgroupBarrier();
    for (var index = lane; index < KEYS * HEAD_DIM; index += threads) {
      let key = key0 + index / HEAD_DIM;
      var kValue = 0.0;
      var vValue = 0.0;
      if (key < n) {
        kValue = k[base + key * HEAD_DIM + index % HEAD_DIM];
        vValue = v[base + key * HEAD_DIM + index % HEAD_DIM];
      }
      kTile[index] = kValue;
      vTile[index] = vValue;
    }
    workgroupBarrier();

    let needsMask = key0 + KEYS > n || (params.causal != 0u && key0 + KEYS - 1u > firstRow);
    for (var index = lane; index < ROWS * KEYS; index += threads) {
      let r = index / KEYS;
      let j = index % KEYS;
      var score = 0.0;
      for (var c = 0u; c < HEAD_DIM; c++) { score += qTile[r * HEAD_DIM + c] * kTile[j * HEAD_DIM + c]; }
      score *= SCALE;
      if (needsMask) {
        let key = key0 + j;
        if (key >= n || (params.causal != 0u && key > firstRow + r)) { score = MASKED; }
      }
      sTile[index] = score;
    }
    workgroupBarrier();

    var tileMax = MASKED;
    for (var j = 0u; j < KEYS; j++) { tileMax = max(tileMax, sTile[localRow * KEYS + j]); }
    ${onlineSoftmaxRaise('tileMax', accumulator)}
    workgroupBarrier();
    // Each invocation of the row turns its share of the scores into probabilities.
    for (var j = column0; j < KEYS; j += THREADS_PER_ROW) {
      let score = sTile[localRow * KEYS + j];
      var probability = 0.0;
      if (score > MASKED) { probability = ${softmaxProbability('score')}; }
      sTile[localRow * KEYS + j] = probability;
    }
    workgroupBarrier();

    for (var j = 0u; j < KEYS; j++) {
      let probability = sTile[localRow * KEYS + j];
      ${onlineSoftmaxAdd('probability', accumulator)}
    }
  }

  if (row < n) {
    let inverse = ${softmaxNormaliser};
    for (var c = 0u; c < MAX_COLUMNS; c++) {
      let column = column0 + c * THREADS_PER_ROW;
      if (column < HEAD_DIM) { o[base + row * HEAD_DIM + column] = accumulator[c] * inverse; }
    }
    if (column0 == 0u) { lse[group.y * n + row] = ${softmaxLogSumExp}; }
  }
}
`;

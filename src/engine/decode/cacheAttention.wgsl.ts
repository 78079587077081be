import { reduce64Wgsl, stepParamsWgsl } from '../transformer/stepParams';

/**
 * Attention of query rows over the KV-cache, the plain way: one workgroup per (query head, row)
 * writes the row's scores to a global scratch buffer, takes their max and sum, then every
 * invocation reads all probabilities back for its output columns. Row r sits at position
 * step.start + r and sees keys 0..position (causal). Query head h reads key/value head
 * h / (HEADS / KV_HEADS): one code path for multi-head, grouped-query and multi-query attention.
 */
export const cacheAttentionWgsl = /* wgsl */ `
override HEADS: u32;
override KV_HEADS: u32;
override HEAD_DIM: u32;
override CAPACITY: u32;
override SCALE: f32;
${stepParamsWgsl}
@group(0) @binding(1) var<storage, read> q: array<f32>;
@group(0) @binding(2) var<storage, read> keyCache: array<f32>;
@group(0) @binding(3) var<storage, read> valueCache: array<f32>;
@group(0) @binding(4) var<storage, read_write> scores: array<f32>;
@group(0) @binding(5) var<storage, read_write> out: array<f32>;
${reduce64Wgsl}
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
  let head = group.x;
  let row = group.y;
  let keys = step.start + row + 1u;
  let kvHead = head / (HEADS / KV_HEADS);
  let queryBase = (row * HEADS + head) * HEAD_DIM;
  let cacheBase = kvHead * CAPACITY * HEAD_DIM;
  let scoreBase = (row * HEADS + head) * CAPACITY;

  var localMax = -3.0e38;
  for (var key = lane; key < keys; key += 64u) {
    var dot = 0.0;
    for (var column = 0u; column < HEAD_DIM; column++) {
      dot = fma(q[queryBase + column], keyCache[cacheBase + key * HEAD_DIM + column], dot);
    }
    let score = dot * SCALE;
    scores[scoreBase + key] = score;
    localMax = max(localMax, score);
  }
  let rowMax = reduceMax64(localMax, lane);

  var localSum = 0.0;
  for (var key = lane; key < keys; key += 64u) {
    let probability = exp(scores[scoreBase + key] - rowMax);
    scores[scoreBase + key] = probability;
    localSum += probability;
  }
  let rowSum = reduceSum64(localSum, lane);
  // Other invocations wrote the probabilities this one is about to read.
  storageBarrier();

  for (var column = lane; column < HEAD_DIM; column += 64u) {
    var acc = 0.0;
    for (var key = 0u; key < keys; key++) {
      acc = fma(scores[scoreBase + key], valueCache[cacheBase + key * HEAD_DIM + column], acc);
    }
    out[queryBase + column] = acc / rowSum;
  }
}
`;

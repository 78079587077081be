import { onlineSoftmaxStart, onlineSoftmaxStep, softmaxNormaliser, type SoftmaxAccumulator } from '../attention/onlineSoftmax.wgsl';
import { reduce64Wgsl, stepParamsWgsl } from '../transformer/stepParams';

/**
 * Keys per flash-decoding chunk. Equal to the workgroup size (one key per invocation, the
 * 64-wide reductions), so it is a WGSL constant rather than an override.
 */
export const FLASH_DECODING_CHUNK = 64;

/**
 * Flash-decoding (split-K attention over the cache). Entry `split`: one workgroup per (chunk of
 * CHUNK keys, query head, row) computes its chunk's scores in workgroup memory, the chunk-local
 * softmax, and writes the chunk's normalised partial output and its logsumexp. Entry `combine`:
 * one workgroup per (head, row) folds the partials in with the online softmax (onlineSoftmax.wgsl.ts),
 * each chunk a "score" lse_c whose "value" is its normalised partial, so the weights are
 * exp(lse_c − max lse) / Σ exp(lse_c − max lse).
 * Chunks past a row's causal end write lse = −3e38 and weigh nothing.
 */
const combineAccumulator: SoftmaxAccumulator = {
  rescale: (factor) => `acc *= ${factor};`,
  add: (probability) => `acc = fma(${probability}, partialOut[(slot0 + chunk) * HEAD_DIM + column], acc);`,
};

export const flashDecodingWgsl = /* wgsl */ `
override HEADS: u32;
override KV_HEADS: u32;
override HEAD_DIM: u32;
override CAPACITY: u32;
override CHUNKS: u32;
override SCALE: f32;
const CHUNK: u32 = ${FLASH_DECODING_CHUNK}u;
const EMPTY: f32 = -3.0e38;
${stepParamsWgsl}
@group(0) @binding(1) var<storage, read> q: array<f32>;
@group(0) @binding(2) var<storage, read> keyCache: array<f32>;
@group(0) @binding(3) var<storage, read> valueCache: array<f32>;
@group(0) @binding(4) var<storage, read_write> partialOut: array<f32>;
@group(0) @binding(5) var<storage, read_write> partialLse: array<f32>;
${reduce64Wgsl}
var<workgroup> probabilities: array<f32, CHUNK>;

@compute @workgroup_size(64)
fn split(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
  let chunk = group.x;
  let head = group.y;
  let row = group.z;
  let keys = step.start + row + 1u;
  let kvHead = head / (HEADS / KV_HEADS);
  let queryBase = (row * HEADS + head) * HEAD_DIM;
  let cacheBase = kvHead * CAPACITY * HEAD_DIM;
  let key = chunk * CHUNK + lane;
  let valid = key < keys;

  var score = EMPTY;
  if (valid) {
    var dot = 0.0;
    for (var column = 0u; column < HEAD_DIM; column++) {
      dot = fma(q[queryBase + column], keyCache[cacheBase + key * HEAD_DIM + column], dot);
    }
    score = dot * SCALE;
  }
  let chunkMax = reduceMax64(score, lane);
  let probability = select(0.0, exp(score - chunkMax), valid);
  probabilities[lane] = probability;
  let chunkSum = reduceSum64(probability, lane);

  let slot = (row * HEADS + head) * CHUNKS + chunk;
  let count = select(0u, min(CHUNK, keys - chunk * CHUNK), chunk * CHUNK < keys);
  for (var column = lane; column < HEAD_DIM; column += 64u) {
    var acc = 0.0;
    for (var index = 0u; index < count; index++) {
      acc = fma(probabilities[index], valueCache[cacheBase + (chunk * CHUNK + index) * HEAD_DIM + column], acc);
    }
    partialOut[slot * HEAD_DIM + column] = select(0.0, acc / chunkSum, count > 0u);
  }
  if (lane == 0u) { partialLse[slot] = select(EMPTY, chunkMax + log(chunkSum), count > 0u); }
}

@group(0) @binding(6) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(64)
fn combine(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
  let head = group.x;
  let row = group.y;
  let keys = step.start + row + 1u;
  let chunks = (keys + CHUNK - 1u) / CHUNK;
  let slot0 = (row * HEADS + head) * CHUNKS;
  for (var column = lane; column < HEAD_DIM; column += 64u) {
    ${onlineSoftmaxStart}
    var acc = 0.0;
    for (var chunk = 0u; chunk < chunks; chunk++) {
      let chunkLse = partialLse[slot0 + chunk];
      ${onlineSoftmaxStep('chunkLse', combineAccumulator)}
    }
    out[(row * HEADS + head) * HEAD_DIM + column] = acc * (${softmaxNormaliser});
  }
}
`;

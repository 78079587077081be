import { reduce64Wgsl, stepParamsWgsl } from '../transformer/step-params';
import { blockTableWgsl, keyDotWgsl, perSlabWgsl, slabBindingsWgsl } from './paged-read.wgsl';

/** Bindings of the single-query cache attention before its slabs (slab s is binding FIRST + s). */
export const CACHE_ATTENTION_FIRST_SLAB_BINDING = 5;

/**
 * Attention of query rows over the paged KV-cache, the plain way: one workgroup per (query head,
 * row) writes the row's scores to a global scratch buffer, takes their max and sum, then every
 * invocation reads all probabilities back for its output columns. Row r sits at position
 * step.start + r and sees keys 0..position (causal), found through the sequence's block table.
 * Query head h reads key/value head h / (HEADS / KV_HEADS): one code path for multi-head,
 * grouped-query and multi-query attention. Keys and values are summed in position order with the
 * same fma chain as a contiguous cache, so paging changes no bit of the result.
 */
export function cacheAttentionWgsl(slabs: number): string {
  return /* wgsl */ `
override HEADS: u32;
override KV_HEADS: u32;
override HEAD_DIM: u32;
override CAPACITY: u32;
override SCALE: f32;
${stepParamsWgsl}
@group(0) @binding(1) var<storage, read> q: array<f32>;
${blockTableWgsl(2)}
@group(0) @binding(3) var<storage, read_write> scores: array<f32>;
@group(0) @binding(4) var<storage, read_write> out: array<f32>;
${slabBindingsWgsl(slabs, CACHE_ATTENTION_FIRST_SLAB_BINDING)}
${reduce64Wgsl}
${keyDotWgsl(slabs)}
${perSlabWgsl(
  slabs,
  'valueSum',
  'base: u32, count: u32, probabilityBase: u32, initial: f32',
  'base, count, probabilityBase, initial',
  'f32',
  `  var acc = initial;
  for (var index = 0u; index < count; index++) {
    acc = fma(scores[probabilityBase + index], SLAB[base + index * 2u * KV_HEADS * HEAD_DIM], acc);
  }
  return acc;`,
)}

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
  let head = group.x;
  let row = group.y;
  let keys = step.start + row + 1u;
  let kvHead = head / (HEADS / KV_HEADS);
  let queryBase = (row * HEADS + head) * HEAD_DIM;
  let keyOffset = kvHead * HEAD_DIM;
  let valueOffset = (KV_HEADS + kvHead) * HEAD_DIM;
  let scoreBase = (row * HEADS + head) * CAPACITY;

  var localMax = -3.0e38;
  for (var key = lane; key < keys; key += 64u) {
    let entry = blockEntry(key / BLOCK_TOKENS);
    let score = keyDot(entrySlab(entry), rowBase(entry, key % BLOCK_TOKENS) + keyOffset, queryBase) * SCALE;
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
    for (var first = 0u; first < keys; first += BLOCK_TOKENS) {
      let entry = blockEntry(first / BLOCK_TOKENS);
      acc = valueSum(entrySlab(entry), rowBase(entry, 0u) + valueOffset + column, min(BLOCK_TOKENS, keys - first), scoreBase + first, acc);
    }
    out[queryBase + column] = acc / rowSum;
  }
}
`;
}

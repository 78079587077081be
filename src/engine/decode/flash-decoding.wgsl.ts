import { onlineSoftmaxRaise, onlineSoftmaxStart, onlineSoftmaxStep, softmaxNormaliser, SOFTMAX_EMPTY, type SoftmaxAccumulator } from '../attention/online-softmax.wgsl';
import { reduce64Wgsl, stepParamsWgsl } from '../transformer/step-params';
import { blockTableWgsl, keyDotWgsl, perSlabWgsl, slabBindingsWgsl } from './paged-read.wgsl';

/**
 * Keys per tile of a flash-decoding split: the workgroup size (one key per invocation, the 64-wide
 * reductions). A split covers a whole number of tiles, so the smallest split is one tile; the
 * split size is per forward (step.splitKeys), so one split over the whole cache runs the same
 * kernel as many 64-key splits.
 */
export const FLASH_DECODING_CHUNK = 64;

/** Bindings of the split entry point before its slabs (slab s is binding FIRST + s). */
export const FLASH_SPLIT_FIRST_SLAB_BINDING = 6;

const combineAccumulator: SoftmaxAccumulator = {
  rescale: (factor) => `acc *= ${factor};`,
  add: (probability) => `acc = fma(${probability}, partialOut[(slot0 + chunk) * HEAD_DIM + column], acc);`,
};

/** Up to four output columns per invocation (HEAD_DIM ≤ 256): lane, lane + 64, … as one vec4. */
const splitAccumulator: SoftmaxAccumulator = {
  rescale: (factor) => `acc *= ${factor};`,
  add: () => '',
};

/**
 * Flash-decoding (split-K attention over the paged cache). Entry `split`: one workgroup per
 * (split of step.splitKeys keys, query head, row) walks its split in 64-key tiles: scores in
 * registers, the tile max and sum by workgroup reductions, an online softmax across tiles, and
 * the value rows read block by block through the block table. It writes the split's normalised
 * partial output and its logsumexp. Entry `combine`: one workgroup per (head, row) folds the
 * partials in with the online softmax, each split a "score" lse_s whose "value" is its normalised
 * partial. Splits past a row's causal end write lse = −3e38 and weigh nothing.
 */
export function flashDecodingWgsl(slabs: number): string {
  return /* wgsl */ `
override HEADS: u32;
override KV_HEADS: u32;
override HEAD_DIM: u32;
override CHUNKS: u32;
override SCALE: f32;
const TILE: u32 = ${FLASH_DECODING_CHUNK}u;
const EMPTY: f32 = ${SOFTMAX_EMPTY};
${stepParamsWgsl}
@group(0) @binding(1) var<storage, read> q: array<f32>;
${blockTableWgsl(2)}
@group(0) @binding(3) var<storage, read_write> partialOut: array<f32>;
@group(0) @binding(4) var<storage, read_write> partialLse: array<f32>;
@group(0) @binding(5) var<storage, read_write> out: array<f32>;
${slabBindingsWgsl(slabs, FLASH_SPLIT_FIRST_SLAB_BINDING)}
${reduce64Wgsl}
var<workgroup> probabilities: array<f32, TILE>;
${keyDotWgsl(slabs)}
${perSlabWgsl(
  slabs,
  'valueTile',
  'base: u32, count: u32, first: u32, lane: u32, initial: vec4<f32>',
  'base, count, first, lane, initial',
  'vec4<f32>',
  `  var acc = initial;
  for (var index = 0u; index < count; index++) {
    let probability = probabilities[first + index];
    let at = base + index * 2u * KV_HEADS * HEAD_DIM;
    if (lane < HEAD_DIM) { acc.x = fma(probability, SLAB[at], acc.x); }
    if (lane + 64u < HEAD_DIM) { acc.y = fma(probability, SLAB[at + 64u], acc.y); }
    if (lane + 128u < HEAD_DIM) { acc.z = fma(probability, SLAB[at + 128u], acc.z); }
    if (lane + 192u < HEAD_DIM) { acc.w = fma(probability, SLAB[at + 192u], acc.w); }
  }
  return acc;`,
)}

@compute @workgroup_size(64)
fn split(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
  let chunk = group.x;
  let head = group.y;
  let row = group.z;
  let keys = step.start + row + 1u;
  let first = chunk * step.splitKeys;
  let end = min(keys, first + step.splitKeys);
  let kvHead = head / (HEADS / KV_HEADS);
  let queryBase = (row * HEADS + head) * HEAD_DIM;
  let keyOffset = kvHead * HEAD_DIM;
  let valueOffset = (KV_HEADS + kvHead) * HEAD_DIM + lane;

  ${onlineSoftmaxStart}
  var acc = vec4<f32>(0.0);
  for (var tile = first; tile < end; tile += TILE) {
    let key = tile + lane;
    let valid = key < end;
    var score = EMPTY;
    if (valid) {
      let entry = blockEntry(key / BLOCK_TOKENS);
      score = keyDot(entrySlab(entry), rowBase(entry, key % BLOCK_TOKENS) + keyOffset, queryBase) * SCALE;
    }
    let tileMax = reduceMax64(score, lane);
    ${onlineSoftmaxRaise('tileMax', splitAccumulator)}
    let probability = select(0.0, exp(score - runningMax), valid);
    probabilities[lane] = probability;
    // The reduction's barriers also publish \`probabilities\` to the whole workgroup.
    runningSum += reduceSum64(probability, lane);
    let count = min(TILE, end - tile);
    for (var offset = 0u; offset < count; offset += BLOCK_TOKENS) {
      let entry = blockEntry((tile + offset) / BLOCK_TOKENS);
      acc = valueTile(entrySlab(entry), rowBase(entry, 0u) + valueOffset, min(BLOCK_TOKENS, count - offset), offset, lane, acc);
    }
  }

  let slot = (row * HEADS + head) * CHUNKS + chunk;
  let seen = first < keys;
  let normalised = acc / runningSum;
  for (var part = 0u; part < 4u; part++) {
    let column = lane + 64u * part;
    if (column < HEAD_DIM) { partialOut[slot * HEAD_DIM + column] = select(0.0, normalised[part], seen); }
  }
  if (lane == 0u) { partialLse[slot] = select(EMPTY, runningMax + log(runningSum), seen); }
}

@compute @workgroup_size(64)
fn combine(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
  let head = group.x;
  let row = group.y;
  let keys = step.start + row + 1u;
  let chunks = (keys + step.splitKeys - 1u) / step.splitKeys;
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
}

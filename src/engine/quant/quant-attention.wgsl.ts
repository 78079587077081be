import { reduce64Wgsl } from '../transformer/step-params';

/**
 * One decode step's attention over a quantised KV-cache (kv-quant.wgsl.ts): one query per head,
 * one workgroup of 64 per head, keys and values dequantised as they are read (code · s + z, with
 * (s, z) unpacked from float16), never written back at full precision. Scores go to a global
 * scratch row; their max and sum are taken by workgroup reductions; each invocation then sums
 * probability · value over every token for its channels. BITS = 32 reads float32 bits as they are.
 */
export const quantAttentionWgsl = /* wgsl */ `
override BITS: u32;
override HEAD_DIM: u32;
override GROUP: u32;
override SCALE: f32;
override PER_WORD: u32 = 32u / BITS;
override WORDS: u32 = (HEAD_DIM + PER_WORD - 1u) / PER_WORD;

// Field order is QuantAttentionParamsLayout in kv-quant.ts.
struct Params { heads: u32, tokens: u32, pad0: u32, pad1: u32 }

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> q: array<f32>;
@group(0) @binding(2) var<storage, read> keyCodes: array<u32>;
@group(0) @binding(3) var<storage, read> keyMeta: array<u32>;
@group(0) @binding(4) var<storage, read> valueCodes: array<u32>;
@group(0) @binding(5) var<storage, read> valueMeta: array<u32>;
@group(0) @binding(6) var<storage, read_write> scores: array<f32>;
@group(0) @binding(7) var<storage, read_write> out: array<f32>;

${reduce64Wgsl}

fn code(word: u32, channel: u32) -> u32 {
  return (word >> ((channel % PER_WORD) * BITS)) & (0xffffffffu >> (32u - BITS));
}

fn key(head: u32, token: u32, channel: u32) -> f32 {
  let word = keyCodes[(head * params.tokens + token) * WORDS + channel / PER_WORD];
  if (BITS == 32u) { return bitcast<f32>(word); }
  let groups = (params.tokens + GROUP - 1u) / GROUP;
  let sz = unpack2x16float(keyMeta[(head * groups + token / GROUP) * HEAD_DIM + channel]);
  return f32(code(word, channel)) * sz.x + sz.y;
}

fn value(head: u32, token: u32, channel: u32) -> f32 {
  let word = valueCodes[(head * params.tokens + token) * WORDS + channel / PER_WORD];
  if (BITS == 32u) { return bitcast<f32>(word); }
  let sz = unpack2x16float(valueMeta[head * params.tokens + token]);
  return f32(code(word, channel)) * sz.x + sz.y;
}

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
  let head = group.x;
  let scoreBase = head * params.tokens;
  var localMax = -3.0e38;
  for (var token = lane; token < params.tokens; token += 64u) {
    var dot = 0.0;
    for (var channel = 0u; channel < HEAD_DIM; channel++) { dot = fma(q[head * HEAD_DIM + channel], key(head, token, channel), dot); }
    let score = dot * SCALE;
    scores[scoreBase + token] = score;
    localMax = max(localMax, score);
  }
  let rowMax = reduceMax64(localMax, lane);
  var localSum = 0.0;
  for (var token = lane; token < params.tokens; token += 64u) {
    let probability = exp(scores[scoreBase + token] - rowMax);
    scores[scoreBase + token] = probability;
    localSum += probability;
  }
  let rowSum = reduceSum64(localSum, lane);
  // Other invocations wrote the probabilities this one is about to read.
  storageBarrier();
  for (var channel = lane; channel < HEAD_DIM; channel += 64u) {
    var acc = 0.0;
    for (var token = 0u; token < params.tokens; token++) { acc = fma(scores[scoreBase + token], value(head, token, channel), acc); }
    out[head * HEAD_DIM + channel] = acc / rowSum;
  }
}
`;

/**
 * KV-cache quantisation to BITS-bit unsigned codes, asymmetric (min-max): a group's scale
 * s = (max − min) / (2^BITS − 1) and zero point z = min are kept as two float16 in one u32
 * (pack2x16float), and x is stored as round((x − z) / s), read back as code · s + z. Codes of one
 * token's channels are packed 32 / BITS to a u32, channel c in bits (c mod PER_WORD) · BITS.
 *
 * Groups (Liu et al., KIVI, 2024): keys per channel over GROUP consecutive tokens (meta
 * [heads][groups][HEAD_DIM]), values per token over its channels (meta [heads][tokens]). The
 * control fills both meta arrays with one range for the whole tensor (`tensorRange`), so it runs
 * the same packing and the same attention with one scale. BITS = 32 stores the float32 bits as
 * they are (no metadata). Tensors are [heads][tokens][HEAD_DIM] float32.
 */
export const kvQuantWgsl = /* wgsl */ `
override BITS: u32;
override HEAD_DIM: u32;
override GROUP: u32;
override PER_WORD: u32 = 32u / BITS;
override WORDS: u32 = (HEAD_DIM + PER_WORD - 1u) / PER_WORD;

// Field order is KvQuantParamsLayout in kv-quant.ts.
struct Params { heads: u32, tokens: u32, metaWords: u32, pad0: u32 }

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> source: array<f32>;
@group(0) @binding(2) var<storage, read_write> ranges: array<u32>;
@group(0) @binding(3) var<storage, read_write> codes: array<u32>;

fn levels() -> f32 { return f32(0xffffffffu >> (32u - BITS)); }

fn packMeta(low: f32, high: f32) -> u32 {
  return pack2x16float(vec2<f32>((high - low) / levels(), low));
}

/** The code of x under a packed (scale, zero): round half to even, clamped to the code range. */
fn encode(x: f32, packed: u32) -> u32 {
  let sz = unpack2x16float(packed);
  if (sz.x <= 0.0) { return 0u; }
  return u32(clamp(round((x - sz.y) / sz.x), 0.0, levels()));
}

fn groups() -> u32 { return (params.tokens + GROUP - 1u) / GROUP; }

@compute @workgroup_size(64)
fn keyRanges(@builtin(global_invocation_id) id: vec3<u32>) {
  let index = id.x;
  if (index >= params.heads * groups() * HEAD_DIM) { return; }
  let channel = index % HEAD_DIM;
  let group = (index / HEAD_DIM) % groups();
  let head = index / (HEAD_DIM * groups());
  var low = 3.0e38;
  var high = -3.0e38;
  for (var token = group * GROUP; token < min(params.tokens, (group + 1u) * GROUP); token++) {
    let x = source[(head * params.tokens + token) * HEAD_DIM + channel];
    low = min(low, x);
    high = max(high, x);
  }
  ranges[index] = packMeta(low, high);
}

@compute @workgroup_size(64)
fn valueRanges(@builtin(global_invocation_id) id: vec3<u32>) {
  let row = id.x;
  if (row >= params.heads * params.tokens) { return; }
  var low = 3.0e38;
  var high = -3.0e38;
  for (var channel = 0u; channel < HEAD_DIM; channel++) {
    let x = source[row * HEAD_DIM + channel];
    low = min(low, x);
    high = max(high, x);
  }
  ranges[row] = packMeta(low, high);
}

var<workgroup> lows: array<f32, 64>;
var<workgroup> highs: array<f32, 64>;

@compute @workgroup_size(64)
fn tensorRange(@builtin(local_invocation_index) lane: u32) {
  var low = 3.0e38;
  var high = -3.0e38;
  for (var index = lane; index < params.heads * params.tokens * HEAD_DIM; index += 64u) {
    low = min(low, source[index]);
    high = max(high, source[index]);
  }
  lows[lane] = low;
  highs[lane] = high;
  workgroupBarrier();
  for (var width = 32u; width > 0u; width /= 2u) {
    if (lane < width) {
      lows[lane] = min(lows[lane], lows[lane + width]);
      highs[lane] = max(highs[lane], highs[lane + width]);
    }
    workgroupBarrier();
  }
  let packed = packMeta(lows[0], highs[0]);
  for (var index = lane; index < params.metaWords; index += 64u) { ranges[index] = packed; }
}

fn packRow(row: u32, word: u32, keys: bool) -> u32 {
  let token = row % params.tokens;
  let head = row / params.tokens;
  var packed = 0u;
  for (var slot = 0u; slot < PER_WORD; slot++) {
    let channel = word * PER_WORD + slot;
    if (channel >= HEAD_DIM) { break; }
    let x = source[row * HEAD_DIM + channel];
    if (BITS == 32u) { return bitcast<u32>(x); }
    var packedRange: u32;
    if (keys) { packedRange = ranges[(head * groups() + token / GROUP) * HEAD_DIM + channel]; } else { packedRange = ranges[row]; }
    packed = packed | (encode(x, packedRange) << (slot * BITS));
  }
  return packed;
}

@compute @workgroup_size(64)
fn packKeys(@builtin(global_invocation_id) id: vec3<u32>) {
  let index = id.x;
  if (index >= params.heads * params.tokens * WORDS) { return; }
  codes[index] = packRow(index / WORDS, index % WORDS, true);
}

@compute @workgroup_size(64)
fn packValues(@builtin(global_invocation_id) id: vec3<u32>) {
  let index = id.x;
  if (index >= params.heads * params.tokens * WORDS) { return; }
  codes[index] = packRow(index / WORDS, index % WORDS, false);
}
`;

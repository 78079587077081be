import { stepParamsWgsl } from './step-params';

/**
 * Splits a fused q|k|v row and rotates q and k by their position (half-rotation RoPE). The rotated
 * keys and the values go to \`newKv\` as one row per token, [rows][K | V][KV_HEADS][HEAD_DIM]: the
 * paged cache's row layout, which the pool then copies into the token's block (kv-pool.ts). One
 * workgroup per row; the row's position is step.start + row.
 */
export const rotaryWgsl = /* wgsl */ `
override HEADS: u32;
override KV_HEADS: u32;
override HEAD_DIM: u32;
${stepParamsWgsl}
@group(0) @binding(1) var<storage, read> qkv: array<f32>;
@group(0) @binding(2) var<storage, read> cosTable: array<f32>;
@group(0) @binding(3) var<storage, read> sinTable: array<f32>;
@group(0) @binding(4) var<storage, read_write> q: array<f32>;
@group(0) @binding(5) var<storage, read_write> newKv: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
  let row = group.x;
  let position = step.start + row;
  let half = HEAD_DIM / 2u;
  let width = (HEADS + 2u * KV_HEADS) * HEAD_DIM;
  let base = row * width;
  for (var index = lane; index < HEADS * half; index += 64u) {
    let head = index / half;
    let pair = index % half;
    let c = cosTable[position * half + pair];
    let s = sinTable[position * half + pair];
    let first = qkv[base + head * HEAD_DIM + pair];
    let second = qkv[base + head * HEAD_DIM + pair + half];
    let out = row * HEADS * HEAD_DIM + head * HEAD_DIM + pair;
    q[out] = first * c - second * s;
    q[out + half] = second * c + first * s;
  }
  let keyBase = base + HEADS * HEAD_DIM;
  let kvBase = row * 2u * KV_HEADS * HEAD_DIM;
  for (var index = lane; index < KV_HEADS * half; index += 64u) {
    let head = index / half;
    let pair = index % half;
    let c = cosTable[position * half + pair];
    let s = sinTable[position * half + pair];
    let first = qkv[keyBase + head * HEAD_DIM + pair];
    let second = qkv[keyBase + head * HEAD_DIM + pair + half];
    let out = kvBase + head * HEAD_DIM + pair;
    newKv[out] = first * c - second * s;
    newKv[out + half] = second * c + first * s;
  }
  let valueBase = keyBase + KV_HEADS * HEAD_DIM;
  for (var index = lane; index < KV_HEADS * HEAD_DIM; index += 64u) {
    newKv[kvBase + KV_HEADS * HEAD_DIM + index] = qkv[valueBase + index];
  }
}
`;

/**
 * The two kernels that measure a device's roofs: a stream copy (bandwidth: each vec4 read once and
 * written once, grid-stride so any buffer size fits the dispatch) and an FMA chain (compute: four
 * independent vec4 multiply-adds per step, kept in registers, written once so they are not
 * optimised away).
 */

export const streamCopyWgsl = /* wgsl */ `
override WORKGROUP: u32 = 256u;

// Field order is the offset table RooflineParamsLayout in roofline.ts.
struct Params { count: u32, stride: u32, iterations: u32, pad0: u32 }

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> source: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> destination: array<vec4<f32>>;

@compute @workgroup_size(WORKGROUP)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  for (var i = id.x; i < params.count; i += params.stride) {
    destination[i] = source[i];
  }
}
`;

export const fmaChainWgsl = /* wgsl */ `
override WORKGROUP: u32 = 256u;

// Field order is the offset table RooflineParamsLayout in roofline.ts.
struct Params { count: u32, stride: u32, iterations: u32, pad0: u32 }

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> source: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> destination: array<vec4<f32>>;

@compute @workgroup_size(WORKGROUP)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let seed = source[id.x % params.count];
  var a = seed;
  var b = seed + vec4<f32>(1.0);
  var c = seed + vec4<f32>(2.0);
  var d = seed + vec4<f32>(3.0);
  let x = vec4<f32>(0.999999);
  let y = vec4<f32>(1e-7);
  for (var i = 0u; i < params.iterations; i++) {
    a = fma(a, x, y);
    b = fma(b, x, y);
    c = fma(c, x, y);
    d = fma(d, x, y);
  }
  destination[id.x] = a + b + c + d;
}
`;

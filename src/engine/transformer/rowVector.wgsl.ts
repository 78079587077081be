import { reduce64Wgsl } from './stepParams';

/**
 * y = f(x) · W for a single row x [K] and W [K][N] row-major: the decode-step projection. One
 * invocation per output column; neighbouring invocations read neighbouring columns of W, and the
 * (transformed) x is staged in workgroup memory TILE_K values at a time. A decode step is a few
 * dozen tiny dispatches on a software adapter, so the neighbours of each projection are fused in:
 * - NORM: f(x) = RMSNorm(x) · gain (the pre-norm before q|k|v, the MLP, and the logits);
 * - SWIGLU: x is the fused gate|up row [2K] and f(x)_i = silu(x_i) · x_{K+i};
 * - ACCUMULATE: y += result (the residual connection) instead of y = result.
 * Each variant computes exactly what the separate norm / SwiGLU / add kernels compute, in the same order.
 */
export const rowVectorWgsl = /* wgsl */ `
override K: u32;
override N: u32;
override NORM: bool = false;
override SWIGLU: bool = false;
override ACCUMULATE: bool = false;
override EPSILON: f32 = 1e-5;
const TILE_K: u32 = 256u;
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> w: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@group(0) @binding(3) var<storage, read> gain: array<f32>;
var<workgroup> xTile: array<f32, TILE_K>;
${reduce64Wgsl}
fn input(index: u32, scale: f32) -> f32 {
  if (SWIGLU) {
    let gate = x[index];
    return gate / (1.0 + exp(-gate)) * x[K + index];
  }
  if (NORM) { return x[index] * scale * gain[index]; }
  return x[index];
}

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
  let column = id.x;
  var scale = 1.0;
  if (NORM) {
    var squares = 0.0;
    for (var index = lane; index < K; index += 64u) {
      let value = x[index];
      squares += value * value;
    }
    scale = 1.0 / sqrt(reduceSum64(squares, lane) / f32(K) + EPSILON);
  }
  var acc = 0.0;
  for (var depth0 = 0u; depth0 < K; depth0 += TILE_K) {
    for (var index = lane; index < TILE_K; index += 64u) {
      xTile[index] = select(0.0, input(depth0 + index, scale), depth0 + index < K);
    }
    workgroupBarrier();
    if (column < N) {
      let count = min(TILE_K, K - depth0);
      for (var depth = 0u; depth < count; depth++) {
        acc = fma(xTile[depth], w[(depth0 + depth) * N + column], acc);
      }
    }
    workgroupBarrier();
  }
  if (column < N) {
    if (ACCUMULATE) { y[column] = y[column] + acc; } else { y[column] = acc; }
  }
}
`;

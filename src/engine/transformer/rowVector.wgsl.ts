/**
 * y = x · W for a single row x [K] and W [K][N] row-major: the decode-step projection. One
 * invocation per output column; neighbouring invocations read neighbouring columns of W, and x
 * is staged once per workgroup in workgroup memory (TILE_K values at a time).
 */
export const rowVectorWgsl = /* wgsl */ `
override K: u32;
override N: u32;
const TILE_K: u32 = 256u;
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> w: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
var<workgroup> xTile: array<f32, TILE_K>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
  let column = id.x;
  var acc = 0.0;
  for (var depth0 = 0u; depth0 < K; depth0 += TILE_K) {
    for (var index = lane; index < TILE_K; index += 64u) {
      xTile[index] = select(0.0, x[depth0 + index], depth0 + index < K);
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
  if (column < N) { y[column] = acc; }
}
`;

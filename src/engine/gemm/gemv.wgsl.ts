import { gemmBindingsWgsl } from './gemm.wgsl';

/**
 * The GEMM for one row of A (M = 1, a decode step's projections and the logits): C[b] = alpha ·
 * a[b] · op(B[b]), same uniform and bindings as gemm.wgsl.ts. The tiled kernel computes a 32- or
 * 64-row tile of C, so at M = 1 it would throw away 31/32 of its work; here one invocation owns
 * one column of C and neighbouring invocations read neighbouring columns of B. The row of A is
 * staged TILE_K values at a time in workgroup memory. Each element of C is summed over depth in
 * the same order, with the same expression, as in the tiled kernel, so the two agree to the bit.
 * With M = 1 the row of A is contiguous whether or not it is stored transposed.
 */
export const gemvWgsl = /* wgsl */ `
override WORKGROUP: u32 = 64u;
override TILE_K: u32 = 256u;
${gemmBindingsWgsl}
var<workgroup> aTile: array<f32, TILE_K>;

@compute @workgroup_size(WORKGROUP)
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
  let col = group.x * WORKGROUP + lane;
  let baseA = params.offsetA + group.z * params.strideA;
  let baseB = params.offsetB + group.z * params.strideB;
  var acc = 0.0;
  for (var depth0 = 0u; depth0 < params.k; depth0 += TILE_K) {
    for (var index = lane; index < TILE_K; index += WORKGROUP) {
      var value = 0.0;
      if (depth0 + index < params.k) { value = a[baseA + depth0 + index]; }
      aTile[index] = value;
    }
    workgroupBarrier();
    if (col < params.n) {
      let count = min(TILE_K, params.k - depth0);
      // The tiled kernel's form (acc + a·b, not fma()): same rounding, and fma() crashes SwiftShader there.
      for (var depth = 0u; depth < count; depth++) { acc = acc + aTile[depth] * loadB(baseB, depth0 + depth, col); }
    }
    workgroupBarrier();
  }
  if (col < params.n) { store(params.offsetC + group.z * params.strideC + col, acc); }
}
`;

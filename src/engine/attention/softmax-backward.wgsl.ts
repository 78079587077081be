/**
 * Softmax backward of the standard attention, in place: one workgroup per row,
 * dS_ij = P_ij (dP_ij − Σ_k P_ik dP_ik), written over dP. (The 1/√d goes into the GEMMs' alpha.)
 */
export const softmaxBackwardWgsl = /* wgsl */ `
override WORKGROUP_SIZE: u32 = 64u;

// Field order is the offset table SoftmaxBackwardParamsLayout in StandardAttentionBackward.ts.
struct Params { n: u32, rows: u32, groupsX: u32, pad0: u32 }

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> probabilities: array<f32>;
@group(0) @binding(2) var<storage, read_write> gradients: array<f32>;

var<workgroup> partial: array<f32, WORKGROUP_SIZE>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
  let row = group.y * params.groupsX + group.x;
  if (row >= params.rows) { return; }
  let base = row * params.n;
  var local = 0.0;
  for (var key = lane; key < params.n; key += WORKGROUP_SIZE) { local += probabilities[base + key] * gradients[base + key]; }
  partial[lane] = local;
  workgroupBarrier();
  for (var width = WORKGROUP_SIZE / 2u; width > 0u; width /= 2u) {
    if (lane < width) { partial[lane] = partial[lane] + partial[lane + width]; }
    workgroupBarrier();
  }
  let rowDot = partial[0];
  for (var key = lane; key < params.n; key += WORKGROUP_SIZE) {
    gradients[base + key] = probabilities[base + key] * (gradients[base + key] - rowDot);
  }
}
`;

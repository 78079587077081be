/**
 * Row softmax of the standard attention: one workgroup per row of S (already scaled by 1/√d),
 * writes P (zeros past the causal diagonal) and the row logsumexp L. Rows are spread over x and y
 * of the dispatch because one dimension holds at most 65,535 workgroups.
 */
export const softmaxWgsl = /* wgsl */ `
override WORKGROUP_SIZE: u32 = 64u;

// Field order is the offset table SoftmaxParamsLayout in StandardAttention.ts.
struct Params { n: u32, rows: u32, causal: u32, groupsX: u32 }

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> scores: array<f32>;
@group(0) @binding(2) var<storage, read_write> probabilities: array<f32>;
@group(0) @binding(3) var<storage, read_write> logSumExp: array<f32>;

var<workgroup> partial: array<f32, WORKGROUP_SIZE>;

fn reduceMax(lane: u32, value: f32) -> f32 {
  partial[lane] = value;
  workgroupBarrier();
  for (var width = WORKGROUP_SIZE / 2u; width > 0u; width /= 2u) {
    if (lane < width) { partial[lane] = max(partial[lane], partial[lane + width]); }
    workgroupBarrier();
  }
  let result = partial[0];
  workgroupBarrier();
  return result;
}

fn reduceSum(lane: u32, value: f32) -> f32 {
  partial[lane] = value;
  workgroupBarrier();
  for (var width = WORKGROUP_SIZE / 2u; width > 0u; width /= 2u) {
    if (lane < width) { partial[lane] = partial[lane] + partial[lane + width]; }
    workgroupBarrier();
  }
  let result = partial[0];
  workgroupBarrier();
  return result;
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
  let row = group.y * params.groupsX + group.x;
  // Uniform per workgroup, so the early return keeps barriers in uniform control flow.
  if (row >= params.rows) { return; }
  let n = params.n;
  let base = row * n;
  var keys = n;
  if (params.causal != 0u) { keys = row % n + 1u; }

  var localMax = -3.402823e38;
  for (var key = lane; key < keys; key += WORKGROUP_SIZE) { localMax = max(localMax, scores[base + key]); }
  let rowMax = reduceMax(lane, localMax);

  var localSum = 0.0;
  for (var key = lane; key < keys; key += WORKGROUP_SIZE) { localSum += exp(scores[base + key] - rowMax); }
  let rowSum = reduceSum(lane, localSum);

  let inverse = 1.0 / rowSum;
  for (var key = lane; key < n; key += WORKGROUP_SIZE) {
    var probability = 0.0;
    if (key < keys) { probability = exp(scores[base + key] - rowMax) * inverse; }
    probabilities[base + key] = probability;
  }
  if (lane == 0u) { logSumExp[row] = rowMax + log(rowSum); }
}
`;

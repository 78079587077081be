/**
 * Three ways to compute a row softmax, one workgroup per row, each entry point counting how many
 * times it loaded a logit before it could normalise (`loads[row]`, added atomically):
 *
 * - `naive`: Σ exp(x) in one pass, then exp(x) / Σ. Overflows to inf once a logit passes ≈ 88.7
 *   (float32), and gives 0/0 when every logit is very negative.
 * - `safe`: the max in one pass, Σ exp(x − max) in a second, then the normalisation (two passes
 *   over the input before it).
 * - `online`: one pass over the row in tiles of WORKGROUP logits; each invocation keeps a running
 *   max m and a sum d of exp(x − m), rescaling d by exp(m_old − m_new) when m rises, and the
 *   invocations' (m, d) pairs are merged with (m_a, d_a) ⊕ (m_b, d_b) = (m, d_a·e^(m_a−m) +
 *   d_b·e^(m_b−m)) (Milakov & Gimelshein, 2018).
 *
 * Every form writes exp(x − c) / Σ with c its reference (0 for naive).
 */
export const softmaxFormsWgsl = /* wgsl */ `
override WORKGROUP: u32 = 64u;

// Field order is SoftmaxFormsParamsLayout in softmax-forms.ts.
struct Params { rows: u32, length: u32, pad0: u32, pad1: u32 }

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> logits: array<f32>;
@group(0) @binding(2) var<storage, read_write> probabilities: array<f32>;
@group(0) @binding(3) var<storage, read_write> loads: array<atomic<u32>>;

var<workgroup> maxes: array<f32, WORKGROUP>;
var<workgroup> sums: array<f32, WORKGROUP>;

/** A logit no real one reaches: the running max before the first logit. */
const EMPTY = -3.0e38;

fn reduceMax(lane: u32, value: f32) -> f32 {
  maxes[lane] = value;
  workgroupBarrier();
  for (var width = WORKGROUP / 2u; width > 0u; width /= 2u) {
    if (lane < width) { maxes[lane] = max(maxes[lane], maxes[lane + width]); }
    workgroupBarrier();
  }
  let result = maxes[0];
  workgroupBarrier();
  return result;
}

fn reduceSum(lane: u32, value: f32) -> f32 {
  sums[lane] = value;
  workgroupBarrier();
  for (var width = WORKGROUP / 2u; width > 0u; width /= 2u) {
    if (lane < width) { sums[lane] = sums[lane] + sums[lane + width]; }
    workgroupBarrier();
  }
  let result = sums[0];
  workgroupBarrier();
  return result;
}

fn normalise(base: u32, lane: u32, reference: f32, total: f32) {
  for (var index = lane; index < params.length; index += WORKGROUP) {
    probabilities[base + index] = exp(logits[base + index] - reference) / total;
  }
}

@compute @workgroup_size(WORKGROUP)
fn naive(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
  let row = group.x;
  let base = row * params.length;
  var sum = 0.0;
  var count = 0u;
  for (var index = lane; index < params.length; index += WORKGROUP) {
    sum += exp(logits[base + index]);
    count++;
  }
  atomicAdd(&loads[row], count);
  normalise(base, lane, 0.0, reduceSum(lane, sum));
}

@compute @workgroup_size(WORKGROUP)
fn safe(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
  let row = group.x;
  let base = row * params.length;
  var count = 0u;
  var localMax = EMPTY;
  for (var index = lane; index < params.length; index += WORKGROUP) {
    localMax = max(localMax, logits[base + index]);
    count++;
  }
  let rowMax = reduceMax(lane, localMax);
  var sum = 0.0;
  for (var index = lane; index < params.length; index += WORKGROUP) {
    sum += exp(logits[base + index] - rowMax);
    count++;
  }
  atomicAdd(&loads[row], count);
  normalise(base, lane, rowMax, reduceSum(lane, sum));
}

@compute @workgroup_size(WORKGROUP)
fn online(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
  let row = group.x;
  let base = row * params.length;
  var count = 0u;
  var runningMax = EMPTY;
  var runningSum = 0.0;
  // Tile t is logits [t·WORKGROUP, (t+1)·WORKGROUP); this invocation takes one logit of each.
  for (var index = lane; index < params.length; index += WORKGROUP) {
    let x = logits[base + index];
    count++;
    if (x > runningMax) {
      runningSum = runningSum * exp(runningMax - x);
      runningMax = x;
    }
    runningSum += exp(x - runningMax);
  }
  atomicAdd(&loads[row], count);
  // Tree merge of the invocations' (m, d) pairs with ⊕.
  maxes[lane] = runningMax;
  sums[lane] = runningSum;
  workgroupBarrier();
  for (var width = WORKGROUP / 2u; width > 0u; width /= 2u) {
    if (lane < width) {
      let a = maxes[lane];
      let b = maxes[lane + width];
      let m = max(a, b);
      sums[lane] = sums[lane] * exp(a - m) + sums[lane + width] * exp(b - m);
      maxes[lane] = m;
    }
    workgroupBarrier();
  }
  let rowMax = maxes[0];
  let total = sums[0];
  workgroupBarrier();
  normalise(base, lane, rowMax, total);
}
`;

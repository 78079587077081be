import { reduce64Wgsl } from './step-params';

/** y[row] = x[row] / sqrt(mean(x[row]²) + ε) · gain: one workgroup of 64 per row. */
export const rmsNormWgsl = /* wgsl */ `
override D_MODEL: u32;
override EPSILON: f32 = 1e-5;
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> gain: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
${reduce64Wgsl}
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
  let base = group.x * D_MODEL;
  var squares = 0.0;
  for (var column = lane; column < D_MODEL; column += 64u) {
    let value = x[base + column];
    squares += value * value;
  }
  let total = reduceSum64(squares, lane);
  // 1/sqrt rather than inverseSqrt: the latter may be an approximation on some adapters.
  let scale = 1.0 / sqrt(total / f32(D_MODEL) + EPSILON);
  for (var column = lane; column < D_MODEL; column += 64u) {
    y[base + column] = x[base + column] * scale * gain[column];
  }
}
`;

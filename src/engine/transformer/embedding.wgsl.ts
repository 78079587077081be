import { stepParamsWgsl } from './step-params';

/** x[row] = embedding[tokens[start + row]]: one workgroup per row. */
export const embeddingWgsl = /* wgsl */ `
override D_MODEL: u32;
${stepParamsWgsl}
@group(0) @binding(1) var<storage, read> tokens: array<u32>;
@group(0) @binding(2) var<storage, read> embedding: array<f32>;
@group(0) @binding(3) var<storage, read_write> x: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
  let row = group.x;
  let token = tokens[step.start + row];
  for (var column = lane; column < D_MODEL; column += 64u) {
    x[row * D_MODEL + column] = embedding[token * D_MODEL + column];
  }
}
`;

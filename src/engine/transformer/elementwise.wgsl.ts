import { stepParamsWgsl } from './step-params';

/** SwiGLU: act[row][i] = silu(gateUp[row][i]) · gateUp[row][HIDDEN + i], over step.rows rows. */
export const swigluWgsl = /* wgsl */ `
override HIDDEN: u32;
${stepParamsWgsl}
@group(0) @binding(1) var<storage, read> gateUp: array<f32>;
@group(0) @binding(2) var<storage, read_write> act: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let index = id.x;
  if (index >= step.rows * HIDDEN) { return; }
  let row = index / HIDDEN;
  let column = index % HIDDEN;
  let gate = gateUp[row * 2u * HIDDEN + column];
  let up = gateUp[row * 2u * HIDDEN + HIDDEN + column];
  act[index] = gate / (1.0 + exp(-gate)) * up;
}
`;

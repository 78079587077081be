/**
 * The one per-step uniform every decoder kernel reads (WGSL `struct StepParams` in each kernel):
 * word offsets of its fields. Shapes that never change are pipeline overrides instead.
 */
export const StepParamsLayout = {
  /** Rows (tokens) processed by this forward. */
  rows: 0,
  /** Position of the first row in the sequence (0 for a full forward, the cache length for a step). */
  start: 1,
  /** Which sequence's block table the paged KV-cache kernels read. */
  sequence: 2,
  /** Keys per flash-decoding split (a multiple of its 64-key tile). */
  splitKeys: 3,
  words: 4,
} as const;

/** WGSL declaration of StepParams; field order matches StepParamsLayout. */
export const stepParamsWgsl = /* wgsl */ `
struct StepParams { rows: u32, start: u32, sequence: u32, splitKeys: u32 }
@group(0) @binding(0) var<uniform> step: StepParams;
`;

/** Workgroup-wide max and sum over 64 invocations (tree reduction in workgroup memory). */
export const reduce64Wgsl = /* wgsl */ `
var<workgroup> reduction: array<f32, 64>;

fn reduceMax64(value: f32, lane: u32) -> f32 {
  reduction[lane] = value;
  workgroupBarrier();
  for (var stride = 32u; stride > 0u; stride >>= 1u) {
    if (lane < stride) { reduction[lane] = max(reduction[lane], reduction[lane + stride]); }
    workgroupBarrier();
  }
  let result = reduction[0];
  workgroupBarrier();
  return result;
}

fn reduceSum64(value: f32, lane: u32) -> f32 {
  reduction[lane] = value;
  workgroupBarrier();
  for (var stride = 32u; stride > 0u; stride >>= 1u) {
    if (lane < stride) { reduction[lane] = reduction[lane] + reduction[lane + stride]; }
    workgroupBarrier();
  }
  let result = reduction[0];
  workgroupBarrier();
  return result;
}
`;

/** Host-side words of StepParams. */
export function stepParamsWords(rows: number, start: number, sequence = 0, splitKeys = 64): Uint32Array<ArrayBuffer> {
  const words = new Uint32Array(StepParamsLayout.words);
  words[StepParamsLayout.rows] = rows;
  words[StepParamsLayout.start] = start;
  words[StepParamsLayout.sequence] = sequence;
  words[StepParamsLayout.splitKeys] = splitKeys;
  return words;
}

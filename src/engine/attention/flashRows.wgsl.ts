import { keyValueTilesWgsl, queryRowKeyLoopWgsl, queryRowStartWgsl, vec4Lanes } from './flashQueryRows.wgsl';
import { onlineSoftmaxStart, onlineSoftmaxStep, softmaxLogSumExp, softmaxNormaliser, type SoftmaxAccumulator } from './onlineSoftmax.wgsl';

/**
 * FlashAttention-2 forward shaped for software adapters (SwiftShader): one query row per
 * invocation, the row of Q and the output accumulator held in named vec4 registers (q0…, acc0…)
 * because dynamically indexed private arrays are slow in SwiftShader's compiler (about 2×,
 * GPU.md). K and V are still staged KEYS keys at a time in workgroup memory, and the softmax is
 * online per key (onlineSoftmax.wgsl.ts); O is divided by l once at the end and L = m + log l written.
 * Causal: key tiles past the workgroup's last row are skipped; only diagonal tiles test the mask.
 * The WGSL is generated per head size (a multiple of 4) so that the registers can be named.
 */
export function flashRowsWgsl(headDim: number, options: { rescale?: boolean } = {}): string {
  const each = vec4Lanes(headDim, 'flashRowsWgsl');
  const accumulator: SoftmaxAccumulator = {
    rescale: (factor) => each((i) => `acc${i} *= ${factor};`, '\n    '),
    add: (probability) => each((i) => `acc${i} += ${probability} * vTile[t + ${i}u];`, '\n      '),
  };
  return /* wgsl */ `
override ROWS: u32 = 64u;
override KEYS: u32 = 32u;
override SCALE: f32 = 0.125;
const VEC_PER_ROW: u32 = ${headDim / 4}u;

// Field order is the offset table FlashParamsLayout in FlashAttention.ts.
struct Params { n: u32, batchHeads: u32, causal: u32, pad0: u32 }

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> q: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> k: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read> v: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read_write> o: array<vec4<f32>>;
@group(0) @binding(5) var<storage, read_write> lse: array<f32>;
${keyValueTilesWgsl}

@compute @workgroup_size(ROWS)
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
  ${queryRowStartWgsl(each)}
  ${each((i) => `var acc${i} = vec4<f32>(0.0);`)}
  ${onlineSoftmaxStart}

  ${queryRowKeyLoopWgsl(each, onlineSoftmaxStep('score', accumulator, options.rescale ?? true))}

  if (inRange) {
    let inverse = ${softmaxNormaliser};
    let outRow = base + row * VEC_PER_ROW;
    ${each((i) => `o[outRow + ${i}u] = acc${i} * inverse;`)}
    lse[group.y * n + row] = ${softmaxLogSumExp};
  }
}
`;
}

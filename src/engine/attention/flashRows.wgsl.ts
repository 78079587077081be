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
export function flashRowsWgsl(headDim: number): string {
  if (headDim % 4 !== 0) throw new Error(`flashRowsWgsl: head size ${headDim} is not a multiple of 4`);
  const lanes = headDim / 4;
  const each = (make: (index: number) => string, separator = '\n  '): string => Array.from({ length: lanes }, (_, index) => make(index)).join(separator);
  const accumulator: SoftmaxAccumulator = {
    rescale: (factor) => each((i) => `acc${i} *= ${factor};`, '\n    '),
    add: (probability) => each((i) => `acc${i} += ${probability} * vTile[t + ${i}u];`, '\n      '),
  };
  return /* wgsl */ `
override ROWS: u32 = 64u;
override KEYS: u32 = 32u;
override SCALE: f32 = 0.125;
const VEC_PER_ROW: u32 = ${lanes}u;

// Field order is the offset table FlashParamsLayout in FlashAttention.ts.
struct Params { n: u32, batchHeads: u32, causal: u32, pad0: u32 }

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> q: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> k: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read> v: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read_write> o: array<vec4<f32>>;
@group(0) @binding(5) var<storage, read_write> lse: array<f32>;

var<workgroup> kTile: array<vec4<f32>, KEYS * VEC_PER_ROW>;
var<workgroup> vTile: array<vec4<f32>, KEYS * VEC_PER_ROW>;

@compute @workgroup_size(ROWS)
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
  let n = params.n;
  let firstRow = group.x * ROWS;
  let row = firstRow + lane;
  let inRange = row < n;
  let base = group.y * n * VEC_PER_ROW;
  let queryRow = base + min(row, n - 1u) * VEC_PER_ROW;
  ${each((i) => `let q${i} = q[queryRow + ${i}u] * SCALE;`)}
  ${each((i) => `var acc${i} = vec4<f32>(0.0);`)}
  ${onlineSoftmaxStart}

  var keyEnd = n;
  if (params.causal != 0u) { keyEnd = min(n, firstRow + ROWS); }
  for (var key0 = 0u; key0 < keyEnd; key0 += KEYS) {
    workgroupBarrier();
    for (var index = lane; index < KEYS * VEC_PER_ROW; index += ROWS) {
      let key = key0 + index / VEC_PER_ROW;
      var kValue = vec4<f32>(0.0);
      var vValue = vec4<f32>(0.0);
      if (key < n) {
        kValue = k[base + key * VEC_PER_ROW + index % VEC_PER_ROW];
        vValue = v[base + key * VEC_PER_ROW + index % VEC_PER_ROW];
      }
      kTile[index] = kValue;
      vTile[index] = vValue;
    }
    workgroupBarrier();

    var keyCount = min(KEYS, n - key0);
    // Diagonal tile: this row sees keys up to itself only.
    if (params.causal != 0u && key0 + keyCount - 1u > row) { keyCount = select(0u, row - key0 + 1u, row >= key0); }
    if (inRange) {
      for (var j = 0u; j < keyCount; j++) {
        let t = j * VEC_PER_ROW;
        let score = ${each((i) => `dot(q${i}, kTile[t + ${i}u])`, ' + ')};
        ${onlineSoftmaxStep('score', accumulator)}
      }
    }
  }

  if (inRange) {
    let inverse = ${softmaxNormaliser};
    let outRow = base + row * VEC_PER_ROW;
    ${each((i) => `o[outRow + ${i}u] = acc${i} * inverse;`)}
    lse[group.y * n + row] = ${softmaxLogSumExp};
  }
}
`;
}

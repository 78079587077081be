/**
 * FlashAttention backward with recomputation, from Q, K, V, O, dO and L only (no stored P):
 * 1. `rowDotWgsl`: D_i = rowsum(dO_i ∘ O_i).
 * 2. `keyGradientsWgsl(d)`: one key row per invocation, query tiles (Q, dO, L, D) staged in
 *    workgroup memory; P_ij = exp(q_i·k_j/√d − L_i) recomputed per tile, dV_j += P_ij dO_i,
 *    dS_ij = P_ij (dO_i·v_j − D_i), dK_j += dS_ij q_i / √d. Causal: queries before the block's
 *    first key are never visited.
 * 3. `queryGradientsWgsl(d)`: one query row per invocation, K and V tiles staged; the same P and
 *    dS recomputed, dQ_i += dS_ij k_j / √d. Causal: keys past the block's last row are skipped.
 * dQ gets its own pass because WGSL has no float atomics to sum it across key blocks.
 * Registers are named vec4s (generated per head size, a multiple of 4) as in flashRows.wgsl.ts.
 */

import { keyValueTilesWgsl, queryRowKeyLoopWgsl, queryRowStartWgsl, vec4Lanes } from './flashQueryRows.wgsl';
import { softmaxFromLogSumExp } from './onlineSoftmax.wgsl';

// Field order of WGSL `struct Params` below: FlashBackwardParamsLayout in FlashAttentionBackward.ts.
const paramsStruct = 'struct Params { n: u32, batchHeads: u32, causal: u32, pad0: u32 }';

const lanes = (headDim: number) => vec4Lanes(headDim, 'flash backward');

/** What the dK/dV and dQ passes both read: tile size `tile` (QUERIES or KEYS) and inputs bindings 0–6. */
function gradientInputsWgsl(headDim: number, tile: 'QUERIES' | 'KEYS'): string {
  return /* wgsl */ `
override ROWS: u32 = 64u;
override ${tile}: u32 = 16u;
override SCALE: f32 = 0.125;
const VEC_PER_ROW: u32 = ${headDim / 4}u;
${paramsStruct}
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> q: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> k: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read> v: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read> dO: array<vec4<f32>>;
@group(0) @binding(5) var<storage, read> lse: array<f32>;
@group(0) @binding(6) var<storage, read> rowDot: array<f32>;`;
}

export function rowDotWgsl(headDim: number): string {
  const each = lanes(headDim);
  return /* wgsl */ `
override ROWS: u32 = 64u;
const VEC_PER_ROW: u32 = ${headDim / 4}u;
${paramsStruct}
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> o: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> dO: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read_write> rowDot: array<f32>;

@compute @workgroup_size(ROWS)
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
  let row = group.x * ROWS + lane;
  if (row >= params.n) { return; }
  let base = (group.y * params.n + row) * VEC_PER_ROW;
  rowDot[group.y * params.n + row] = ${each((i) => `dot(o[base + ${i}u], dO[base + ${i}u])`, ' + ')};
}
`;
}

export function keyGradientsWgsl(headDim: number): string {
  const each = lanes(headDim);
  return /* wgsl */ `${gradientInputsWgsl(headDim, 'QUERIES')}
@group(0) @binding(7) var<storage, read_write> dK: array<vec4<f32>>;
@group(0) @binding(8) var<storage, read_write> dV: array<vec4<f32>>;

var<workgroup> qTile: array<vec4<f32>, QUERIES * VEC_PER_ROW>;
var<workgroup> dOTile: array<vec4<f32>, QUERIES * VEC_PER_ROW>;
var<workgroup> lseTile: array<f32, QUERIES>;
var<workgroup> rowDotTile: array<f32, QUERIES>;

@compute @workgroup_size(ROWS)
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
  let n = params.n;
  let firstKey = group.x * ROWS;
  let key = firstKey + lane;
  let inRange = key < n;
  let base = group.y * n * VEC_PER_ROW;
  let keyRow = base + min(key, n - 1u) * VEC_PER_ROW;
  ${each((i) => `let k${i} = k[keyRow + ${i}u] * SCALE;`)}
  ${each((i) => `let v${i} = v[keyRow + ${i}u];`)}
  ${each((i) => `var dk${i} = vec4<f32>(0.0);`)}
  ${each((i) => `var dv${i} = vec4<f32>(0.0);`)}

  var queryStart = 0u;
  if (params.causal != 0u) { queryStart = firstKey; }
  for (var query0 = queryStart; query0 < n; query0 += QUERIES) {
    workgroupBarrier();
    for (var index = lane; index < QUERIES * VEC_PER_ROW; index += ROWS) {
      let query = query0 + index / VEC_PER_ROW;
      var qValue = vec4<f32>(0.0);
      var dOValue = vec4<f32>(0.0);
      if (query < n) {
        qValue = q[base + query * VEC_PER_ROW + index % VEC_PER_ROW];
        dOValue = dO[base + query * VEC_PER_ROW + index % VEC_PER_ROW];
      }
      qTile[index] = qValue;
      dOTile[index] = dOValue;
    }
    for (var index = lane; index < QUERIES; index += ROWS) {
      let query = min(query0 + index, n - 1u);
      lseTile[index] = lse[group.y * n + query];
      rowDotTile[index] = rowDot[group.y * n + query];
    }
    workgroupBarrier();
    if (inRange) {
      var first = 0u;
      // Diagonal tile: queries before this key do not see it.
      if (params.causal != 0u && key > query0) { first = key - query0; }
      let last = min(QUERIES, n - query0);
      for (var t = first; t < last; t++) {
        let row = t * VEC_PER_ROW;
        let score = ${each((i) => `dot(qTile[row + ${i}u], k${i})`, ' + ')};
        let probability = ${softmaxFromLogSumExp('score', 'lseTile[t]')};
        ${each((i) => `dv${i} += probability * dOTile[row + ${i}u];`, '\n        ')}
        let gradientDot = ${each((i) => `dot(dOTile[row + ${i}u], v${i})`, ' + ')};
        let scoreGradient = probability * (gradientDot - rowDotTile[t]);
        ${each((i) => `dk${i} += scoreGradient * qTile[row + ${i}u];`, '\n        ')}
      }
    }
  }
  if (inRange) {
    let out = base + key * VEC_PER_ROW;
    ${each((i) => `dK[out + ${i}u] = dk${i} * SCALE;`)}
    ${each((i) => `dV[out + ${i}u] = dv${i};`)}
  }
}
`;
}

export function queryGradientsWgsl(headDim: number): string {
  const each = lanes(headDim);
  return /* wgsl */ `${gradientInputsWgsl(headDim, 'KEYS')}
@group(0) @binding(7) var<storage, read_write> dQ: array<vec4<f32>>;

${keyValueTilesWgsl}

@compute @workgroup_size(ROWS)
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
  ${queryRowStartWgsl(each)}
  ${each((i) => `let g${i} = dO[queryRow + ${i}u];`)}
  ${each((i) => `var dq${i} = vec4<f32>(0.0);`)}
  let rowLse = lse[group.y * n + clamped];
  let rowD = rowDot[group.y * n + clamped];

  ${queryRowKeyLoopWgsl(
    each,
    `let probability = ${softmaxFromLogSumExp('score', 'rowLse')};
        let gradientDot = ${each((i) => `dot(g${i}, vTile[t + ${i}u])`, ' + ')};
        let scoreGradient = probability * (gradientDot - rowD);
        ${each((i) => `dq${i} += scoreGradient * kTile[t + ${i}u];`, '\n        ')}`,
  )}
  if (inRange) {
    ${each((i) => `dQ[queryRow + ${i}u] = dq${i} * SCALE;`)}
  }
}
`;
}

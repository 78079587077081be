/**
 * FlashAttention backward with recomputation, from Q, K, V, O, dO and L only (no stored P), in
 * three passes generated per head size, storage precision and variant (flashKernel.wgsl.ts):
 * 1. `rowDotWgsl`: D_i = rowsum(dO_i ∘ O_i).
 * 2. `keyGradientsWgsl`: one key row per invocation (k, v, dk, dv in named vec4 registers), query
 *    tiles (Q, dO, L, D) staged in workgroup memory; P_ij = exp(q_i·k_j/√d − L_i) recomputed
 *    per block of queries, dV_j += P_ij dO_i, dS_ij = P_ij (dO_i·v_j − D_i), dK_j += dS_ij q_i/√d.
 *    Causal: queries before the workgroup's first key are never visited.
 * 3. `queryGradientsWgsl`: one query row per invocation, K and V tiles staged; the same P and dS
 *    recomputed, dQ_i += dS_ij k_j/√d. Causal: keys past the workgroup's last row are skipped.
 * dQ gets its own pass because WGSL has no float atomics to sum it across key blocks. Masked
 * entries (causal, past n) get P = 0 by a select, so every tile runs the same code.
 */

import { flashKernelPrelude, stageRowsWgsl, tileBlocksWgsl, type FlashKernelShape, type TileBlock } from './flashKernel.wgsl';
import { softmaxFromLogSumExp } from './onlineSoftmax.wgsl';
import { rowStorage } from './flashStorage.wgsl';

/** Bindings 0–6, what the dK/dV and dQ passes both read (inputs in the pass's precision, L and D float32). */
function gradientInputsWgsl(shape: FlashKernelShape): string {
  const type = shape.storage.inputType;
  return /* wgsl */ `${flashKernelPrelude(shape)}
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> q: array<${type}>;
@group(0) @binding(2) var<storage, read> k: array<${type}>;
@group(0) @binding(3) var<storage, read> v: array<${type}>;
@group(0) @binding(4) var<storage, read> dO: array<${type}>;
@group(0) @binding(5) var<storage, read> lse: array<f32>;
@group(0) @binding(6) var<storage, read> rowDot: array<f32>;`;
}

/** Σ_j terms[j] added to register `name`. */
function accumulate(name: string, terms: string[]): string {
  return `${name} = ${[name, ...terms].join(' + ')};`;
}

export function rowDotWgsl(shape: FlashKernelShape): string {
  const { storage } = shape;
  const output = rowStorage(shape.headDim, 'f32');
  return /* wgsl */ `${flashKernelPrelude(shape)}
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> o: array<${output.inputType}>;
@group(0) @binding(2) var<storage, read> dO: array<${storage.inputType}>;
@group(0) @binding(3) var<storage, read_write> rowDot: array<f32>;

@compute @workgroup_size(ROWS)
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
  let row = group.x * ROWS + lane;
  if (row >= params.n) { return; }
  let at = group.y * params.n + row;
  rowDot[at] = ${storage.each((i) => `dot(${output.load('o', 'at', i)}, ${storage.load('dO', 'at', i)})`, ' + ')};
}
`;
}

export function keyGradientsWgsl(shape: FlashKernelShape): string {
  const { storage } = shape;
  const { each } = storage;
  const perBlock = tileBlocksWgsl(shape, (block: TileBlock) => {
    const ts = Array.from({ length: block.count }, (_, t) => t);
    return `${ts.map((t) => `let seen${t} = ${block.row(t)} >= firstSeen && ${block.row(t)} < lastSeen;`).join('\n    ')}
    ${ts.map((t) => `let p${t} = select(0.0, ${softmaxFromLogSumExp(each((i) => `dot(qTile[${block.offset(t)} + ${i}u], k${i})`, ' + '), `lseTile[${block.row(t)}]`)}, seen${t});`).join('\n    ')}
    ${ts.map((t) => `let dS${t} = p${t} * ((${each((i) => `dot(dOTile[${block.offset(t)} + ${i}u], v${i})`, ' + ')}) - rowDotTile[${block.row(t)}]);`).join('\n    ')}
    ${each((i) => accumulate(`dv${i}`, ts.map((t) => `p${t} * dOTile[${block.offset(t)} + ${i}u]`)), '\n    ')}
    ${each((i) => accumulate(`dk${i}`, ts.map((t) => `dS${t} * qTile[${block.offset(t)} + ${i}u]`)), '\n    ')}`;
  });
  return /* wgsl */ `${gradientInputsWgsl(shape)}
@group(0) @binding(7) var<storage, read_write> dK: array<${storage.outputType}>;
@group(0) @binding(8) var<storage, read_write> dV: array<${storage.outputType}>;

var<workgroup> qTile: array<vec4<f32>, KEYS * LANES>;
var<workgroup> dOTile: array<vec4<f32>, KEYS * LANES>;
var<workgroup> lseTile: array<f32, KEYS>;
var<workgroup> rowDotTile: array<f32, KEYS>;

@compute @workgroup_size(ROWS)
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
  let n = params.n;
  let headRow = group.y * n;
  let firstKey = group.x * ROWS;
  let key = firstKey + lane;
  let keyRow = headRow + min(key, n - 1u);
  ${each((i) => `let k${i} = ${storage.load('k', 'keyRow', i)} * SCALE;`)}
  ${each((i) => `let v${i} = ${storage.load('v', 'keyRow', i)};`)}
  ${each((i) => `var dk${i} = vec4<f32>(0.0);`)}
  ${each((i) => `var dv${i} = vec4<f32>(0.0);`)}
  var queryStart = 0u;
  var firstQuery = 0u;
  if (params.causal != 0u) {
    queryStart = firstKey;
    firstQuery = key;
  }
  for (var query0 = queryStart; query0 < n; query0 += KEYS) {
    workgroupBarrier();
    ${stageRowsWgsl(shape, [['q', 'qTile'], ['dO', 'dOTile']], 'query0')}
    for (var index = lane; index < KEYS; index += ROWS) {
      let stagedRow = headRow + min(query0 + index, n - 1u);
      lseTile[index] = lse[stagedRow];
      rowDotTile[index] = rowDot[stagedRow];
    }
    workgroupBarrier();
    // Queries of this tile that see this key: tile rows firstSeen ≤ t < lastSeen.
    let firstSeen = select(0u, firstQuery - query0, firstQuery > query0);
    let lastSeen = n - query0;
    ${perBlock}
  }
  if (key < n) {
    let out = headRow + key;
    ${each((i) => storage.store('dK', 'out', i, `dk${i} * SCALE`))}
    ${each((i) => storage.store('dV', 'out', i, `dv${i}`))}
  }
}
`;
}

export function queryGradientsWgsl(shape: FlashKernelShape): string {
  const { storage } = shape;
  const { each } = storage;
  const perBlock = tileBlocksWgsl(shape, (block: TileBlock) => {
    const js = Array.from({ length: block.count }, (_, j) => j);
    return `${js.map((j) => `let p${j} = select(0.0, ${softmaxFromLogSumExp(each((i) => `dot(q${i}, kTile[${block.offset(j)} + ${i}u])`, ' + '), 'rowLse')}, ${block.row(j)} < visible);`).join('\n    ')}
    ${js.map((j) => `let dS${j} = p${j} * ((${each((i) => `dot(g${i}, vTile[${block.offset(j)} + ${i}u])`, ' + ')}) - rowD);`).join('\n    ')}
    ${each((i) => accumulate(`dq${i}`, js.map((j) => `dS${j} * kTile[${block.offset(j)} + ${i}u]`)), '\n    ')}`;
  });
  return /* wgsl */ `${gradientInputsWgsl(shape)}
@group(0) @binding(7) var<storage, read_write> dQ: array<${storage.outputType}>;

var<workgroup> kTile: array<vec4<f32>, KEYS * LANES>;
var<workgroup> vTile: array<vec4<f32>, KEYS * LANES>;

@compute @workgroup_size(ROWS)
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
  let n = params.n;
  let headRow = group.y * n;
  let firstRow = group.x * ROWS;
  let row = firstRow + lane;
  let queryRow = headRow + min(row, n - 1u);
  ${each((i) => `let q${i} = ${storage.load('q', 'queryRow', i)} * SCALE;`)}
  ${each((i) => `let g${i} = ${storage.load('dO', 'queryRow', i)};`)}
  ${each((i) => `var dq${i} = vec4<f32>(0.0);`)}
  let rowLse = lse[queryRow];
  let rowD = rowDot[queryRow];
  var keyLimit = n;
  var keyEnd = n;
  if (params.causal != 0u) {
    keyLimit = min(n, row + 1u);
    keyEnd = min(n, firstRow + ROWS);
  }
  for (var key0 = 0u; key0 < keyEnd; key0 += KEYS) {
    workgroupBarrier();
    ${stageRowsWgsl(shape, [['k', 'kTile'], ['v', 'vTile']])}
    workgroupBarrier();
    let visible = select(0u, keyLimit - key0, keyLimit > key0);
    ${perBlock}
  }
  if (row < n) {
    let out = headRow + row;
    ${each((i) => storage.store('dQ', 'out', i, `dq${i} * SCALE`))}
  }
}
`;
}

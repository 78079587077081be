/**
 * FlashAttention backward with recomputation, from Q, K, V, O, dO and L only (no stored P), in
 * three passes generated per head size, storage precision and variant (flash-kernel.wgsl.ts):
 * 1. `rowDotWgsl`: D_i = rowsum(dO_i ∘ O_i).
 * 2. `keyGradientsWgsl`: key rows held by invocations (k, v, dk, dv in named vec4 registers),
 *    the queries' Q, dO, L, D staged in workgroup memory (gpu) or read from storage (fallback)
 *    block by block; P_ij = exp(q_i·k_j/√d − L_i)
 *    recomputed per block of queries, dV_j += P_ij dO_i, dS_ij = P_ij (dO_i·v_j − D_i),
 *    dK_j += dS_ij q_i/√d. Causal: queries before the workgroup's first key are never visited.
 * 3. `queryGradientsWgsl`: query rows held by invocations, K and V staged or read likewise; the same P and
 *    dS recomputed, dQ_i += dS_ij k_j/√d. Causal: keys past the workgroup's last row are skipped.
 * dQ gets its own pass because WGSL has no float atomics to sum it across key blocks. Masked
 * entries (causal, past n) get P = 0 by a select, so every tile runs the same code. Each vec4 read
 * from a tile is loaded once into a named value and serves every row of the invocation.
 */

import { blockRowIndicesWgsl, blockRowsWgsl, blockScalarWgsl, flashKernelPrelude, range, stageRowsWgsl, tileBlocksWgsl, type FlashKernelShape, type TileBlock } from './flash-kernel.wgsl';
import { softmaxFromLogSumExp } from './online-softmax.wgsl';
import { rowStorage } from './flash-storage.wgsl';

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

/** `name` = `name` (· `scale`) + Σ terms, as one statement. */
function accumulate(name: string, terms: readonly string[]): string {
  return `${name} = ${[name, ...terms].join(' + ')};`;
}

/** Row r of this invocation (an invocation's rows are contiguous) and its absolute index, clamped to the last row. */
function ownedRow(shape: FlashKernelShape, r: number, first: string): string {
  return `let row${r} = ${first} + lane * ${shape.rowsPerInvocation}u + ${r}u;
  let at${r} = headRow + min(row${r}, n - 1u);`;
}

export function rowDotWgsl(shape: FlashKernelShape): string {
  const { storage } = shape;
  const output = rowStorage(shape.headDim, 'f32');
  return /* wgsl */ `${flashKernelPrelude(shape)}
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> o: array<${output.inputType}>;
@group(0) @binding(2) var<storage, read> dO: array<${storage.inputType}>;
@group(0) @binding(3) var<storage, read_write> rowDot: array<f32>;

@compute @workgroup_size(INVOCATIONS)
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
  for (var r = 0u; r < ${shape.rowsPerInvocation}u; r++) {
    let row = group.x * ROWS + lane * ${shape.rowsPerInvocation}u + r;
    if (row < params.n) {
      let at = group.y * params.n + row;
      rowDot[at] = ${storage.each((i) => `dot(${output.load('o', 'at', i)}, ${storage.load('dO', 'at', i)})`, ' + ')};
    }
  }
}
`;
}

export function keyGradientsWgsl(shape: FlashKernelShape): string {
  const { storage } = shape;
  const { each } = storage;
  const keys = range(shape.rowsPerInvocation);
  const perBlock = tileBlocksWgsl(shape, (block: TileBlock) => {
    const queries = range(block.count);
    const lines = [blockRowIndicesWgsl(shape, block, 'query0'), blockRowsWgsl(shape, block, [['q', 'qTile', 'q'], ['dO', 'dOTile', 'g']])];
    for (const t of queries) lines.push(`let lse${t} = ${blockScalarWgsl(shape, block, t, 'lse', 'lseTile')}; let rowD${t} = ${blockScalarWgsl(shape, block, t, 'rowDot', 'rowDotTile')};`);
    for (const r of keys) {
      for (const t of queries) {
        const score = each((i) => `dot(q${t}_${i}, k${r}_${i})`, ' + ');
        lines.push(`let p${r}_${t} = select(0.0, ${softmaxFromLogSumExp(score, `lse${t}`)}, ${block.row(t)} >= firstSeen${r} && ${block.row(t)} < lastSeen);`);
        lines.push(`let dS${r}_${t} = p${r}_${t} * ((${each((i) => `dot(g${t}_${i}, v${r}_${i})`, ' + ')}) - rowD${t});`);
      }
      lines.push(each((i) => accumulate(`dv${r}_${i}`, queries.map((t) => `p${r}_${t} * g${t}_${i}`)), '\n    '));
      lines.push(each((i) => accumulate(`dk${r}_${i}`, queries.map((t) => `dS${r}_${t} * q${t}_${i}`)), '\n    '));
    }
    return lines.join('\n    ');
  });
  return /* wgsl */ `${gradientInputsWgsl(shape)}
@group(0) @binding(7) var<storage, read_write> dK: array<${storage.outputType}>;
@group(0) @binding(8) var<storage, read_write> dV: array<${storage.outputType}>;

${shape.staged ? `var<workgroup> qTile: array<vec4<f32>, KEYS * LANES>;
var<workgroup> dOTile: array<vec4<f32>, KEYS * LANES>;
var<workgroup> lseTile: array<f32, KEYS>;
var<workgroup> rowDotTile: array<f32, KEYS>;` : ''}

@compute @workgroup_size(INVOCATIONS)
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
  let n = params.n;
  let headRow = group.y * n;
  let firstKey = group.x * ROWS;
  let causal = params.causal != 0u;
  ${keys
    .map(
      (r) => `${ownedRow(shape, r, 'firstKey')}
  ${each((i) => `let k${r}_${i} = ${storage.load('k', `at${r}`, i)} * SCALE;`)}
  ${each((i) => `let v${r}_${i} = ${storage.load('v', `at${r}`, i)};`)}
  ${each((i) => `var dk${r}_${i} = vec4<f32>(0.0);`)}
  ${each((i) => `var dv${r}_${i} = vec4<f32>(0.0);`)}
  // Causal: only queries at or after the key see it.
  let firstQuery${r} = select(0u, row${r}, causal);`,
    )
    .join('\n  ')}
  let queryStart = select(0u, firstKey, causal);
  for (var query0 = queryStart; query0 < n; query0 += KEYS) {
    let tileRows = min(KEYS, n - query0);
    ${shape.staged ? `workgroupBarrier();
    ${stageRowsWgsl(shape, [['q', 'qTile'], ['dO', 'dOTile']], 'query0')}
    for (var index = lane; index < tileRows; index += INVOCATIONS) {
      let stagedRow = headRow + min(query0 + index, n - 1u);
      lseTile[index] = lse[stagedRow];
      rowDotTile[index] = rowDot[stagedRow];
    }
    workgroupBarrier();` : ''}
    // Queries of this tile that see each key: tile rows firstSeen ≤ t < lastSeen.
    ${keys.map((r) => `let firstSeen${r} = select(0u, firstQuery${r} - query0, firstQuery${r} > query0);`).join('\n    ')}
    let lastSeen = n - query0;
    ${perBlock}
  }
  ${keys
    .map(
      (r) => `if (row${r} < n) {
    ${each((i) => storage.store('dK', `at${r}`, i, `dk${r}_${i} * SCALE`))}
    ${each((i) => storage.store('dV', `at${r}`, i, `dv${r}_${i}`))}
  }`,
    )
    .join('\n  ')}
}
`;
}

export function queryGradientsWgsl(shape: FlashKernelShape): string {
  const { storage } = shape;
  const { each } = storage;
  const queries = range(shape.rowsPerInvocation);
  const perBlock = tileBlocksWgsl(shape, (block: TileBlock) => {
    const keys = range(block.count);
    const lines = [blockRowIndicesWgsl(shape, block, 'key0'), blockRowsWgsl(shape, block, [['k', 'kTile', 'k'], ['v', 'vTile', 'v']])];
    for (const r of queries) {
      for (const j of keys) {
        const score = each((i) => `dot(q${r}_${i}, k${j}_${i})`, ' + ');
        lines.push(`let p${r}_${j} = select(0.0, ${softmaxFromLogSumExp(score, `rowLse${r}`)}, ${block.row(j)} < visible${r});`);
        lines.push(`let dS${r}_${j} = p${r}_${j} * ((${each((i) => `dot(g${r}_${i}, v${j}_${i})`, ' + ')}) - rowD${r});`);
      }
      lines.push(each((i) => accumulate(`dq${r}_${i}`, keys.map((j) => `dS${r}_${j} * k${j}_${i}`)), '\n    '));
    }
    return lines.join('\n    ');
  });
  return /* wgsl */ `${gradientInputsWgsl(shape)}
@group(0) @binding(7) var<storage, read_write> dQ: array<${storage.outputType}>;

${shape.staged ? 'var<workgroup> kTile: array<vec4<f32>, KEYS * LANES>;\nvar<workgroup> vTile: array<vec4<f32>, KEYS * LANES>;' : ''}

@compute @workgroup_size(INVOCATIONS)
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
  let n = params.n;
  let headRow = group.y * n;
  let firstRow = group.x * ROWS;
  let causal = params.causal != 0u;
  var keyEnd = n;
  if (causal) { keyEnd = min(n, firstRow + ROWS); }
  ${queries
    .map(
      (r) => `${ownedRow(shape, r, 'firstRow')}
  ${each((i) => `let q${r}_${i} = ${storage.load('q', `at${r}`, i)} * SCALE;`)}
  ${each((i) => `let g${r}_${i} = ${storage.load('dO', `at${r}`, i)};`)}
  ${each((i) => `var dq${r}_${i} = vec4<f32>(0.0);`)}
  let rowLse${r} = lse[at${r}];
  let rowD${r} = rowDot[at${r}];
  let keyLimit${r} = select(n, min(n, row${r} + 1u), causal);`,
    )
    .join('\n  ')}
  for (var key0 = 0u; key0 < keyEnd; key0 += KEYS) {
    // Rows of this tile before n or the causal end: uniform, the same for every invocation.
    let tileRows = min(KEYS, keyEnd - key0);
    ${shape.staged ? `workgroupBarrier();\n    ${stageRowsWgsl(shape, [['k', 'kTile'], ['v', 'vTile']])}\n    workgroupBarrier();` : ''}
    ${queries.map((r) => `let visible${r} = select(0u, keyLimit${r} - key0, keyLimit${r} > key0);`).join('\n    ')}
    ${perBlock}
  }
  ${queries
    .map(
      (r) => `if (row${r} < n) {
    ${each((i) => storage.store('dQ', `at${r}`, i, `dq${r}_${i} * SCALE`))}
  }`,
    )
    .join('\n  ')}
}
`;
}

import { SOFTMAX_EMPTY, softmaxLogSumExp, softmaxNormaliser } from './onlineSoftmax.wgsl';
import { flashKernelPrelude, keyBlockWgsl, stageRowsWgsl, type FlashKernelShape } from './flashKernel.wgsl';

/**
 * FlashAttention-2 forward, one query row per invocation: the row of Q (times 1/√d) and the output
 * accumulator live in named vec4 registers, K and V are staged KEYS keys at a time in workgroup
 * memory by the whole workgroup, and each tile is consumed in blocks of BLOCK keys whose scores
 * stay in registers: one max and one rescale per block instead of per key (onlineSoftmax.wgsl.ts
 * in block form). O is divided by l once at the end and L = m + log l written for the backward.
 *
 * The same generator makes both variants (FlashAttention.ts chooses):
 * - 'gpu': a loop over the blocks of a tile; with subgroups, the rescale runs only when some
 *   invocation of the subgroup raised its max (a subgroup-uniform branch, no divergence).
 * - 'fallback' (SwiftShader): the tile fully unrolled, so every workgroup-memory read has a
 *   constant index. SwiftShader then loads it once for its 4 SIMD lanes instead of gathering per
 *   lane, which is where a software adapter's time goes.
 *
 * Causal: tiles past the workgroup's last row are never visited; a key past the row (or past n)
 * is masked by a compare and select, so no tile takes a different path.
 */
export function flashForwardWgsl(shape: FlashKernelShape): string {
  const { storage } = shape;
  const { each } = storage;
  const perBlock = keyBlockWgsl(
    shape,
    (offset) => each((i) => `dot(q${i}, kTile[${offset} + ${i}u])`, ' + '),
    (block) => ({
      update: (rescale, probabilities) =>
        each((i) => {
          const terms = probabilities.map((p, j) => `${p} * vTile[${block.offset(j)} + ${i}u]`);
          const scaled = rescale === null ? `acc${i}` : `acc${i} * ${rescale}`;
          return `acc${i} = ${[scaled, ...terms].join(' + ')};`;
        }, '\n    '),
    }),
  );
  return /* wgsl */ `${flashKernelPrelude(shape)}
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> q: array<${storage.inputType}>;
@group(0) @binding(2) var<storage, read> k: array<${storage.inputType}>;
@group(0) @binding(3) var<storage, read> v: array<${storage.inputType}>;
@group(0) @binding(4) var<storage, read_write> o: array<${storage.outputType}>;
@group(0) @binding(5) var<storage, read_write> lse: array<f32>;

var<workgroup> kTile: array<vec4<f32>, KEYS * LANES>;
var<workgroup> vTile: array<vec4<f32>, KEYS * LANES>;

@compute @workgroup_size(ROWS)
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
  let n = params.n;
  let headRow = group.y * n;
  let firstRow = group.x * ROWS;
  let row = firstRow + lane;
  // Invocations past n work on the last row (valid reads, every barrier reached) and write nothing.
  let queryRow = headRow + min(row, n - 1u);
  ${each((i) => `let q${i} = ${storage.load('q', 'queryRow', i)} * SCALE;`)}
  ${each((i) => `var acc${i} = vec4<f32>(0.0);`)}
  var runningMax = ${SOFTMAX_EMPTY};
  var runningSum = 0.0;
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
    // Keys of this tile the row sees: the first 'visible' (none when the tile starts past the row).
    let visible = select(0u, keyLimit - key0, keyLimit > key0);
    ${perBlock}
  }
  if (row < n) {
    let inverse = ${softmaxNormaliser};
    let outRow = headRow + row;
    ${each((i) => storage.store('o', 'outRow', i, `acc${i} * inverse`))}
    lse[outRow] = ${softmaxLogSumExp};
  }
}
`;
}

import { onlineSoftmaxBlock, SOFTMAX_EMPTY } from './online-softmax.wgsl';
import { blockRowIndicesWgsl, blockRowsWgsl, flashKernelPrelude, range, stageRowsWgsl, tileBlocksWgsl, type FlashKernelShape } from './flash-kernel.wgsl';

/**
 * FlashAttention-2 forward, query rows held by invocations: each invocation owns
 * `rowsPerInvocation` query rows (q times 1/√d and the output accumulator in named vec4
 * registers) and walks the keys in blocks of BLOCK whose scores stay in registers: one max and one
 * rescale per block and row instead of per key (onlineSoftmaxBlock). Each K and V vec4 read serves
 * every row of the invocation. O is divided by l once at the end and L = m + log l written for the
 * backward.
 *
 * The same generator makes both variants (flash-tiling.ts chooses the shape):
 * - 'gpu': one row per invocation; K and V staged KEYS keys at a time in workgroup memory by the
 *   whole workgroup, the tile walked in a loop of blocks; with subgroups, the rescale runs only
 *   when some invocation of the subgroup raised its max (a subgroup-uniform branch).
 * - 'fallback' (SwiftShader): up to 16 rows per invocation, each block's K and V rows read
 *   straight from storage (SwiftShader reads workgroup memory lane by lane too, so staging would
 *   only add copies and barriers), the step unrolled.
 *
 * Causal: workgroups stop at their last row; a key past a row (or past n) is masked by a compare
 * and select, so every block runs the same code.
 */
export function flashForwardWgsl(shape: FlashKernelShape): string {
  const { storage } = shape;
  const { each } = storage;
  const rows = range(shape.rowsPerInvocation);
  const perBlock = tileBlocksWgsl(shape, (block) => {
    const keys = range(block.count);
    const kLoads = `${blockRowIndicesWgsl(shape, block, 'key0')}\n    ${blockRowsWgsl(shape, block, [['k', 'kTile', 'k']])}`;
    const scores = rows.flatMap((r) => keys.map((j) => `let s${r}_${j} = ${each((i) => `dot(q${r}_${i}, k${j}_${i})`, ' + ')};`)).join('\n    ');
    const vLoads = blockRowsWgsl(shape, block, [['v', 'vTile', 'v']]);
    const updates = rows.map((r) =>
      onlineSoftmaxBlock(
        keys.map((j) => `s${r}_${j}`),
        keys.map((j) => `${block.row(j)} < visible${r}`),
        {
          update: (rescale, probabilities) =>
            each((i) => {
              const terms = probabilities.map((p, j) => `${p} * v${j}_${i}`);
              return `acc${r}_${i} = ${[rescale === null ? `acc${r}_${i}` : `acc${r}_${i} * ${rescale}`, ...terms].join(' + ')};`;
            }, '\n    '),
        },
        shape.rescale === false ? 'never' : shape.subgroups ? 'subgroup' : 'always',
        String(r),
      ),
    );
    return [kLoads, scores, vLoads, ...updates].join('\n    ');
  });
  return /* wgsl */ `${flashKernelPrelude(shape)}
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> q: array<${storage.inputType}>;
@group(0) @binding(2) var<storage, read> k: array<${storage.inputType}>;
@group(0) @binding(3) var<storage, read> v: array<${storage.inputType}>;
@group(0) @binding(4) var<storage, read_write> o: array<${storage.outputType}>;
@group(0) @binding(5) var<storage, read_write> lse: array<f32>;

${shape.staged ? 'var<workgroup> kTile: array<vec4<f32>, KEYS * LANES>;\nvar<workgroup> vTile: array<vec4<f32>, KEYS * LANES>;' : ''}

@compute @workgroup_size(INVOCATIONS)
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
  let n = params.n;
  let headRow = group.y * n;
  let firstRow = group.x * ROWS;
  let causal = params.causal != 0u;
  var keyEnd = n;
  if (causal) { keyEnd = min(n, firstRow + ROWS); }
  ${rows
    .map(
      (r) => `// Row ${r} of this invocation. Rows past n work on the last row (valid reads, every barrier reached) and write nothing.
  let row${r} = firstRow + lane * ${shape.rowsPerInvocation}u + ${r}u;
  let queryRow${r} = headRow + min(row${r}, n - 1u);
  ${each((i) => `let q${r}_${i} = ${storage.load('q', `queryRow${r}`, i)} * SCALE;`)}
  ${each((i) => `var acc${r}_${i} = vec4<f32>(0.0);`)}
  var runningMax${r} = ${SOFTMAX_EMPTY};
  var runningSum${r} = 0.0;
  let keyLimit${r} = select(n, min(n, row${r} + 1u), causal);`,
    )
    .join('\n  ')}
  for (var key0 = 0u; key0 < keyEnd; key0 += KEYS) {
    // Rows of this tile before n or the causal end: uniform, the same for every invocation.
    let tileRows = min(KEYS, keyEnd - key0);
    ${shape.staged ? `workgroupBarrier();
    ${stageRowsWgsl(shape, [['k', 'kTile'], ['v', 'vTile']])}
    workgroupBarrier();` : ''}
    // Keys of this tile each row sees: the first 'visible' (none when the tile starts past the row).
    ${rows.map((r) => `let visible${r} = select(0u, keyLimit${r} - key0, keyLimit${r} > key0);`).join('\n    ')}
    ${perBlock}
  }
  ${rows
    .map(
      (r) => `if (row${r} < n) {
    let inverse = 1.0 / runningSum${r};
    let outRow = headRow + row${r};
    ${each((i) => storage.store('o', 'outRow', i, `acc${r}_${i} * inverse`))}
    lse[outRow] = runningMax${r} + log(runningSum${r});
  }`,
    )
    .join('\n  ')}
}
`;
}

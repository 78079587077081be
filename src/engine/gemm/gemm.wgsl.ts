/**
 * What the tiled GEMM and the GEMV share: the uniform, the bindings, B's load and C's store, so
 * that both compute one element of C with the same arithmetic in the same order (a row computed
 * by either is bit-identical, which keeps cached and uncached decoding equal).
 */
export const gemmBindingsWgsl = /* wgsl */ `
// Field order is the offset table GemmParamsLayout in Gemm.ts.
struct Params {
  m: u32, n: u32, k: u32, transposeA: u32,
  strideA: u32, strideB: u32, strideC: u32, transposeB: u32,
  offsetA: u32, offsetB: u32, offsetC: u32, alpha: f32,
  accumulate: u32, pad0: u32, pad1: u32, pad2: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> c: array<f32>;

fn loadB(base: u32, depth: u32, col: u32) -> f32 {
  if (col >= params.n || depth >= params.k) { return 0.0; }
  if (params.transposeB != 0u) { return b[base + col * params.k + depth]; }
  return b[base + depth * params.n + col];
}

// C = alpha · sum, or C += alpha · sum (accumulate: the residual connection, beta = 1).
fn store(index: u32, sum: f32) {
  let scaled = sum * params.alpha;
  if (params.accumulate != 0u) { c[index] = c[index] + scaled; } else { c[index] = scaled; }
}
`;

/** Shape of the tiled kernel: invocations along rows and columns, the C block each computes, and the depth staged per step. */
export interface GemmKernelShape {
  workgroupRows: number;
  workgroupCols: number;
  /** Rows and columns of C each invocation keeps in registers; multiples of 4. */
  rowsPerInvocation: number;
  colsPerInvocation: number;
  /** Depth of the A and B tiles staged in workgroup memory per step; 0: no staging (`gemmDirectWgsl`). */
  tileK: number;
}

/**
 * Tiled, batched GEMM: C[b] = alpha · op(A[b]) · op(B[b]), row-major float32, any M, N, K.
 *
 * A workgroup of workgroupRows × workgroupCols invocations owns a (workgroupRows·RM) ×
 * (workgroupCols·CN) tile of C; each invocation keeps an RM × CN block of C in named vec4
 * registers (register blocking: each value it reads from workgroup memory feeds RM or CN
 * products), and the K dimension is walked TILE_K at a time through tiles of A and B staged in
 * workgroup memory as vec4s of 4 rows (A) or 4 columns (B). Edges are zero-filled, so M, N, K need
 * not be multiples of the tile. Each element of C is one running sum over k in increasing order,
 * `acc + a·b`, whatever the blocking, so every shape rounds alike (and like the GEMV).
 */
export function gemmWgsl(shape: GemmKernelShape): string {
  const { workgroupRows: wr, workgroupCols: wc, rowsPerInvocation: rm, colsPerInvocation: cn, tileK } = shape;
  if (rm % 4 !== 0 || cn % 4 !== 0) throw new Error(`gemmWgsl: register block ${rm}×${cn} is not made of vec4s`);
  const rowGroups = rm / 4;
  const colGroups = cn / 4;
  const rows = Array.from({ length: rm }, (_, r) => r);
  const cols = Array.from({ length: colGroups }, (_, c) => c);
  const components = ['x', 'y', 'z', 'w'];
  return /* wgsl */ `
const WORKGROUP_ROWS: u32 = ${wr}u;
const WORKGROUP_COLS: u32 = ${wc}u;
const TILE_K: u32 = ${tileK}u;
// vec4 groups of 4 rows (A) or 4 columns (B) across the workgroup's tile.
const A_GROUPS: u32 = ${wr * rowGroups}u;
const B_GROUPS: u32 = ${wc * colGroups}u;

${gemmBindingsWgsl}

// aTile[k * A_GROUPS + g] holds rows 4g..4g+3 of the tile at depth k; bTile likewise columns.
var<workgroup> aTile: array<vec4<f32>, TILE_K * A_GROUPS>;
var<workgroup> bTile: array<vec4<f32>, TILE_K * B_GROUPS>;

fn loadA(base: u32, row: u32, depth: u32) -> f32 {
  if (row >= params.m || depth >= params.k) { return 0.0; }
  if (params.transposeA != 0u) { return a[base + depth * params.m + row]; }
  return a[base + row * params.k + depth];
}

@compute @workgroup_size(WORKGROUP_COLS, WORKGROUP_ROWS, 1)
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_id) local: vec3<u32>, @builtin(local_invocation_index) flat: u32) {
  let tileRow = group.y * A_GROUPS * 4u;
  let tileCol = group.x * B_GROUPS * 4u;
  let baseA = params.offsetA + group.z * params.strideA;
  let baseB = params.offsetB + group.z * params.strideB;
  let baseC = params.offsetC + group.z * params.strideC;
  let threads = WORKGROUP_ROWS * WORKGROUP_COLS;

  ${rows.map((r) => cols.map((c) => `var acc${r}_${c} = vec4<f32>(0.0);`).join(' ')).join('\n  ')}

  for (var depth0 = 0u; depth0 < params.k; depth0 += TILE_K) {
    // Neighbouring invocations read neighbouring addresses of the stored (possibly transposed) layout.
    for (var index = flat; index < TILE_K * A_GROUPS; index += threads) {
      var group4: u32;
      var kk: u32;
      if (params.transposeA != 0u) { kk = index / A_GROUPS; group4 = index % A_GROUPS; }
      else { group4 = index / TILE_K; kk = index % TILE_K; }
      let row = tileRow + group4 * 4u;
      let depth = depth0 + kk;
      aTile[kk * A_GROUPS + group4] = vec4<f32>(loadA(baseA, row, depth), loadA(baseA, row + 1u, depth), loadA(baseA, row + 2u, depth), loadA(baseA, row + 3u, depth));
    }
    for (var index = flat; index < TILE_K * B_GROUPS; index += threads) {
      var group4: u32;
      var kk: u32;
      if (params.transposeB != 0u) { group4 = index / TILE_K; kk = index % TILE_K; }
      else { kk = index / B_GROUPS; group4 = index % B_GROUPS; }
      let col = tileCol + group4 * 4u;
      let depth = depth0 + kk;
      bTile[kk * B_GROUPS + group4] = vec4<f32>(loadB(baseB, depth, col), loadB(baseB, depth, col + 1u), loadB(baseB, depth, col + 2u), loadB(baseB, depth, col + 3u));
    }
    workgroupBarrier();
    // fma() here crashes SwiftShader's compiler (futex abort in Dawn); the plain form compiles to FMA anyway.
    for (var kk = 0u; kk < TILE_K; kk++) {
      ${Array.from({ length: rowGroups }, (_, g) => `let column${g} = aTile[kk * A_GROUPS + local.y * ${rowGroups}u + ${g}u];`).join('\n      ')}
      ${cols.map((c) => `let row${c} = bTile[kk * B_GROUPS + local.x * ${colGroups}u + ${c}u];`).join('\n      ')}
      ${rows.map((r) => cols.map((c) => `acc${r}_${c} = acc${r}_${c} + column${Math.floor(r / 4)}.${components[r % 4]} * row${c};`).join(' ')).join('\n      ')}
    }
    workgroupBarrier();
  }

  let row0 = tileRow + local.y * ${rm}u;
  let col0 = tileCol + local.x * ${cn}u;
  ${rows.map((r) => cols.map((c) => `storeRow(baseC, row0 + ${r}u, col0 + ${4 * c}u, acc${r}_${c});`).join(' ')).join('\n  ')}
}

fn storeRow(base: u32, row: u32, col0: u32, values: vec4<f32>) {
  if (row >= params.m) { return; }
  let start = base + row * params.n;
  if (col0 < params.n) { store(start + col0, values.x); }
  if (col0 + 1u < params.n) { store(start + col0 + 1u, values.y); }
  if (col0 + 2u < params.n) { store(start + col0 + 2u, values.z); }
  if (col0 + 3u < params.n) { store(start + col0 + 3u, values.w); }
}
`;
}

/**
 * The same product without workgroup memory, for software adapters: each invocation reads the
 * rows of A and columns of B of its RM × CN block straight from storage, one depth at a time.
 * SwiftShader reads workgroup memory lane by lane just as it reads storage, so staging tiles
 * there only adds copies, barriers and zero-initialisation. Out-of-range rows and columns read a
 * clamped element and are zeroed by a select (no branch), so every invocation runs the same code.
 * Each element of C is the same running sum as in `gemmWgsl` and the GEMV.
 */
export function gemmDirectWgsl(shape: GemmKernelShape): string {
  const { workgroupRows: wr, workgroupCols: wc, rowsPerInvocation: rm, colsPerInvocation: cn } = shape;
  if (cn % 4 !== 0) throw new Error(`gemmDirectWgsl: ${cn} columns per invocation is not made of vec4s`);
  const rows = Array.from({ length: rm }, (_, r) => r);
  const colGroups = Array.from({ length: cn / 4 }, (_, c) => c);
  const cols = Array.from({ length: cn }, (_, c) => c);
  const components = ['x', 'y', 'z', 'w'];
  return /* wgsl */ `
${gemmBindingsWgsl}

@compute @workgroup_size(${wc}, ${wr}, 1)
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_id) local: vec3<u32>) {
  let m = params.m;
  let n = params.n;
  let k = params.k;
  let row0 = (group.y * ${wr}u + local.y) * ${rm}u;
  let col0 = (group.x * ${wc}u + local.x) * ${cn}u;
  let baseA = params.offsetA + group.z * params.strideA;
  let baseB = params.offsetB + group.z * params.strideB;
  let baseC = params.offsetC + group.z * params.strideC;
  // Element (row, depth) of A at rowStart + depth·depthStrideA; (depth, col) of B likewise.
  let transposeA = params.transposeA != 0u;
  let transposeB = params.transposeB != 0u;
  let depthStrideA = select(1u, m, transposeA);
  let depthStrideB = select(n, 1u, transposeB);
  ${rows.map((r) => `let rowIn${r} = row0 + ${r}u < m; let rowStart${r} = baseA + select(min(row0 + ${r}u, m - 1u) * k, min(row0 + ${r}u, m - 1u), transposeA);`).join('\n  ')}
  ${cols.map((c) => `let colIn${c} = col0 + ${c}u < n; let colStart${c} = baseB + select(min(col0 + ${c}u, n - 1u), min(col0 + ${c}u, n - 1u) * k, transposeB);`).join('\n  ')}
  ${rows.map((r) => colGroups.map((g) => `var acc${r}_${g} = vec4<f32>(0.0);`).join(' ')).join('\n  ')}
  for (var depth = 0u; depth < k; depth++) {
    ${rows.map((r) => `let a${r} = select(0.0, a[rowStart${r} + depth * depthStrideA], rowIn${r});`).join('\n    ')}
    ${colGroups.map((g) => `let b${g} = vec4<f32>(${[0, 1, 2, 3].map((c) => `select(0.0, b[colStart${4 * g + c} + depth * depthStrideB], colIn${4 * g + c})`).join(', ')});`).join('\n    ')}
    // fma() crashes SwiftShader's compiler (futex abort in Dawn); the plain form is the GEMV's too.
    ${rows.map((r) => colGroups.map((g) => `acc${r}_${g} = acc${r}_${g} + a${r} * b${g};`).join(' ')).join('\n    ')}
  }
  ${rows.map((r) => colGroups.map((g) => `if (rowIn${r}) { ${[0, 1, 2, 3].map((c) => `if (colIn${4 * g + c}) { store(baseC + (row0 + ${r}u) * n + col0 + ${4 * g + c}u, acc${r}_${g}.${components[c]}); }`).join(' ')} }`).join('\n  ')).join('\n  ')}
}
`;
}

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

/**
 * Tiled, batched GEMM: C[b] = alpha · op(A[b]) · op(B[b]), row-major float32, any M, N, K.
 *
 * A workgroup of WORKGROUP_ROWS × WORKGROUP_COLS invocations owns a (4·WORKGROUP_ROWS) ×
 * (4·WORKGROUP_COLS) tile of C; each invocation keeps a 4×4 block of C in four named vec4
 * registers (register blocking), and the K dimension is walked TILE_K at a time through tiles of
 * A and B staged in workgroup memory as vec4 columns. Edges are zero-filled, so M, N, K need not be
 * multiples of the tile. Kept as a TS string so vite, vitest, tsx and esbuild all load it alike.
 */
export const gemmWgsl = /* wgsl */ `
override WORKGROUP_ROWS: u32 = 16u;
override WORKGROUP_COLS: u32 = 16u;
override TILE_K: u32 = 16u;

${gemmBindingsWgsl}

// aTile[k * WORKGROUP_ROWS + g] holds rows 4g..4g+3 of the tile at depth k; bTile likewise columns.
var<workgroup> aTile: array<vec4<f32>, TILE_K * WORKGROUP_ROWS>;
var<workgroup> bTile: array<vec4<f32>, TILE_K * WORKGROUP_COLS>;

fn loadA(base: u32, row: u32, depth: u32) -> f32 {
  if (row >= params.m || depth >= params.k) { return 0.0; }
  if (params.transposeA != 0u) { return a[base + depth * params.m + row]; }
  return a[base + row * params.k + depth];
}


@compute @workgroup_size(WORKGROUP_COLS, WORKGROUP_ROWS, 1)
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_id) local: vec3<u32>, @builtin(local_invocation_index) flat: u32) {
  let tileRow = group.y * WORKGROUP_ROWS * 4u;
  let tileCol = group.x * WORKGROUP_COLS * 4u;
  let baseA = params.offsetA + group.z * params.strideA;
  let baseB = params.offsetB + group.z * params.strideB;
  let baseC = params.offsetC + group.z * params.strideC;
  let threads = WORKGROUP_ROWS * WORKGROUP_COLS;

  var acc0 = vec4<f32>(0.0);
  var acc1 = vec4<f32>(0.0);
  var acc2 = vec4<f32>(0.0);
  var acc3 = vec4<f32>(0.0);

  for (var depth0 = 0u; depth0 < params.k; depth0 += TILE_K) {
    // Neighbouring invocations read neighbouring addresses of the stored (possibly transposed) layout.
    for (var index = flat; index < TILE_K * WORKGROUP_ROWS; index += threads) {
      var group4: u32;
      var kk: u32;
      if (params.transposeA != 0u) { kk = index / WORKGROUP_ROWS; group4 = index % WORKGROUP_ROWS; }
      else { group4 = index / TILE_K; kk = index % TILE_K; }
      let row = tileRow + group4 * 4u;
      let depth = depth0 + kk;
      aTile[kk * WORKGROUP_ROWS + group4] = vec4<f32>(loadA(baseA, row, depth), loadA(baseA, row + 1u, depth), loadA(baseA, row + 2u, depth), loadA(baseA, row + 3u, depth));
    }
    for (var index = flat; index < TILE_K * WORKGROUP_COLS; index += threads) {
      var group4: u32;
      var kk: u32;
      if (params.transposeB != 0u) { group4 = index / TILE_K; kk = index % TILE_K; }
      else { kk = index / WORKGROUP_COLS; group4 = index % WORKGROUP_COLS; }
      let col = tileCol + group4 * 4u;
      let depth = depth0 + kk;
      bTile[kk * WORKGROUP_COLS + group4] = vec4<f32>(loadB(baseB, depth, col), loadB(baseB, depth, col + 1u), loadB(baseB, depth, col + 2u), loadB(baseB, depth, col + 3u));
    }
    workgroupBarrier();
    // fma() here crashes SwiftShader's compiler (futex abort in Dawn); the plain form compiles to FMA anyway.
    for (var kk = 0u; kk < TILE_K; kk++) {
      let column = aTile[kk * WORKGROUP_ROWS + local.y];
      let row = bTile[kk * WORKGROUP_COLS + local.x];
      acc0 = acc0 + column.x * row;
      acc1 = acc1 + column.y * row;
      acc2 = acc2 + column.z * row;
      acc3 = acc3 + column.w * row;
    }
    workgroupBarrier();
  }

  let row0 = tileRow + local.y * 4u;
  let col0 = tileCol + local.x * 4u;
  storeRow(baseC, row0, col0, acc0);
  storeRow(baseC, row0 + 1u, col0, acc1);
  storeRow(baseC, row0 + 2u, col0, acc2);
  storeRow(baseC, row0 + 3u, col0, acc3);
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

/**
 * What the one-query-row-per-invocation flash kernels share (the forward `flashRows.wgsl.ts` and
 * the backward dQ pass in `flashBackward.wgsl.ts`): named vec4 registers generated per head size,
 * the row's scaled query in registers, and the walk over K/V tiles staged in workgroup memory
 * with the causal skip and the diagonal tile's mask. Written once so the two passes visit exactly
 * the same keys.
 */

/** Repeats `make(i)` for each vec4 of a head row (head size a multiple of 4), joined by `separator`. */
export type Vec4Lanes = (make: (index: number) => string, separator?: string) => string;

/** The lane repeater for `headDim`; `kernel` names the caller in the error for a bad head size. */
export function vec4Lanes(headDim: number, kernel: string): Vec4Lanes {
  if (headDim % 4 !== 0) throw new Error(`${kernel}: head size ${headDim} is not a multiple of 4`);
  return (make, separator = '\n  ') => Array.from({ length: headDim / 4 }, (_, index) => make(index)).join(separator);
}

/** Workgroup tiles of K and V, KEYS keys of VEC_PER_ROW vec4s each. */
export const keyValueTilesWgsl = /* wgsl */ `
var<workgroup> kTile: array<vec4<f32>, KEYS * VEC_PER_ROW>;
var<workgroup> vTile: array<vec4<f32>, KEYS * VEC_PER_ROW>;`;

/**
 * Start of `main`: this invocation's `row` (`inRange` when below n; `clamped` to the last row so
 * that out-of-range invocations still read valid memory and reach every barrier), the (batch,
 * head) `base`, and q0… = the query row times SCALE.
 */
export function queryRowStartWgsl(each: Vec4Lanes): string {
  return /* wgsl */ `let n = params.n;
  let firstRow = group.x * ROWS;
  let row = firstRow + lane;
  let inRange = row < n;
  let base = group.y * n * VEC_PER_ROW;
  let clamped = min(row, n - 1u);
  let queryRow = base + clamped * VEC_PER_ROW;
  ${each((i) => `let q${i} = q[queryRow + ${i}u] * SCALE;`)}`;
}

/**
 * The walk over the keys this row sees: K/V tiles staged by the whole workgroup, then `perKey`
 * run for each visible key with `t` (the key's offset in the tiles) and `score` (q·k, scaled) in
 * scope. Causal: tiles past the workgroup's last row are skipped; on the diagonal tile a row sees
 * keys up to itself only.
 */
export function queryRowKeyLoopWgsl(each: Vec4Lanes, perKey: string): string {
  return /* wgsl */ `var keyEnd = n;
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
    if (params.causal != 0u && key0 + keyCount - 1u > row) { keyCount = select(0u, row - key0 + 1u, row >= key0); }
    if (inRange) {
      for (var j = 0u; j < keyCount; j++) {
        let t = j * VEC_PER_ROW;
        let score = ${each((i) => `dot(q${i}, kTile[t + ${i}u])`, ' + ')};
        ${perKey}
      }
    }
  }`;
}

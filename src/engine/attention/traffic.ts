import type { AttentionShape } from './shape';

/**
 * Global-memory traffic each algorithm implies, in bytes (float32), counted per pass as written:
 * every pass reads its inputs and writes its outputs once (caches ignored). B = batch × heads.
 */

/** Keys a block of `rows` query rows starting at `firstRow` visits (causal: up to its last row). */
function keysVisited(shape: AttentionShape, rows: number): number {
  let total = 0;
  for (let firstRow = 0; firstRow < shape.n; firstRow += rows) total += shape.causal ? Math.min(shape.n, firstRow + rows) : shape.n;
  return total;
}

/**
 * Standard forward: QKᵀ reads Q, K and writes S (2Nd + N²); softmax reads S, writes P and L
 * (2N² + N); PV reads P, V and writes O (N² + 2Nd). Total B·(4Nd + 4N² + N)·4.
 */
export function standardForwardTraffic(shape: AttentionShape): number {
  const { batchHeads: b, n, d } = shape;
  return b * (4 * n * d + 4 * n * n + n) * 4;
}

/**
 * Flash forward: Q read and O, L written once (2Nd + N); each block of `rowsPerBlock` query rows
 * reads the K and V rows it visits (2d per key; causal blocks stop at their last row).
 * Total B·(2Nd + N + 2d·Σ_blocks keys)·4 — Θ(N²d/Br) reads of K, V, but no N² intermediate.
 */
export function flashForwardTraffic(shape: AttentionShape, rowsPerBlock: number): number {
  const { batchHeads: b, n, d } = shape;
  return b * (2 * n * d + n + 2 * d * keysVisited(shape, rowsPerBlock)) * 4;
}

/**
 * Standard backward (P stored): dV = PᵀdO reads P, dO, writes dV (N² + 2Nd); dP = dO Vᵀ reads dO, V,
 * writes dP (2Nd + N²); dS = P∘(dP − rowsum(P∘dP)) reads P, dP, writes dS (3N²); dQ = dS K and
 * dK = dSᵀQ read dS and K or Q, write dQ, dK (2N² + 4Nd). Total B·(8Nd + 7N²)·4.
 */
export function standardBackwardTraffic(shape: AttentionShape): number {
  const { batchHeads: b, n, d } = shape;
  return b * (8 * n * d + 7 * n * n) * 4;
}

/**
 * Flash backward (recomputation): D = rowsum(dO∘O) reads dO, O, writes D (2Nd + N); the dK/dV pass
 * reads K, V once, writes dK, dV (4Nd) and per block of `rowsPerBlock` keys reads the Q, dO rows
 * (2d) and L, D (2) of the queries it visits; the dQ pass reads Q, dO, L, D once, writes dQ
 * (3Nd + 2N) and per block of queries reads the K, V rows it visits (2d per key).
 */
export function flashBackwardTraffic(shape: AttentionShape, rowsPerBlock: number): number {
  const { batchHeads: b, n, d } = shape;
  const visits = keysVisited(shape, rowsPerBlock);
  return b * (2 * n * d + n + 4 * n * d + (2 * d + 2) * visits + 3 * n * d + 2 * n + 2 * d * visits) * 4;
}

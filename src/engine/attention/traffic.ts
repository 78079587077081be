import type { AttentionShape } from './shape';

/**
 * Global-memory traffic each algorithm implies, in bytes, counted per pass as written: every pass
 * reads its inputs and writes its outputs once (caches ignored). B = batch × heads. A model, not a
 * measurement. The standard kernels are float32 throughout; the flash kernels may store their
 * inputs (Q, K, V, dO) in `elementBytes` per element (2 for f16), while O, L, D and the gradients
 * stay float32.
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
 * Flash forward: Q read (Nd inputs) and O, L written once (Nd + N floats); each workgroup of
 * `rowsPerBlock` query rows reads the K and V rows it visits (2d inputs per key; causal blocks stop
 * at their last row). Total B·((Nd + 2d·Σ_blocks keys)·e + (Nd + N)·4) with e = `elementBytes`:
 * Θ(N²d/Br) reads of K, V, but no N² intermediate, so it moves less than the standard forward's
 * 4N² floats once Br·4 > 2d·e (d = 64, f32: Br > 32).
 */
export function flashForwardTraffic(shape: AttentionShape, rowsPerBlock: number, elementBytes = 4): number {
  const { batchHeads: b, n, d } = shape;
  return b * ((n * d + 2 * d * keysVisited(shape, rowsPerBlock)) * elementBytes + (n * d + n) * 4);
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
 * Flash backward (recomputation): D = rowsum(dO∘O) reads dO (input) and O (float32), writes D
 * (N); the dK/dV pass reads K, V once (2Nd inputs), writes dK, dV (2Nd floats) and per block of
 * `rowsPerBlock` keys reads the Q, dO rows (2d inputs) and L, D (2 floats) of the queries it
 * visits; the dQ pass reads Q, dO (2Nd inputs) and L, D (2N) once, writes dQ (Nd) and per block of
 * queries reads the K, V rows it visits (2d inputs per key). e = `elementBytes` for the inputs.
 */
export function flashBackwardTraffic(shape: AttentionShape, rowsPerBlock: number, elementBytes = 4): number {
  const { batchHeads: b, n, d } = shape;
  const visits = keysVisited(shape, rowsPerBlock);
  const inputs = n * d + 2 * n * d + 2 * d * visits + 2 * n * d + 2 * d * visits;
  const floats = n * d + n + 2 * n * d + 2 * visits + 2 * n + n * d;
  return b * (inputs * elementBytes + floats * 4);
}

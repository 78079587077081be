import type { AttentionShape } from './shape';

/** Bytes of one batchHeads × n × n float32 matrix (S or P of the standard attention). */
export function squareMatrixBytes(shape: AttentionShape): number {
  return shape.batchHeads * shape.n * shape.n * 4;
}

/** Bytes of one batchHeads × n × d float32 tensor (Q, K, V, O and their gradients). */
export function tensorBytes(shape: AttentionShape): number {
  return shape.batchHeads * shape.n * shape.d * 4;
}

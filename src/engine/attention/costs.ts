import type { AttentionShape } from './shape';
import type { StandardPass } from './StandardAttention';

/** Modelled work of a pass: floating-point operations and global-memory bytes (float32). */
export interface PassCost {
  flops: number;
  bytes: number;
}

/** Keys row `row` sees: all N, or up to itself when causal. */
function keysSeen(shape: AttentionShape): number {
  return shape.causal ? (shape.n * (shape.n + 1)) / 2 : shape.n * shape.n;
}

/**
 * The three passes of standard attention as a model counts them (B = batch × heads), the same
 * counting as traffic.ts: S = QKᵀ reads Q, K and writes S (2BN²d FLOPs); the softmax reads S and
 * writes P and L (about 5 FLOPs per score: max, subtract, exp, sum, scale); O = PV reads P, V and
 * writes O (2BN²d). The GEMMs compute the masked half too, so only the softmax's FLOPs shrink when causal.
 */
export function standardPassCosts(shape: AttentionShape): Record<StandardPass, PassCost> {
  const { batchHeads: b, n, d } = shape;
  const square = b * n * n;
  return {
    scores: { flops: 2 * square * d, bytes: 4 * (2 * b * n * d + square) },
    softmax: { flops: 5 * b * keysSeen(shape), bytes: 4 * (2 * square + b * n) },
    output: { flops: 2 * square * d, bytes: 4 * (square + 2 * b * n * d) },
  };
}

/** FLOPs of the flash forward: q·k and p·v per visible key (4d) plus about 5 for the online softmax. */
export function flashForwardFlops(shape: AttentionShape): number {
  return shape.batchHeads * keysSeen(shape) * (4 * shape.d + 5);
}

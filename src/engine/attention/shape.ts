/** Shape of one attention call: `batchHeads` independent (batch × heads) problems of n rows and head size d. */
export interface AttentionShape {
  batchHeads: number;
  n: number;
  d: number;
  causal: boolean;
}

/** Largest head size the kernels accept (register and workgroup-memory budgets are sized for it). */
export const MAX_HEAD_DIM = 128;

/** 1/√d, the score scale. */
export function attentionScale(d: number): number {
  return 1 / Math.sqrt(d);
}

/** Throws for shapes no kernel handles (an invariant: callers validate user input first). */
export function assertAttentionShape(shape: AttentionShape): void {
  const { batchHeads, n, d } = shape;
  if (!(Number.isInteger(batchHeads) && batchHeads >= 1 && Number.isInteger(n) && n >= 1 && Number.isInteger(d) && d >= 1 && d <= MAX_HEAD_DIM)) {
    throw new Error(`attention shape out of range: batchHeads=${batchHeads} n=${n} d=${d} (1 ≤ d ≤ ${MAX_HEAD_DIM})`);
  }
}

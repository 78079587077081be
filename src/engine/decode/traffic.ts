import { qkvWidth, type DecoderConfig } from '../transformer/DecoderConfig';

/** Float32 words of every parameter one forward reads: layer projections and norms, final norm, unembedding. */
function parameterWords(c: DecoderConfig): number {
  const perLayer = c.dModel * qkvWidth(c) + c.heads * c.headDim * c.dModel + c.dModel * 2 * c.hidden + c.hidden * c.dModel + 2 * c.dModel;
  return c.layers * perLayer + c.dModel + c.dModel * c.vocab;
}

/**
 * Global-memory bytes one cached decode step at `position` implies, counting each parameter and
 * cache entry read once and leaving out the per-layer activations (a few rows of dModel/hidden):
 * 4 · [parameters + dModel (embedding row) + 2·layers·kvHeads·headDim·(position + 1) (K and V read,
 * the new entry included) + 2·layers·kvHeads·headDim (the new entry appended) + vocab (logits)].
 */
export function cachedStepTrafficBytes(c: DecoderConfig, position: number): number {
  const kvRow = 2 * c.layers * c.kvHeads * c.headDim;
  return 4 * (parameterWords(c) + c.dModel + kvRow * (position + 1) + kvRow + c.vocab);
}

/**
 * Global-memory bytes of a full forward over `rows` tokens (decoding without a cache), on the same
 * terms: 4 · [parameters + rows·dModel (embeddings) + rows·2·layers·kvHeads·headDim (K and V
 * written) + layers·heads·2·headDim·rows·(rows + 1)/2 (each query head reads the K and V rows of
 * its causal prefix) + vocab].
 */
export function fullForwardTrafficBytes(c: DecoderConfig, rows: number): number {
  const kvRow = 2 * c.layers * c.kvHeads * c.headDim;
  return 4 * (parameterWords(c) + rows * c.dModel + rows * kvRow + (c.layers * c.heads * 2 * c.headDim * rows * (rows + 1)) / 2 + c.vocab);
}

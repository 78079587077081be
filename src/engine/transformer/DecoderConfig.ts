/** Shape of the small decoder-only transformer used by the decoding experiments. */
export interface DecoderConfig {
  /** Number of token ids; logits have this many entries. */
  vocab: number;
  /** Width of the residual stream. */
  dModel: number;
  layers: number;
  /** Query heads. */
  heads: number;
  /** Key/value heads: `heads` for multi-head, 1 for multi-query, a divisor between for grouped-query. */
  kvHeads: number;
  headDim: number;
  /** Width of the SwiGLU MLP's hidden layer. */
  hidden: number;
  /** Longest sequence (prompt + generated) the model's buffers and KV-cache hold. */
  maxPositions: number;
  /** Seed of the deterministic weights. */
  seed: number;
  /** Rotary base frequency (RoPE θ). */
  ropeBase: number;
}

/**
 * Defaults sized so that 256 cached decoding steps take seconds on the software GPU here (where a
 * step costs mostly its ~25 dispatches and the read-back), while decoding 256 tokens without the
 * cache stays within a couple of minutes: grouped-query attention, 4 query heads sharing 2
 * key/value heads.
 */
export const defaultDecoderConfig: DecoderConfig = {
  vocab: 256,
  dModel: 64,
  layers: 2,
  heads: 4,
  kvHeads: 2,
  headDim: 16,
  hidden: 128,
  maxPositions: 320,
  seed: 1,
  ropeBase: 10000,
};

/** The config with `overrides` applied, checked; throws on shapes the kernels cannot run. */
export function resolveDecoderConfig(overrides: Partial<DecoderConfig> = {}): DecoderConfig {
  const config = { ...defaultDecoderConfig, ...overrides };
  const positive = ['vocab', 'dModel', 'layers', 'heads', 'kvHeads', 'headDim', 'hidden', 'maxPositions'] as const;
  for (const key of positive) {
    if (!Number.isInteger(config[key]) || config[key] < 1) throw new Error(`DecoderConfig.${key} must be a positive integer, got ${config[key]}`);
  }
  if (config.heads % config.kvHeads !== 0) throw new Error(`DecoderConfig: heads (${config.heads}) must be a multiple of kvHeads (${config.kvHeads})`);
  if (config.headDim % 2 !== 0) throw new Error(`DecoderConfig: headDim (${config.headDim}) must be even for rotary embeddings`);
  if (config.headDim > 256) throw new Error(`DecoderConfig: headDim ${config.headDim} is over 256`);
  return config;
}

/** Width of one fused q|k|v projection row: heads·headDim + 2·kvHeads·headDim. */
export function qkvWidth(config: DecoderConfig): number {
  return (config.heads + 2 * config.kvHeads) * config.headDim;
}

/**
 * Bytes of a float32 KV-cache holding `positions` tokens: 2 (K and V) · layers · kvHeads ·
 * headDim · positions · 4.
 */
export function kvCacheBytes(config: Pick<DecoderConfig, 'layers' | 'kvHeads' | 'headDim'>, positions: number): number {
  return 2 * config.layers * config.kvHeads * config.headDim * positions * 4;
}

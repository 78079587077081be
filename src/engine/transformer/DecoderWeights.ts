import { SeededRandom } from '../reference/random';
import { qkvWidth, type DecoderConfig } from './DecoderConfig';

/** One layer's parameters, float32, row-major [in][out] so that y = x · W. */
export interface DecoderLayerWeights {
  /** RMSNorm gain before attention [dModel]. */
  attentionNorm: Float32Array;
  /** Fused q|k|v projection [dModel][qkvWidth]. */
  qkv: Float32Array;
  /** Attention output projection [heads·headDim][dModel]. */
  output: Float32Array;
  /** RMSNorm gain before the MLP [dModel]. */
  mlpNorm: Float32Array;
  /** Fused SwiGLU gate|up projection [dModel][2·hidden]. */
  gateUp: Float32Array;
  /** MLP down projection [hidden][dModel]. */
  down: Float32Array;
}

export interface DecoderWeights {
  /** Token embedding [vocab][dModel]. */
  embedding: Float32Array;
  layers: DecoderLayerWeights[];
  /** Final RMSNorm gain [dModel]. */
  finalNorm: Float32Array;
  /** Output (unembedding) projection [dModel][vocab], not tied to the embedding. */
  unembedding: Float32Array;
}

/**
 * Logit scale: with unit-RMS hidden states and N(0, 1/dModel) columns the logits would have unit
 * spread, which makes greedy decoding jump between near-ties; a gain of 3 gives a clear but not
 * one-hot next-token distribution.
 */
const LOGIT_GAIN = 3;

function normal(random: SeededRandom, count: number, scale: number, offset = 0): Float32Array {
  const values = new Float32Array(count);
  for (let index = 0; index < count; index++) values[index] = offset + scale * random.nextNormal();
  return values;
}

/**
 * Deterministic weights for `config` from `config.seed`: embeddings N(0, 1), projections
 * N(0, 1/fan_in) (output and down projections further divided by √(2·layers) so the residual
 * stream stays near unit scale), norm gains 1 + N(0, 0.1²).
 */
export function createDecoderWeights(config: DecoderConfig): DecoderWeights {
  const random = new SeededRandom(config.seed * 7919 + 17);
  const { dModel, vocab, hidden, heads, headDim, layers } = config;
  const residualScale = 1 / Math.sqrt(2 * layers);
  const layerWeights: DecoderLayerWeights[] = [];
  for (let layer = 0; layer < layers; layer++) {
    layerWeights.push({
      attentionNorm: normal(random, dModel, 0.1, 1),
      qkv: normal(random, dModel * qkvWidth(config), 1 / Math.sqrt(dModel)),
      output: normal(random, heads * headDim * dModel, residualScale / Math.sqrt(heads * headDim)),
      mlpNorm: normal(random, dModel, 0.1, 1),
      gateUp: normal(random, dModel * 2 * hidden, 1 / Math.sqrt(dModel)),
      down: normal(random, hidden * dModel, residualScale / Math.sqrt(hidden)),
    });
  }
  return {
    embedding: normal(random, vocab * dModel, 1),
    layers: layerWeights,
    finalNorm: normal(random, dModel, 0.1, 1),
    unembedding: normal(random, dModel * vocab, LOGIT_GAIN / Math.sqrt(dModel)),
  };
}

/**
 * Rotary tables [maxPositions][headDim/2], computed in float64 and rounded once to float32, so the
 * GPU and the float64 reference rotate by the same angles: θ_i = pos · base^(−2i/headDim),
 * pairs (i, i + headDim/2) (the GPT-NeoX half-rotation layout).
 */
export function rotaryTables(config: Pick<DecoderConfig, 'headDim' | 'maxPositions' | 'ropeBase'>): { cos: Float32Array; sin: Float32Array } {
  const half = config.headDim / 2;
  const cos = new Float32Array(config.maxPositions * half);
  const sin = new Float32Array(config.maxPositions * half);
  for (let position = 0; position < config.maxPositions; position++) {
    for (let index = 0; index < half; index++) {
      const angle = position * Math.pow(config.ropeBase, (-2 * index) / config.headDim);
      cos[position * half + index] = Math.cos(angle);
      sin[position * half + index] = Math.sin(angle);
    }
  }
  return { cos, sin };
}

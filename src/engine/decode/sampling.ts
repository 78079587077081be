import { SeededRandom } from '../reference/random';

/** How the next token is picked from logits. */
export interface SamplingOptions {
  /** 0 (the default) is greedy: the arg-max token. Above 0, logits are divided by it and sampled. */
  temperature?: number;
  /** Sample only among the k most likely tokens (0 or absent: all). */
  topK?: number;
  /** Seed of the sampling stream; the same seed and logits give the same tokens. */
  seed?: number;
}

/** Index of the largest value; the lowest index wins a tie so that the choice is deterministic. */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let index = 1; index < values.length; index++) if (values[index] > values[best]) best = index;
  return best;
}

/**
 * A function from logits to the next token: greedy, or softmax(logits / temperature) restricted
 * to the top k and drawn from a seeded stream (one uniform number per token, so two decoders
 * that see equal logits draw equal tokens).
 */
export function createSampler(options: SamplingOptions = {}): (logits: ArrayLike<number>) => number {
  const temperature = options.temperature ?? 0;
  if (temperature <= 0) return argmax;
  const random = new SeededRandom(options.seed ?? 0);
  return (logits) => {
    const order = Array.from({ length: logits.length }, (_, index) => index).sort((left, right) => logits[right] - logits[left] || left - right);
    const kept = options.topK && options.topK > 0 ? order.slice(0, options.topK) : order;
    const top = logits[kept[0]] / temperature;
    const weights = kept.map((index) => Math.exp(logits[index] / temperature - top));
    const total = weights.reduce((sum, weight) => sum + weight, 0);
    let threshold = random.nextUniform() * total;
    for (let rank = 0; rank < kept.length; rank++) {
      threshold -= weights[rank];
      if (threshold <= 0) return kept[rank];
    }
    return kept[kept.length - 1];
  };
}

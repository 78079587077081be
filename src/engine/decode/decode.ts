import type { DeviceInfo, EngineContext } from '../device-info';
import { SeededRandom } from '../reference/random';
import { kvCacheBytes, resolveDecoderConfig, type DecoderConfig } from '../transformer/DecoderConfig';
import { DecoderModel, type DecodeAttention } from '../transformer/DecoderModel';
import type { KvPoolOptions, KvPoolStats } from './kv-pool';
import { createSampler, type SamplingOptions } from './sampling';
import { cachedStepTrafficBytes, fullForwardTrafficBytes } from './traffic';

export interface DecodeOptions {
  /** Prompt token ids (at least one). */
  prompt: readonly number[];
  /** Tokens to generate. */
  tokens: number;
  sampling?: SamplingOptions;
  /** Which of the model's cache sequences to decode into (default 0). */
  sequence?: number;
  /** Called after each generated token with its index, id and milliseconds. */
  onToken?: (index: number, token: number, ms: number) => void;
  signal?: AbortSignal;
}

/** One decoding run: the generated tokens, the logits each was picked from, and timings. */
export interface DecodeRun {
  tokens: number[];
  /** [tokens][vocab]: row i holds the logits that token i was picked from. */
  logits: Float32Array;
  /**
   * Wall-clock milliseconds per generated token (submit → logits read back): entry 0 is the
   * prompt's forward, entry i the forward that produced token i.
   */
  msPerToken: number[];
  totalMs: number;
}

function checkPrompt(model: DecoderModel, options: DecodeOptions): void {
  const needed = options.prompt.length + options.tokens - 1;
  if (options.prompt.length < 1) throw new Error('decode: the prompt needs at least one token');
  if (needed > model.config.maxPositions) throw new Error(`decode: ${options.prompt.length} + ${options.tokens} tokens exceed maxPositions ${model.config.maxPositions}`);
}

async function run(model: DecoderModel, options: DecodeOptions, step: (sequence: number[], index: number) => Promise<Float32Array>): Promise<DecodeRun> {
  checkPrompt(model, options);
  const sample = createSampler(options.sampling);
  const vocab = model.config.vocab;
  const sequence = [...options.prompt];
  const result: DecodeRun = { tokens: [], logits: new Float32Array(options.tokens * vocab), msPerToken: [], totalMs: 0 };
  for (let index = 0; index < options.tokens; index++) {
    if (options.signal?.aborted) throw options.signal.reason ?? new Error('decode: aborted');
    const started = performance.now();
    const logits = await step(sequence, index);
    const token = sample(logits);
    const ms = performance.now() - started;
    result.logits.set(logits, index * vocab);
    result.tokens.push(token);
    result.msPerToken.push(ms);
    result.totalMs += ms;
    sequence.push(token);
    options.onToken?.(index, token, ms);
  }
  return result;
}

/**
 * Decodes with the KV-cache: one forward over the prompt fills the cache (prefill), then each new
 * token is a one-row forward at position `sequence.length − 1` whose keys and values are
 * appended to the cache and whose query attends over it.
 */
export function decodeWithCache(model: DecoderModel, options: DecodeOptions): Promise<DecodeRun> {
  const slot = options.sequence ?? 0;
  return run(model, options, (sequence, index) =>
    index === 0 ? model.forward(sequence, 0, slot) : model.forward([sequence[sequence.length - 1]], sequence.length - 1, slot),
  );
}

/** Decodes without a cache: every new token runs a full forward over the whole sequence so far. */
export function decodeWithoutCache(model: DecoderModel, options: DecodeOptions): Promise<DecodeRun> {
  return run(model, options, (sequence) => model.forward(sequence, 0, options.sequence ?? 0));
}

/** `length` prompt tokens drawn from `seed`, uniform over the vocabulary. */
export function seededPrompt(seed: number, length: number, vocab: number): number[] {
  const random = new SeededRandom(seed * 31 + 5);
  return Array.from({ length }, () => random.nextUint32() % vocab);
}

export interface DecodeBothWaysOptions {
  /** Tokens to generate (the decode length T). */
  tokens: number;
  /** Seed of the prompt and of sampling; the weights come from `config.seed`. */
  seed: number;
  /** Prompt length (default 8). */
  promptLength?: number;
  /** Model shape; maxPositions defaults to promptLength + tokens. */
  config?: Partial<DecoderConfig>;
  /** Attention of the cached path: 'naive' single-query or 'flash' flash-decoding (default 'naive'). */
  attention?: DecodeAttention;
  /** Layout of the KV-cache (default: paged, 16-token blocks). */
  cache?: KvPoolOptions;
  /** Greedy by default; temperature/topK sample from a stream seeded by `seed`. */
  sampling?: Omit<SamplingOptions, 'seed'>;
  /** Skip the untimed warm-up forwards (which compile pipelines). */
  skipWarmup?: boolean;
  onToken?: (way: 'cache' | 'noCache', index: number, token: number, ms: number) => void;
  signal?: AbortSignal;
}

export interface DecodeBothWaysResult {
  device: DeviceInfo;
  config: DecoderConfig;
  attention: DecodeAttention;
  prompt: number[];
  tokensCache: number[];
  tokensNoCache: number[];
  /** [tokens][vocab] little-endian float32 as read back. */
  logitsCache: Float32Array;
  logitsNoCache: Float32Array;
  msPerTokenCache: number[];
  msPerTokenNoCache: number[];
  /** Mean wall-clock ms per generated token (total / tokens), prefill included. */
  cacheMsPerToken: number;
  noCacheMsPerToken: number;
  /** noCacheMsPerToken / cacheMsPerToken. */
  speedup: number;
  /** KV-cache bytes for the sequence decoded: 2·layers·kvHeads·headDim·(prompt + tokens − 1)·4. */
  cacheBytes: number;
  /** The cache's device bytes and the bytes its tokens used, at the end of the cached decode. */
  cacheStats: KvPoolStats;
  /** Peak device bytes of the model (weights, activations, scratch, cache at capacity). */
  peakBytes: number;
  /**
   * Global-memory bytes the whole run implies each way (formulas in traffic.ts): the prefill plus
   * one cached step per token, against one full forward per token.
   */
  trafficBytesCache: number;
  trafficBytesNoCache: number;
  /** max |logitsCache − logitsNoCache| over every token and vocabulary entry. */
  maxLogitDifference: number;
  tokensMatch: boolean;
}

/**
 * Decodes `tokens` tokens from the same prompt and weights twice — with the KV-cache and without
 * it — and returns both token streams, both logit matrices, per-token timings and the bytes the
 * cache holds. This is what `prove decode --dump` writes and what the kv-cache experiments chart.
 */
export async function decodeBothWays(engine: EngineContext, options: DecodeBothWaysOptions): Promise<DecodeBothWaysResult> {
  const promptLength = options.promptLength ?? 8;
  const config = resolveDecoderConfig({ maxPositions: promptLength + options.tokens, ...options.config });
  const model = new DecoderModel(engine, config, { cache: options.cache });
  try {
    model.attention = options.attention ?? 'naive';
    const prompt = seededPrompt(options.seed, promptLength, config.vocab);
    if (!options.skipWarmup) {
      // The first dispatch of each pipeline pays for shader compilation: keep it out of the timings.
      await model.forward(prompt, 0);
      await model.forward([prompt[0]], promptLength);
    }
    const sampling = { ...options.sampling, seed: options.seed };
    const cached = await decodeWithCache(model, {
      prompt, tokens: options.tokens, sampling, signal: options.signal,
      onToken: (index, token, ms) => options.onToken?.('cache', index, token, ms),
    });
    const cacheStats = model.cacheStats();
    const uncached = await decodeWithoutCache(model, {
      prompt, tokens: options.tokens, sampling, signal: options.signal,
      onToken: (index, token, ms) => options.onToken?.('noCache', index, token, ms),
    });
    let maxLogitDifference = 0;
    for (let index = 0; index < cached.logits.length; index++) {
      maxLogitDifference = Math.max(maxLogitDifference, Math.abs(cached.logits[index] - uncached.logits[index]));
    }
    let trafficBytesCache = fullForwardTrafficBytes(config, promptLength);
    let trafficBytesNoCache = 0;
    for (let index = 0; index < options.tokens; index++) {
      if (index > 0) trafficBytesCache += cachedStepTrafficBytes(config, promptLength + index - 1);
      trafficBytesNoCache += fullForwardTrafficBytes(config, promptLength + index);
    }
    const cacheMsPerToken = cached.totalMs / options.tokens;
    const noCacheMsPerToken = uncached.totalMs / options.tokens;
    return {
      device: engine.info,
      config,
      attention: model.attention,
      prompt,
      tokensCache: cached.tokens,
      tokensNoCache: uncached.tokens,
      logitsCache: cached.logits,
      logitsNoCache: uncached.logits,
      msPerTokenCache: cached.msPerToken,
      msPerTokenNoCache: uncached.msPerToken,
      cacheMsPerToken,
      noCacheMsPerToken,
      speedup: noCacheMsPerToken / cacheMsPerToken,
      cacheBytes: kvCacheBytes(config, promptLength + options.tokens - 1),
      cacheStats,
      peakBytes: model.meter.peakBytes,
      trafficBytesCache,
      trafficBytesNoCache,
      maxLogitDifference,
      tokensMatch: cached.tokens.length === uncached.tokens.length && cached.tokens.every((token, index) => token === uncached.tokens[index]),
    };
  } finally {
    model.dispose();
  }
}

import { describe, expect, it } from 'vitest';
import { decodeBothWays, decodeWithCache, seededPrompt } from '../../src/engine/decode/decode';
import { createSampler } from '../../src/engine/decode/sampling';
import { cachedStepTrafficBytes, fullForwardTrafficBytes } from '../../src/engine/decode/traffic';
import { referenceDecoderForward } from '../../src/engine/reference/decoder';
import { resolveDecoderConfig, type DecoderConfig } from '../../src/engine/transformer/DecoderConfig';
import { DecoderModel } from '../../src/engine/transformer/DecoderModel';
import { createDecoderWeights } from '../../src/engine/transformer/DecoderWeights';
import { freshSeed, useDawnEngine } from './engine-fixture';

const engine = useDawnEngine();
const seed = freshSeed();
console.log(`decode.test seed ${seed}`);

/** Largest |GPU − float64| over the logits of every generated token, from a float64 forward over the same tokens. */
function referenceError(config: DecoderConfig, prompt: number[], tokens: number[], logits: Float32Array): number {
  const sequence = [...prompt, ...tokens.slice(0, -1)];
  const reference = referenceDecoderForward(config, createDecoderWeights(config), sequence);
  let worst = 0;
  for (let index = 0; index < tokens.length; index++) {
    const row = (prompt.length - 1 + index) * config.vocab;
    for (let entry = 0; entry < config.vocab; entry++) worst = Math.max(worst, Math.abs(reference[row + entry] - logits[index * config.vocab + entry]));
  }
  return worst;
}

// Sizes on purpose not multiples of the GEMM tiles (64), of the flash-decoding chunk (64) or of 4.
const shapes: { name: string; config: Partial<DecoderConfig> }[] = [
  { name: 'grouped-query (4 heads, 2 kv heads)', config: { vocab: 67, dModel: 40, layers: 2, heads: 4, kvHeads: 2, headDim: 10, hidden: 72 } },
  { name: 'multi-head (3 heads, 3 kv heads)', config: { vocab: 53, dModel: 18, layers: 1, heads: 3, kvHeads: 3, headDim: 6, hidden: 30 } },
  { name: 'multi-query (5 heads, 1 kv head)', config: { vocab: 71, dModel: 36, layers: 2, heads: 5, kvHeads: 1, headDim: 14, hidden: 50 } },
];

describe('KV-cache decoding on Dawn', () => {
  for (const [index, shape] of shapes.entries()) {
    it(`${shape.name}: cached and uncached decoding give the same tokens and logits, both match float64`, async () => {
      const config = { ...shape.config, seed: seed + index };
      const result = await decodeBothWays(engine(), { tokens: 14, seed: seed + 100 + index, promptLength: 5, config, attention: index === 2 ? 'flash' : 'naive', skipWarmup: true });
      expect(result.tokensCache).toHaveLength(14);
      expect(result.tokensNoCache).toEqual(result.tokensCache);
      expect(result.maxLogitDifference).toBeLessThanOrEqual(1e-4);
      expect(referenceError(result.config, result.prompt, result.tokensCache, result.logitsCache)).toBeLessThan(1e-4);
      expect(referenceError(result.config, result.prompt, result.tokensNoCache, result.logitsNoCache)).toBeLessThan(1e-4);
      // The bytes a user is shown follow 2 · layers · kvHeads · headDim · positions · 4.
      const c = result.config;
      expect(result.cacheBytes).toBe(2 * c.layers * c.kvHeads * c.headDim * (5 + 14 - 1) * 4);
      expect(result.trafficBytesNoCache).toBeGreaterThan(result.trafficBytesCache);
    });
  }

  it('flash-decoding over several chunks matches single-query attention and float64', async () => {
    // 150 positions: three 64-key chunks, the last one partial.
    const config = resolveDecoderConfig({ vocab: 61, dModel: 24, layers: 1, heads: 6, kvHeads: 2, headDim: 8, hidden: 20, maxPositions: 150, seed: seed + 7 });
    const model = new DecoderModel(engine(), config);
    try {
      const prompt = seededPrompt(seed, 70, config.vocab);
      model.attention = 'naive';
      const naive = await decodeWithCache(model, { prompt, tokens: 80 });
      model.attention = 'flash';
      const flash = await decodeWithCache(model, { prompt, tokens: 80 });
      expect(flash.tokens).toEqual(naive.tokens);
      let worst = 0;
      for (let entry = 0; entry < naive.logits.length; entry++) worst = Math.max(worst, Math.abs(naive.logits[entry] - flash.logits[entry]));
      expect(worst).toBeLessThan(1e-5);
      expect(referenceError(config, prompt, flash.tokens, flash.logits)).toBeLessThan(1e-4);
    } finally {
      model.dispose();
    }
  });

  it('seeded sampling draws the same tokens with and without the cache, and other seeds draw others', async () => {
    const config = { vocab: 97, dModel: 20, layers: 1, heads: 2, kvHeads: 1, headDim: 10, hidden: 28, seed: seed + 11 };
    const sampling = { temperature: 1.5, topK: 40 };
    const first = await decodeBothWays(engine(), { tokens: 12, seed: 5, config, sampling, skipWarmup: true });
    expect(first.tokensNoCache).toEqual(first.tokensCache);
    const second = await decodeBothWays(engine(), { tokens: 12, seed: 6, config, sampling, skipWarmup: true });
    expect(second.tokensCache).not.toEqual(first.tokensCache);
    // Greedy decoding is not stuck on one token.
    expect(new Set(first.tokensCache).size).toBeGreaterThan(3);
  });

  it('a cached step reads the cache once (linear in position); a full forward reads every prefix (quadratic)', () => {
    const config = resolveDecoderConfig({});
    const kvRowBytes = 2 * config.layers * config.kvHeads * config.headDim * 4;
    expect(cachedStepTrafficBytes(config, 201) - cachedStepTrafficBytes(config, 200)).toBe(kvRowBytes);
    const growth = (rows: number) => fullForwardTrafficBytes(config, rows + 1) - fullForwardTrafficBytes(config, rows);
    expect(growth(200)).toBeGreaterThan(growth(100) * 1.5);
    expect(fullForwardTrafficBytes(config, 256)).toBeGreaterThan(cachedStepTrafficBytes(config, 255));
  });
});

describe('sampling', () => {
  it('greedy picks the arg-max; top-k never leaves the k largest', () => {
    const logits = [0.1, 2.5, -1, 2.4, 0];
    expect(createSampler()(logits)).toBe(1);
    const sample = createSampler({ temperature: 5, topK: 2, seed: 3 });
    const drawn = new Set(Array.from({ length: 200 }, () => sample(logits)));
    expect([...drawn].sort()).toEqual([1, 3]);
  });
});

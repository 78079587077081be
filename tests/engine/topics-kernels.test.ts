import { describe, expect, it } from 'vitest';
import { decodeWithCache, seededPrompt } from '../../src/engine/decode/decode';
import { fillKvCache } from '../../src/engine/decode/kv-memory';
import { decodeSpeculative } from '../../src/engine/decode/speculative';
import { codeWords, metaWords, quantizedDecodeAttention, quantizeKv, readQuantizedKv, type KvQuantBits, type KvQuantScaling, type KvQuantShape } from '../../src/engine/quant/kv-quant';
import { referenceDecoderForward } from '../../src/engine/reference/decoder';
import { dequantizeKv, referenceCode, referenceDecodeAttention, referenceRanges, unpackMeta } from '../../src/engine/reference/kv-quant';
import { normalFloat32, SeededRandom } from '../../src/engine/reference/random';
import { referenceRotaryScores } from '../../src/engine/reference/rotary';
import { referenceSoftmax } from '../../src/engine/reference/softmax';
import { timeProjection } from '../../src/engine/roofline/projection';
import { runSoftmaxForm } from '../../src/engine/softmax/softmax-forms';
import { resolveDecoderConfig } from '../../src/engine/transformer/DecoderConfig';
import { DecoderModel } from '../../src/engine/transformer/DecoderModel';
import { createDecoderWeights, rotaryTables } from '../../src/engine/transformer/DecoderWeights';
import { rotaryScores } from '../../src/engine/transformer/rotary-scores';
import { freshSeed, useDawnEngine } from './engine-fixture';

// The kernels behind the LLM-serving experiments, on Dawn + SwiftShader, each against a float64
// reference at sizes that are not multiples of their workgroups or tiles.

const engine = useDawnEngine();
const seed = freshSeed();
console.log(`topics-kernels.test seed ${seed}`);

function relative(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let difference = 0;
  let norm = 0;
  for (let index = 0; index < expected.length; index++) {
    difference += (actual[index] - expected[index]) ** 2;
    norm += expected[index] ** 2;
  }
  return Math.sqrt(difference / norm);
}

describe('softmax forms', () => {
  it('safe and online agree with float64 at every length; naive too on ordinary logits; each counts its own loads', async () => {
    for (const length of [1, 63, 65, 1000]) {
      const rows = 3;
      const logits = normalFloat32(new SeededRandom(seed + length), rows * length).map((x) => 4 * x);
      const reference = referenceSoftmax(logits, rows, length);
      for (const form of ['naive', 'safe', 'online'] as const) {
        const result = await runSoftmaxForm(engine(), form, logits, { rows, length });
        expect(relative(result.probabilities, reference)).toBeLessThanOrEqual(1e-5);
        expect(result.loadsPerRow).toEqual(new Array(rows).fill(form === 'safe' ? 2 * length : length));
      }
    }
  });

  it('on logits past float32’s exp range the naive form gives inf/NaN and the safe and online forms stay exact', async () => {
    const length = 130;
    const random = new SeededRandom(seed);
    const logits = Float32Array.from({ length: 2 * length }, (_, index) => (index < length ? 300 : -300) + random.nextNormal());
    const reference = referenceSoftmax(logits, 2, length);
    const naive = await runSoftmaxForm(engine(), 'naive', logits, { rows: 2, length });
    expect(naive.probabilities.every((v) => !Number.isFinite(v))).toBe(true);
    for (const form of ['safe', 'online'] as const) {
      const result = await runSoftmaxForm(engine(), form, logits, { rows: 2, length });
      expect(relative(result.probabilities, reference)).toBeLessThanOrEqual(1e-5);
    }
  });
});

describe('rotary scores', () => {
  it('the decoder’s rotary kernel and the pair-score kernel give float64’s scores, rotated or not', async () => {
    const heads = 3;
    const headDim = 10;
    const rows = 37;
    const start = 1234;
    const qkv = normalFloat32(new SeededRandom(seed), rows * 3 * heads * headDim);
    const tables = rotaryTables({ headDim, maxPositions: start + rows, ropeBase: 10000 });
    const rotated = await rotaryScores(engine(), { heads, headDim, qkv, rows, start, ...tables });
    const expected = referenceRotaryScores(qkv, rows, heads, headDim, start);
    expect(relative(rotated.scores, expected)).toBeLessThanOrEqual(1e-5);
    const identity = { cos: new Float32Array(tables.cos.length).fill(1), sin: new Float32Array(tables.sin.length) };
    const plain = await rotaryScores(engine(), { heads, headDim, qkv, rows, start, ...identity });
    expect(relative(plain.scores, referenceRotaryScores(qkv, rows, heads, headDim, start, false))).toBeLessThanOrEqual(1e-6);
    await expect(rotaryScores(engine(), { heads, headDim, qkv, rows, start: start + 1, ...tables })).rejects.toThrow(/tables do not reach/);
  });
});

describe('quantised KV-cache', () => {
  const shape: KvQuantShape = { heads: 3, tokens: 201, headDim: 36, groupTokens: 64 };
  const count = shape.heads * shape.tokens * shape.headDim;

  it.each([
    [8, 'channel-token'],
    [4, 'channel-token'],
    [8, 'tensor'],
    [4, 'tensor'],
    [32, 'channel-token'],
  ] as [KvQuantBits, KvQuantScaling][])('%i-bit, %s: ranges, codes, bytes and the attention reading them match float64', async (bits, scaling) => {
    const random = new SeededRandom(seed + bits);
    const keys = Float32Array.from({ length: count }, (_, index) => random.nextNormal() * (index % shape.headDim === 7 ? 6 : 1));
    const values = normalFloat32(random, count);
    const query = normalFloat32(random, shape.heads * shape.headDim);
    const kv = await quantizeKv(engine(), keys, values, shape, { bits, scaling });
    try {
      const meta = metaWords(bits, shape);
      expect(kv.allocatedBytes).toBe((2 * shape.heads * shape.tokens * codeWords(bits, shape.headDim) + meta.keys + meta.values) * 4);
      const read = await readQuantizedKv(engine(), kv);
      const cache = dequantizeKv(read, shape, bits);
      if (bits === 32) {
        expect(Array.from(cache.keys)).toEqual(Array.from(keys));
        expect(Array.from(cache.values)).toEqual(Array.from(values));
      } else {
        // Every (scale, zero) is the group's exact range, rounded to float16.
        const exact = referenceRanges(keys, values, shape, bits, scaling);
        for (const [words, ranges] of [[read.keyMeta, exact.keys], [read.valueMeta, exact.values]] as const) {
          for (let slot = 0; slot < words.length; slot++) {
            const [scale, zero] = unpackMeta(words[slot]);
            expect(Math.abs(scale - ranges[2 * slot])).toBeLessThanOrEqual(ranges[2 * slot] * 2 ** -10 + 2 ** -24);
            expect(Math.abs(zero - ranges[2 * slot + 1])).toBeLessThanOrEqual(Math.abs(ranges[2 * slot + 1]) * 2 ** -10 + 2 ** -24);
          }
        }
        // Codes are what float64 gives under the device's own (scale, zero), but for exact ties of rounding.
        const perWord = 32 / bits;
        const groups = Math.ceil(shape.tokens / shape.groupTokens);
        let differing = 0;
        for (let head = 0; head < shape.heads; head++) {
          for (let token = 0; token < shape.tokens; token++) {
            for (let channel = 0; channel < shape.headDim; channel++) {
              const row = head * shape.tokens + token;
              const [scale, zero] = unpackMeta(read.keyMeta[(head * groups + Math.floor(token / shape.groupTokens)) * shape.headDim + channel]);
              const want = referenceCode(keys[row * shape.headDim + channel], scale, zero, bits);
              const got = (read.keyCodes[row * codeWords(bits, shape.headDim) + Math.floor(channel / perWord)] >>> ((channel % perWord) * bits)) & (2 ** bits - 1);
              if (want !== got) {
                differing++;
                expect(Math.abs(want - got)).toBe(1);
              }
            }
          }
        }
        expect(differing).toBeLessThanOrEqual(count * 1e-3);
      }
      // The attention kernel reads the cache it was given: float64 attention over the dequantised cache.
      const { out } = await quantizedDecodeAttention(engine(), kv, query);
      expect(relative(out, referenceDecodeAttention(query, cache.keys, cache.values, shape.heads, shape.tokens, shape.headDim))).toBeLessThanOrEqual(1e-5);
    } finally {
      kv.dispose();
    }
  });
});

describe('decoder additions', () => {
  const config = resolveDecoderConfig({ vocab: 59, dModel: 30, layers: 2, heads: 6, kvHeads: 2, headDim: 10, hidden: 44, maxPositions: 60, seed });

  it('forwardRows gives every row the logits of a one-token step at its position, and float64’s', async () => {
    const model = new DecoderModel(engine(), config);
    try {
      const tokens = seededPrompt(seed, 23, config.vocab);
      await model.forward(tokens.slice(0, 17), 0);
      const rows = await model.forwardRows(tokens.slice(17), 17);
      const reference = referenceDecoderForward(config, createDecoderWeights(config), tokens);
      for (let row = 0; row < 6; row++) {
        const step = await model.forward([tokens[17 + row]], 17 + row);
        expect(Array.from(rows.subarray(row * config.vocab, (row + 1) * config.vocab))).toEqual(Array.from(step));
        const expected = reference.subarray((17 + row) * config.vocab, (18 + row) * config.vocab);
        expect(Math.max(...Array.from(step, (v, i) => Math.abs(v - expected[i])))).toBeLessThanOrEqual(1e-4);
      }
    } finally {
      model.dispose();
    }
  });

  it('speculative decoding gives the target’s greedy tokens with any draft; the target drafting for itself accepts everything', async () => {
    const target = new DecoderModel(engine(), config, { cache: { maxSequences: 2 } });
    const unrelated = new DecoderModel(engine(), { ...config, layers: 1, seed: seed + 1 });
    try {
      const prompt = seededPrompt(seed, 5, config.vocab);
      const alone = await decodeWithCache(target, { prompt, tokens: 29 });
      const self = await decodeSpeculative(target, target, { prompt, tokens: 29, draftLength: 3, draftSequence: 1 });
      expect(self.tokens).toEqual(alone.tokens);
      expect(self.iterations.every((i) => i.accepted === i.proposed)).toBe(true);
      // 28 tokens after the first, 4 per run: 7 runs, the last proposing what is left.
      expect(self.iterations.length).toBe(7);
      const other = await decodeSpeculative(target, unrelated, { prompt, tokens: 29, draftLength: 4 });
      expect(other.tokens).toEqual(alone.tokens);
      expect(other.iterations.reduce((sum, i) => sum + i.emitted, 0)).toBe(28);
    } finally {
      target.dispose();
      unrelated.dispose();
    }
  });

  it('reserveCache holds positions without a prefill; a step after it reads them', async () => {
    const model = new DecoderModel(engine(), config);
    try {
      await model.reserveCache(0, 40);
      expect(model.cacheStats().lengths[0]).toBe(40);
      const logits = await model.forward([3], 40);
      expect(logits.every(Number.isFinite)).toBe(true);
      expect(model.cacheStats().lengths[0]).toBe(41);
    } finally {
      model.dispose();
    }
  });
});

describe('measuring helpers', () => {
  it('timeProjection runs the GEMV for one row and the tiled GEMM for more, and counts the buffers the device accepted', async () => {
    for (const rows of [1, 7]) {
      const timing = await timeProjection(engine(), { rows, inFeatures: 70, outFeatures: 45 });
      expect(timing.kernel).toBe(rows === 1 ? 'gemv' : 'tiled');
      expect(timing.bufferBytes).toBe((rows * 70 + 70 * 45 + rows * 45) * 4);
      expect(timing.weightBytes).toBe(70 * 45 * 4);
      expect(timing.samplesMs.length).toBeGreaterThanOrEqual(5);
    }
  });

  it('fillKvCache reports each sequence’s tokens and the blocks its table holds', async () => {
    const shape = { layers: 1, kvHeads: 1, headDim: 8 };
    const lengths = [5, 40, 17];
    for (const layout of ['paged', 'contiguous'] as const) {
      const fill = await fillKvCache(engine(), { shape, layout, maxPositions: 48, lengths, checkpoints: [62], budgetBytes: 2 ** 30, blockTokens: 16 });
      const point = fill.points[0];
      expect(point.sequenceTokens).toEqual(lengths);
      expect(point.sequenceBlocks).toEqual(layout === 'paged' ? [1, 3, 2] : [3, 3, 3]);
      expect(fill.blockTokens).toBe(16);
    }
  });
});

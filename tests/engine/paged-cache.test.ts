import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/shared/errors';
import { decodeWithCache, seededPrompt, type DecodeRun } from '../../src/engine/decode/decode';
import { fillKvCache } from '../../src/engine/decode/kv-memory';
import { KvCachePool, kvTokenBytes, slabPlan, type KvPoolOptions } from '../../src/engine/decode/kv-pool';
import { createSampler } from '../../src/engine/decode/sampling';
import { DeviceMemoryTracker, MemoryMeter } from '../../src/engine/memory';
import { referenceDecoderForward } from '../../src/engine/reference/decoder';
import { resolveDecoderConfig, type DecoderConfig } from '../../src/engine/transformer/DecoderConfig';
import { DecoderModel } from '../../src/engine/transformer/DecoderModel';
import { createDecoderWeights } from '../../src/engine/transformer/DecoderWeights';
import { createDawnEngine } from '../../electron/hosts/dawn';
import { freshSeed, useDawnEngine } from './engine-fixture';

const engine = useDawnEngine();
const seed = freshSeed();
console.log(`paged-cache.test seed ${seed}`);

/** Grouped-query shape with sizes that are not multiples of the block, the tile or 4. */
function shape(overrides: Partial<DecoderConfig> = {}): DecoderConfig {
  return resolveDecoderConfig({ vocab: 59, dModel: 30, layers: 2, heads: 6, kvHeads: 2, headDim: 10, hidden: 44, maxPositions: 150, seed, ...overrides });
}

async function withModel<T>(config: DecoderConfig, cache: KvPoolOptions, work: (model: DecoderModel) => Promise<T>): Promise<T> {
  const model = new DecoderModel(engine(), config, { cache });
  try {
    return await work(model);
  } finally {
    model.dispose();
  }
}

function maxDifference(a: Float32Array, b: Float32Array): number {
  let worst = 0;
  for (let index = 0; index < a.length; index++) worst = Math.max(worst, Math.abs(a[index] - b[index]));
  return worst;
}

/** Largest |GPU − float64| over the logits of every generated token. */
function referenceError(config: DecoderConfig, prompt: number[], run: DecodeRun): number {
  const reference = referenceDecoderForward(config, createDecoderWeights(config), [...prompt, ...run.tokens.slice(0, -1)]);
  let worst = 0;
  for (let index = 0; index < run.tokens.length; index++) {
    const row = (prompt.length - 1 + index) * config.vocab;
    for (let entry = 0; entry < config.vocab; entry++) worst = Math.max(worst, Math.abs(reference[row + entry] - run.logits[index * config.vocab + entry]));
  }
  return worst;
}

describe('paged KV-cache on Dawn', () => {
  it('allocates device memory only as tokens arrive: a block per 16 tokens, slabs doubling, never more than a contiguous cache', async () => {
    const config = shape({ maxPositions: 200 });
    const tracker = DeviceMemoryTracker.install(engine().device);
    /** Bytes of the cache's slabs as the device accepted them (every createBuffer is recorded). */
    const slabBytesOnDevice = async () => (await tracker.report()).allocations.filter((a) => a.label.startsWith('KvCache.slab') && !a.refused).map((a) => a.size);
    try {
      await withModel(config, {}, async (model) => {
        const cache = model.cache;
        // 13 blocks of 16 tokens in doubling slabs: 1, 2, 4 and the last 6.
        expect(cache.plan).toEqual(slabPlan('paged', 13, cache.slabBindings, cache.blockBytes, engine().info.limits.maxStorageBufferBindingSize));
        expect(cache.plan).toEqual([1, 2, 4, 6]);
        const tokenBytes = kvTokenBytes(config);
        expect(cache.blockBytes).toBe(16 * tokenBytes);
        const beforeBytes = model.meter.allocatedBytes;
        expect(model.cacheStats().allocatedBytes).toBe(0);

        const prompt = seededPrompt(seed, 5, config.vocab);
        const sample = createSampler();
        const seen: number[] = [];
        let logits = await model.forward(prompt, 0);
        for (let length = prompt.length; ; length++) {
          const stats = model.cacheStats();
          expect(stats.lengths[0]).toBe(length);
          expect(stats.usedBytes).toBe(length * tokenBytes);
          expect(stats.blocksInUse).toBe(Math.ceil(length / 16));
          // The slabs held are the fewest of the plan that cover the blocks in use.
          let slabs = 0;
          for (let held = 0; held < stats.blocksInUse; ) held += cache.plan[slabs++];
          expect(stats.slabBytes).toEqual(cache.plan.slice(0, slabs).map((blocks) => blocks * cache.blockBytes));
          // The device saw the same buffers being created, and the meter the same bytes.
          expect(await slabBytesOnDevice()).toEqual(stats.slabBytes);
          expect(model.meter.allocatedBytes - beforeBytes).toBe(stats.allocatedBytes);
          expect(stats.allocatedBytes).toBeGreaterThanOrEqual(stats.usedBytes);
          expect(stats.allocatedBytes).toBeLessThanOrEqual(Math.max(2 * stats.blocksInUse, cache.plan[0]) * cache.blockBytes);
          if (seen[seen.length - 1] !== stats.allocatedBytes) seen.push(stats.allocatedBytes);
          if (length === 200) break;
          logits = await model.forward([sample(logits)], length);
        }
        expect(seen).toHaveLength(cache.plan.length);
        expect(seen[seen.length - 1]).toBe(13 * cache.blockBytes);
      });
      expect((await tracker.report()).refusals).toEqual([]);
    } finally {
      tracker.stop();
    }
  });

  it('sequences of different lengths share the pool: interleaved, each gets exactly the logits it gets alone; released blocks are reused', async () => {
    const config = shape();
    const lengths = [37, 90, 12];
    const prompts = lengths.map((_, index) => seededPrompt(seed + index, 4 + index, config.vocab));
    const alone = await withModel(config, {}, async (model) => {
      const runs: DecodeRun[] = [];
      for (const [index, prompt] of prompts.entries()) runs.push(await decodeWithCache(model, { prompt, tokens: lengths[index] }));
      return runs;
    });
    await withModel(config, { maxSequences: 3 }, async (model) => {
      const sample = createSampler();
      const sequences = prompts.map((prompt) => [...prompt]);
      const tokens: number[][] = [[], [], []];
      const logits = lengths.map((tokenCount) => new Float32Array(tokenCount * config.vocab));
      for (let step = 0; step < Math.max(...lengths); step++) {
        for (const [index, sequence] of sequences.entries()) {
          if (step >= lengths[index]) continue;
          const row = step === 0 ? await model.forward(sequence, 0, index) : await model.forward([sequence[sequence.length - 1]], sequence.length - 1, index);
          logits[index].set(row, step * config.vocab);
          tokens[index].push(sample(row));
          sequence.push(tokens[index][step]);
        }
      }
      for (const index of lengths.keys()) {
        expect(tokens[index]).toEqual(alone[index].tokens);
        expect(maxDifference(logits[index], alone[index].logits)).toBe(0);
      }
      const entries = [0, 1, 2].flatMap((index) => model.cache.blockTable(index));
      expect(new Set(entries).size).toBe(entries.length);
      const stats = model.cacheStats();
      expect(stats.blocksInUse).toBe(lengths.reduce((sum, length, index) => sum + Math.ceil((prompts[index].length + length - 1) / 16), 0));
      const slabsBefore = stats.slabBytes.length;

      // The longest sequence finishes; a new request in its slot reuses its blocks without a new device buffer.
      model.releaseSequence(1);
      expect(model.cacheStats().blocksInUse).toBe(stats.blocksInUse - Math.ceil((prompts[1].length + lengths[1] - 1) / 16));
      expect(model.cache.blockTable(1)).toEqual([]);
      const fresh = seededPrompt(seed + 9, 6, config.vocab);
      const again = await decodeWithCache(model, { prompt: fresh, tokens: 80, sequence: 1 });
      expect(again.tokens).toHaveLength(80);
      expect(model.cacheStats().slabBytes).toHaveLength(slabsBefore);
      // The other sequences' blocks were left alone: sequence 0 continues exactly as it would alone.
      const next = await model.forward([alone[0].tokens[lengths[0] - 1]], prompts[0].length + lengths[0] - 1, 0);
      const aloneNext = await withModel(config, {}, async (single) => {
        await decodeWithCache(single, { prompt: prompts[0], tokens: lengths[0] });
        return single.forward([alone[0].tokens[lengths[0] - 1]], prompts[0].length + lengths[0] - 1);
      });
      expect(maxDifference(next, aloneNext)).toBe(0);
    });
  });

  it('block sizes 1, 4, 16 and 64 and the contiguous layout give bit-identical logits; contiguous reserves everything up front', async () => {
    const config = shape({ maxPositions: 120 });
    const prompt = seededPrompt(seed + 3, 9, config.vocab);
    const decode = (cache: KvPoolOptions) =>
      withModel(config, cache, async (model) => {
        const run = await decodeWithCache(model, { prompt, tokens: 100 });
        return { run, stats: model.cacheStats(), plan: model.cache.plan };
      });
    const base = await decode({ blockTokens: 16 });
    expect(referenceError(config, prompt, base.run)).toBeLessThan(1e-4);
    for (const blockTokens of [1, 4, 64]) {
      const other = await decode({ blockTokens });
      expect(other.run.tokens).toEqual(base.run.tokens);
      expect(maxDifference(other.run.logits, base.run.logits)).toBe(0);
    }
    // One-token blocks: 120 blocks over doubling slabs, so reads cross every slab.
    const plan = (await decode({ blockTokens: 1 })).plan;
    expect(plan.length).toBeGreaterThanOrEqual(4);
    expect(plan.reduce((a, b) => a + b, 0)).toBe(120);

    const contiguous = await decode({ layout: 'contiguous', maxSequences: 2 });
    expect(maxDifference(contiguous.run.logits, base.run.logits)).toBe(0);
    // Two sequences × 120 positions (8 blocks of 16 each) reserved, one sequence of 108 tokens used.
    expect(contiguous.stats.allocatedBytes).toBe(2 * 8 * 16 * kvTokenBytes(config));
    expect(contiguous.stats.usedBytes).toBe(108 * kvTokenBytes(config));
    expect(contiguous.stats.wasteBytes).toBe(contiguous.stats.allocatedBytes - 108 * kvTokenBytes(config));
    // Paged: the 7 blocks the 108 tokens need, in slabs of 1, 2 and 4 blocks.
    expect(base.stats.blocksInUse).toBe(7);
    expect(base.stats.allocatedBytes).toBe(7 * 16 * kvTokenBytes(config));
  });

  it('flash-decoding with one split, 128-key splits and 64-key splits matches single-query attention and float64', async () => {
    const config = shape({ kvHeads: 3, maxPositions: 150 });
    const prompt = seededPrompt(seed + 5, 70, config.vocab);
    await withModel(config, {}, async (model) => {
      model.attention = 'naive';
      const naive = await decodeWithCache(model, { prompt, tokens: 80 });
      model.attention = 'flash';
      for (const splitKeys of [64, 128, 192]) {
        model.flashSplitKeys = splitKeys;
        const flash = await decodeWithCache(model, { prompt, tokens: 80 });
        expect(flash.tokens).toEqual(naive.tokens);
        expect(maxDifference(flash.logits, naive.logits)).toBeLessThan(1e-5);
        expect(referenceError(config, prompt, flash)).toBeLessThan(1e-4);
      }
      expect(() => {
        model.flashSplitKeys = 100;
      }).toThrow(/multiple of 64/);
    });
  });

  it('filling the pool token by token: paged bytes follow the tokens, contiguous bytes are the maximum from the first token, both as the device counted them', async () => {
    const shapeOf = (kvHeads: number) => ({ layers: 3, kvHeads, headDim: 24 });
    const fill = (layout: 'paged' | 'contiguous', kvHeads: number, lengths = [1000], checkpoints = [62, 125, 250, 500, 1000]) =>
      fillKvCache(engine(), { shape: shapeOf(kvHeads), layout, maxPositions: 1000, lengths, checkpoints, budgetBytes: 2 ** 30 });
    const paged = await fill('paged', 8);
    const contiguous = await fill('contiguous', 8);
    const blockBytes = 16 * kvTokenBytes(shapeOf(8));
    expect(paged.points.every((p) => p.status === 'allocated')).toBe(true);
    for (const point of paged.points) {
      const blocks = Math.ceil(point.tokens / 16);
      // The slabs held cover the blocks in use, and the last one was needed.
      let held = 0;
      let slabs = 0;
      while (held < blocks) held += paged.plan[slabs++];
      expect(point.allocatedBytes).toBe(held * blockBytes);
      expect(held - paged.plan[slabs - 1]).toBeLessThan(blocks);
      expect(point.neededBytes).toBe(point.tokens * kvTokenBytes(shapeOf(8)));
    }
    expect(contiguous.points.map((p) => p.allocatedBytes)).toEqual(contiguous.points.map(() => 63 * blockBytes));
    expect(paged.points[0].allocatedBytes!).toBeLessThan(contiguous.points[0].allocatedBytes! / 8);
    // Every buffer the fill asked for was a slab, and the device accepted each.
    expect(paged.allocations.every((a) => a.label.startsWith('KvCache.slab') && !a.refused)).toBe(true);
    expect(paged.peakBytes).toBe(paged.points[paged.points.length - 1].allocatedBytes);
    // GQA and MQA: the same blocks, each kvHeads/8 the size.
    for (const kvHeads of [2, 1]) expect((await fill('paged', kvHeads)).points.map((p) => p.allocatedBytes! * (8 / kvHeads))).toEqual(paged.points.map((p) => p.allocatedBytes));
    // A batch of mixed lengths: paged holds what the tokens need (rounded to slabs); contiguous holds every maximum.
    const batch = [1000, 120, 40, 7];
    const [pagedBatch] = (await fill('paged', 2, batch, [1167])).points;
    const [contiguousBatch] = (await fill('contiguous', 2, batch, [1167])).points;
    expect(pagedBatch.neededBytes).toBe(1167 * kvTokenBytes(shapeOf(2)));
    expect(contiguousBatch.allocatedBytes).toBe(4 * 63 * 16 * kvTokenBytes(shapeOf(2)));
    expect(pagedBatch.allocatedBytes!).toBeGreaterThanOrEqual(pagedBatch.neededBytes);
    // 75 blocks in use (63 + 8 + 3 + 1): the doubling slabs hold under twice that.
    expect(pagedBatch.allocatedBytes!).toBeLessThan(2 * 75 * 16 * kvTokenBytes(shapeOf(2)));
    expect(contiguousBatch.allocatedBytes! / pagedBatch.neededBytes).toBeGreaterThan(3);
  });

  it('a fill that would pass its budget stops before asking, and says so', async () => {
    const result = await fillKvCache(engine(), { shape: { layers: 1, kvHeads: 4, headDim: 64 }, layout: 'contiguous', maxPositions: 4096, lengths: [4096], checkpoints: [16, 4096], budgetBytes: 2 ** 20 });
    expect(result.points.map((p) => p.status)).toEqual(['over-budget', 'over-budget']);
    expect(result.allocations).toEqual([]);
  });

  it('a forward that would leave a gap in the cache, a sequence out of range and a bad block size are refused', async () => {
    const config = shape({ maxPositions: 40 });
    expect(() => new DecoderModel(engine(), config, { cache: { blockTokens: 12 } })).toThrow(/power of two/);
    await withModel(config, { maxSequences: 2 }, async (model) => {
      await model.forward([1, 2, 3], 0);
      await expect(model.forward([4], 5)).rejects.toThrow(/gap/);
      await expect(model.forward([4], 0, 2)).rejects.toThrow(/sequence 2/);
      // Nothing changed: the sequence still continues from position 3.
      expect(model.cacheStats().lengths).toEqual([3, 0]);
      await model.forward([4], 3);
      expect(model.cacheStats().lengths).toEqual([4, 0]);
    });
  });

  it("a slab the device can create but not bind (over maxStorageBufferBindingSize) is refused at its binding", async () => {
    const limited = await createDawnEngine({ limits: 'default' });
    const meter = new MemoryMeter(limited.device);
    try {
      const { maxStorageBufferBindingSize, maxBufferSize } = limited.device.limits;
      const shapeOfCache = { layers: 1, kvHeads: 1, headDim: 64 };
      const pool = new KvCachePool(limited.device, meter, shapeOfCache, 1024, 1, { layout: 'contiguous' });
      // Four slots would split it; one slot makes the whole cache one slab between the two limits.
      const positions = Math.floor((maxStorageBufferBindingSize + maxBufferSize) / 2 / kvTokenBytes(shapeOfCache) / 16) * 16;
      const big = new KvCachePool(limited.device, meter, shapeOfCache, positions, 1, { layout: 'contiguous' });
      expect(big.plan).toHaveLength(1);
      const error = await big.reserve(0, 0, 1, () => undefined).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: 'gpu-limit' });
      expect((error as AppError).message).toMatch(/binding/i);
      expect(big.stats().allocatedBytes).toBe(0);
      // The device still serves a cache it can bind.
      await pool.reserve(0, 0, 5, () => undefined);
      expect(pool.stats().allocatedBytes).toBe(1024 * kvTokenBytes(shapeOfCache));
    } finally {
      meter.destroyAll();
      limited.close();
    }
  });

  for (const tracked of [false, true]) {
    it(`a slab past the device's buffer limit is attempted, refused by the device with its message, and changes nothing${tracked ? ' (memory tracker installed)' : ''}`, async () => {
      const meter = new MemoryMeter(engine().device);
      const tracker = tracked ? DeviceMemoryTracker.install(engine().device) : null;
      try {
        const limit = engine().info.limits.maxBufferSize;
        const shapeOfCache = { layers: 1, kvHeads: 8, headDim: 128 };
        // The first of 15 doubling parts of this cache is over the device's buffer limit.
        const positions = Math.ceil((16 * limit) / kvTokenBytes(shapeOfCache) / 16) * 16;
        const pool = new KvCachePool(engine().device, meter, shapeOfCache, positions, 4);
        expect(pool.plan[0] * pool.blockBytes).toBeGreaterThan(limit);
        let rebinds = 0;
        const error = await pool.reserve(0, 0, 1, () => rebinds++).catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(AppError);
        expect((error as AppError).code).toBe('gpu-limit');
        expect((error as AppError).params).toMatchObject({ needed: pool.plan[0] * pool.blockBytes });
        expect((error as AppError).message).toMatch(/refused/);
        const stats = pool.stats();
        expect(stats.slabBytes).toEqual([]);
        expect(stats.lengths).toEqual([0]);
        expect(rebinds).toBe(1);
        if (tracker) expect((await tracker.report()).refusals).toMatchObject([{ kind: 'validation', attempted: 'createBuffer KvCache.slab0' }]);
      } finally {
        tracker?.stop();
        meter.destroyAll();
      }
    });
  }
});

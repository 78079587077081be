import type { EngineContext } from '../device-info';
import { Gemm } from '../gemm/Gemm';
import { assertDeviceHealthy } from '../gpu';
import { MemoryMeter } from '../memory';
import { readFloat32 } from '../readback';
import { timeGpu, type GpuTiming, type TimingOptions } from '../timing';
import { cacheAttentionWgsl } from '../decode/cache-attention.wgsl';
import { FLASH_DECODING_CHUNK, flashDecodingWgsl } from '../decode/flash-decoding.wgsl';
import { KvCachePool, kvSlabBindings, type KvPoolOptions, type KvPoolStats } from '../decode/kv-pool';
import { ComputeKernel } from './ComputeKernel';
import { qkvWidth, resolveDecoderConfig, type DecoderConfig } from './DecoderConfig';
import { createDecoderWeights, rotaryTables, type DecoderWeights } from './DecoderWeights';
import { embeddingWgsl } from './embedding.wgsl';
import { swigluWgsl } from './elementwise.wgsl';
import { rmsNormWgsl } from './rms-norm.wgsl';
import { rotaryWgsl } from './rotary.wgsl';
import { stepParamsWords } from './step-params';

/** How one query attends over the cache: scores in a global buffer, or flash-decoding chunks. */
export type DecodeAttention = 'naive' | 'flash';

/** Invocations per workgroup of the element-wise kernels. */
const WORKGROUP = 64;

export interface DecoderModelOptions {
  /** Weights to upload (default: `createDecoderWeights(config)`). */
  weights?: DecoderWeights;
  /** How the KV-cache is laid out on the device (default: paged, 16-token blocks, one sequence). */
  cache?: KvPoolOptions;
}

type LayerGemms = Record<'qkv' | 'output' | 'gateUp' | 'down', Gemm>;

interface LayerBuffers {
  weights: { attentionNorm: GPUBuffer; qkv: GPUBuffer; output: GPUBuffer; mlpNorm: GPUBuffer; gateUp: GPUBuffer; down: GPUBuffer };
  kernels: {
    attentionNorm: ComputeKernel;
    rotary: ComputeKernel;
    naiveAttention: ComputeKernel;
    flashSplit: ComputeKernel;
    flashCombine: ComputeKernel;
    mlpNorm: ComputeKernel;
  };
}

/**
 * The decoder-only transformer on the GPU: token embedding, `layers` pre-norm blocks (RMSNorm →
 * fused q|k|v → RoPE → causal attention over the layer's KV-cache → output projection → residual;
 * RMSNorm → SwiGLU MLP → residual), final RMSNorm and logits of the last row. Every buffer,
 * pipeline and bind group is created once here and labelled, except the KV-cache, which grows in
 * blocks as tokens arrive (kv-pool.ts); `forward` writes the step's tokens and uniform and appends
 * the new keys and values to the sequence's blocks. Every projection, the logits included, is the engine's `Gemm` (which
 * runs its GEMV kernel for a one-token decode step), and prefill and decode steps run the same
 * passes: a cached step computes its row exactly as an uncached forward computes that row.
 */
export class DecoderModel {
  readonly config: DecoderConfig;
  readonly meter: MemoryMeter;
  /** Attention used by every forward; switch freely between runs. */
  attention: DecodeAttention = 'naive';
  /** The KV-cache's blocks, block tables and device slabs. */
  readonly cache: KvCachePool;
  private splitKeys = FLASH_DECODING_CHUNK;
  private readonly layers: LayerBuffers[] = [];
  private readonly tokens: GPUBuffer;
  private readonly step: GPUBuffer;
  private readonly activations: Record<'x' | 'normed' | 'qkv' | 'q' | 'attention' | 'gateUp' | 'act' | 'lastRow' | 'lastNormed' | 'logits', GPUBuffer>;
  private readonly weightBuffers: { embedding: GPUBuffer; finalNorm: GPUBuffer; unembedding: GPUBuffer };
  private readonly staging: GPUBuffer;
  /** Projections of a multi-row forward, created for its row count and kept for the next with the same count. */
  private gemms: { rows: number; passes: LayerGemms } | null = null;
  /** Projections of a one-token step (GEMV), kept for the model's life: decoding alternates prefill and steps. */
  private readonly stepGemms: LayerGemms;
  /** The logits of the last row. */
  private readonly unembedding: Gemm;
  private readonly kernels: { embedding: ComputeKernel; swiglu: ComputeKernel; finalNorm: ComputeKernel };
  /** Rotated keys and values of the forward's rows, one layer at a time, before they are copied into blocks. */
  private readonly newKv: GPUBuffer;
  private readonly cacheReaders: { scores: GPUBuffer; partialOut: GPUBuffer; partialLse: GPUBuffer };
  /** Every row's logits (forwardRows), made on first use: its buffer, final norm and GEMM for the last row count. */
  private rowLogits: { logits: GPUBuffer; norm: ComputeKernel; rows: number; gemm: Gemm | null } | null = null;

  constructor(readonly engine: EngineContext, config: Partial<DecoderConfig> = {}, options: DecoderModelOptions = {}) {
    this.config = resolveDecoderConfig(config);
    const c = this.config;
    const w = options.weights ?? createDecoderWeights(c);
    const meter = new MemoryMeter(engine.device);
    this.meter = meter;
    const rows = c.maxPositions;
    const chunks = Math.ceil(c.maxPositions / FLASH_DECODING_CHUNK);
    const attentionWidth = c.heads * c.headDim;
    const storage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;

    this.tokens = meter.createBuffer('Decoder.tokens', rows * 4, storage);
    this.step = engine.device.createBuffer({ label: 'Decoder.stepParams', size: 16, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
    this.activations = {
      x: meter.createBuffer('Decoder.residual', rows * c.dModel * 4),
      normed: meter.createBuffer('Decoder.normed', rows * c.dModel * 4),
      qkv: meter.createBuffer('Decoder.qkv', rows * qkvWidth(c) * 4),
      q: meter.createBuffer('Decoder.rotatedQuery', rows * attentionWidth * 4),
      attention: meter.createBuffer('Decoder.attentionOut', rows * attentionWidth * 4),
      gateUp: meter.createBuffer('Decoder.gateUp', rows * 2 * c.hidden * 4),
      act: meter.createBuffer('Decoder.mlpHidden', rows * c.hidden * 4),
      lastRow: meter.createBuffer('Decoder.lastRow', c.dModel * 4),
      lastNormed: meter.createBuffer('Decoder.lastNormed', c.dModel * 4),
      logits: meter.createBuffer('Decoder.logits', c.vocab * 4),
    };
    const scores = meter.createBuffer('Decoder.naiveScores', rows * c.heads * c.maxPositions * 4);
    const partialOut = meter.createBuffer('Decoder.flashPartialOut', rows * c.heads * chunks * c.headDim * 4);
    const partialLse = meter.createBuffer('Decoder.flashPartialLse', rows * c.heads * chunks * 4);
    this.cacheReaders = { scores, partialOut, partialLse };
    this.newKv = meter.createBuffer('Decoder.newKeysValues', rows * 2 * c.kvHeads * c.headDim * 4);
    const slabBindings = kvSlabBindings(engine.device);
    this.cache = new KvCachePool(engine.device, meter, c, c.maxPositions, slabBindings, options.cache);
    const rotary = rotaryTables(c);
    const cosTable = meter.upload('Decoder.ropeCos', rotary.cos);
    const sinTable = meter.upload('Decoder.ropeSin', rotary.sin);
    this.weightBuffers = {
      embedding: meter.upload('Decoder.embedding', w.embedding),
      finalNorm: meter.upload('Decoder.finalNorm', w.finalNorm),
      unembedding: meter.upload('Decoder.unembedding', w.unembedding),
    };
    this.staging = engine.device.createBuffer({ label: 'Decoder.logitsStaging', size: c.vocab * 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });

    const a = this.activations;
    const heads = { HEADS: c.heads, KV_HEADS: c.kvHeads, HEAD_DIM: c.headDim };
    const paged = (layer: number) => ({
      BLOCK_TOKENS: this.cache.blockTokens,
      BLOCK_FLOATS: this.cache.blockFloats,
      LAYER_OFFSET: this.cache.layerOffset(layer),
      TABLE_STRIDE: this.cache.blocksPerSequence,
    });
    const scale = 1 / Math.sqrt(c.headDim);
    const norm = (label: string, x: GPUBuffer, gain: GPUBuffer, y: GPUBuffer) =>
      new ComputeKernel(engine, label, rmsNormWgsl, { D_MODEL: c.dModel }, [x /* x */, gain /* gain */, y /* y */]);

    w.layers.forEach((layer, index) => {
      const name = `Decoder.layer${index}`;
      const weightsOnDevice = {
        attentionNorm: meter.upload(`${name}.attentionNorm`, layer.attentionNorm),
        qkv: meter.upload(`${name}.qkv`, layer.qkv),
        output: meter.upload(`${name}.output`, layer.output),
        mlpNorm: meter.upload(`${name}.mlpNorm`, layer.mlpNorm),
        gateUp: meter.upload(`${name}.gateUp`, layer.gateUp),
        down: meter.upload(`${name}.down`, layer.down),
      };
      this.layers.push({
        weights: weightsOnDevice,
        kernels: {
          attentionNorm: norm(`${name}.attentionNorm`, a.x, weightsOnDevice.attentionNorm, a.normed),
          rotary: new ComputeKernel(engine, `${name}.rotary`, rotaryWgsl, heads, [
            this.step /* step */, a.qkv /* qkv */, cosTable /* cosTable */, sinTable /* sinTable */, a.q /* q */, this.newKv /* newKv */,
          ]),
          // Bound in rebindCache once the cache has a slab.
          naiveAttention: new ComputeKernel(engine, `${name}.cacheAttention`, cacheAttentionWgsl(slabBindings), { ...heads, ...paged(index), CAPACITY: c.maxPositions, SCALE: scale }, null),
          flashSplit: new ComputeKernel(engine, `${name}.flashDecoding.split`, flashDecodingWgsl(slabBindings), { ...heads, ...paged(index), CHUNKS: chunks, SCALE: scale }, null, 'split'),
          flashCombine: new ComputeKernel(engine, `${name}.flashDecoding.combine`, flashDecodingWgsl(slabBindings), { ...heads, CHUNKS: chunks, SCALE: scale }, [
            this.step /* step */, undefined, undefined, partialOut /* partialOut */, partialLse /* partialLse */, a.attention /* out */,
          ], 'combine'),
          mlpNorm: norm(`${name}.mlpNorm`, a.x, weightsOnDevice.mlpNorm, a.normed),
        },
      });
    });
    this.kernels = {
      embedding: new ComputeKernel(engine, 'Decoder.embedding', embeddingWgsl, { D_MODEL: c.dModel }, [
        this.step /* step */, this.tokens /* tokens */, this.weightBuffers.embedding /* embedding */, a.x /* x */,
      ]),
      swiglu: new ComputeKernel(engine, 'Decoder.swiglu', swigluWgsl, { HIDDEN: c.hidden }, [this.step /* step */, a.gateUp /* gateUp */, a.act /* act */]),
      finalNorm: norm('Decoder.finalNorm', a.lastRow, this.weightBuffers.finalNorm, a.lastNormed),
    };
    this.stepGemms = this.createGemms(1);
    this.unembedding = new Gemm(engine, { m: 1, n: c.vocab, k: c.dModel });
  }

  /**
   * Keys per flash-decoding split: 64 (the default) splits the cache into as many workgroups as it
   * has 64-key tiles; `maxPositions` or more runs one split over the whole cache. A multiple of 64.
   */
  get flashSplitKeys(): number {
    return this.splitKeys;
  }

  set flashSplitKeys(keys: number) {
    if (!Number.isInteger(keys) || keys < FLASH_DECODING_CHUNK || keys % FLASH_DECODING_CHUNK !== 0) {
      throw new Error(`DecoderModel.flashSplitKeys must be a positive multiple of ${FLASH_DECODING_CHUNK}, got ${keys}`);
    }
    this.splitKeys = keys;
  }

  /** What the KV-cache holds now: device bytes allocated, bytes the cached tokens use, blocks. */
  cacheStats(): KvPoolStats {
    return this.cache.stats();
  }

  /** Frees `sequence`'s cache blocks for other sequences (the device memory stays with the pool). */
  releaseSequence(sequence: number): void {
    this.cache.release(sequence);
  }

  /**
   * Runs the model on `tokens`, which sit at positions start … start + tokens.length − 1 of
   * `sequence` (0 … cache.maxSequences − 1), with keys and values of positions before `start`
   * taken from that sequence's cache blocks (and those of the new tokens appended to them,
   * allocating blocks as needed). Returns the logits of the last token. `start = 0` with the
   * whole sequence is a full forward that uses nothing cached. One forward at a time per model.
   */
  async forward(tokens: ArrayLike<number>, start: number, sequence = 0): Promise<Float32Array> {
    const c = this.config;
    const rows = await this.prepareForward(tokens, start, sequence);
    const encoder = this.engine.device.createCommandEncoder({ label: 'Decoder.forward' });
    this.encode(encoder, rows, start, sequence);
    encoder.copyBufferToBuffer(this.activations.logits, 0, this.staging, 0, c.vocab * 4);
    this.engine.device.queue.submit([encoder.finish()]);
    await this.staging.mapAsync(GPUMapMode.READ);
    const logits = new Float32Array(this.staging.getMappedRange().slice(0));
    this.staging.unmap();
    assertDeviceHealthy(this.engine.device);
    return logits;
  }

  /**
   * As `forward`, but returns the logits of every row, [rows][vocab]: row r predicts the token
   * after position start + r, as a speculative decoder's verification needs. Each row's logits are
   * what a one-token step at that position computes (the same kernels; the GEMM and the GEMV sum
   * in the same order).
   */
  async forwardRows(tokens: ArrayLike<number>, start: number, sequence = 0): Promise<Float32Array> {
    const c = this.config;
    const rows = await this.prepareForward(tokens, start, sequence);
    if (!this.rowLogits) {
      const logits = this.meter.createBuffer('Decoder.rowLogits', c.maxPositions * c.vocab * 4);
      const norm = new ComputeKernel(this.engine, 'Decoder.finalNorm', rmsNormWgsl, { D_MODEL: c.dModel }, [this.activations.x /* x */, this.weightBuffers.finalNorm /* gain */, this.activations.normed /* y */]);
      this.rowLogits = { logits, norm, rows: 0, gemm: null };
    }
    const state = this.rowLogits;
    if (state.rows !== rows || !state.gemm) {
      state.gemm?.dispose();
      state.gemm = new Gemm(this.engine, { m: rows, n: c.vocab, k: c.dModel });
      state.rows = rows;
    }
    const encoder = this.engine.device.createCommandEncoder({ label: 'Decoder.forwardRows' });
    this.encode(encoder, rows, start, sequence);
    // The layers are done with `normed`: it now takes every row's final norm.
    state.norm.encode(encoder, rows);
    state.gemm.encode(encoder, { a: this.activations.normed, b: this.weightBuffers.unembedding, c: state.logits });
    this.engine.device.queue.submit([encoder.finish()]);
    return readFloat32(this.engine, state.logits, 0, rows * c.vocab);
  }

  /** Checks a forward's tokens and positions, reserves their cache blocks, and writes the tokens and the step uniform. */
  private async prepareForward(tokens: ArrayLike<number>, start: number, sequence: number): Promise<number> {
    const c = this.config;
    const rows = tokens.length;
    if (rows < 1 || start < 0 || start + rows > c.maxPositions) {
      throw new Error(`DecoderModel.forward: positions ${start}..${start + rows - 1} are outside 0..${c.maxPositions - 1}`);
    }
    const ids = new Uint32Array(rows);
    for (let index = 0; index < rows; index++) ids[index] = tokens[index];
    for (const id of ids) if (id >= c.vocab) throw new Error(`DecoderModel.forward: token ${id} is not below vocab ${c.vocab}`);
    await this.cache.reserve(sequence, start, rows, () => this.rebindCache());
    const queue = this.engine.device.queue;
    queue.writeBuffer(this.tokens, start * 4, ids);
    queue.writeBuffer(this.step, 0, stepParamsWords(rows, start, sequence, this.splitKeys));
    return rows;
  }

  /**
   * Makes `sequence`'s cache hold positions 0 … length − 1 without computing them: their keys and
   * values are whatever the blocks hold (write them through `cache.slabBuffers()`). For
   * measurements that depend on the cache's size, not its values (its memory, the time to read
   * it), where a prefill would cost far more than the measurement.
   */
  async reserveCache(sequence: number, length: number): Promise<void> {
    await this.cache.reserve(sequence, 0, length, () => this.rebindCache());
  }

  /** Binds the cache-reading kernels to the pool's slabs (after each new slab). */
  private rebindCache(): void {
    const a = this.activations;
    const { scores, partialOut, partialLse } = this.cacheReaders;
    const slabs = this.cache.slabBuffers();
    for (const { kernels } of this.layers) {
      kernels.naiveAttention.bind([this.step /* step */, a.q /* q */, this.cache.table /* blockTable */, scores /* scores */, a.attention /* out */, ...slabs /* slab0… */]);
      kernels.flashSplit.bind([this.step /* step */, a.q /* q */, this.cache.table /* blockTable */, partialOut /* partialOut */, partialLse /* partialLse */, undefined, ...slabs /* slab0… */]);
    }
  }

  /**
   * Records a forward over `rows` tokens at positions start … start + rows − 1 of `sequence` into
   * `encoder` (the tokens and the step uniform must already be written and the cache reserved, as
   * `forward` does); the last row's logits land in the model's logits buffer. Multi-row GEMMs are
   * created for the row count and kept for the next call with the same count.
   */
  private encode(encoder: GPUCommandEncoder, rows: number, start: number, sequence: number): void {
    let gemms = this.stepGemms;
    if (rows > 1) {
      if (this.gemms?.rows !== rows) {
        if (this.gemms) for (const gemm of Object.values(this.gemms.passes)) gemm.dispose();
        this.gemms = { rows, passes: this.createGemms(rows) };
      }
      gemms = this.gemms.passes;
    }
    this.encodeForward(encoder, rows, start, sequence, gemms);
  }

  /** The four projections of a layer for `rows` rows; the output and down projections add into the residual. */
  private createGemms(rows: number): LayerGemms {
    const c = this.config;
    return {
      qkv: new Gemm(this.engine, { m: rows, n: qkvWidth(c), k: c.dModel }),
      output: new Gemm(this.engine, { m: rows, n: c.dModel, k: c.heads * c.headDim, accumulate: true }),
      gateUp: new Gemm(this.engine, { m: rows, n: 2 * c.hidden, k: c.dModel }),
      down: new Gemm(this.engine, { m: rows, n: c.dModel, k: c.hidden, accumulate: true }),
    };
  }

  /**
   * Times the attention over the cache alone — every layer's, one query row at `position` of
   * `sequence`, with the current `attention` and `flashSplitKeys` — as the decode step at that
   * position runs it (the query is the last forward's first row; the cache must hold 0 … position).
   * Warm-up and ≥ 5 repeats as `timeGpu`. This is the part of a step flash-decoding changes.
   */
  async timeCacheAttention(position: number, sequence = 0, timing: TimingOptions = {}): Promise<GpuTiming> {
    const held = this.cache.stats().lengths[sequence];
    if (!(position >= 0 && position < held)) throw new Error(`DecoderModel.timeCacheAttention: sequence ${sequence} holds ${held} positions, not ${position}`);
    this.engine.device.queue.writeBuffer(this.step, 0, stepParamsWords(1, position, sequence, this.splitKeys));
    return timeGpu(this.engine, (encoder) => {
      for (const { kernels } of this.layers) this.encodeAttention(encoder, kernels, 1, position);
    }, timing);
  }

  /**
   * Runs the one-token step `token` at `position` of `sequence` with flash-decoding and returns,
   * per query head, how many splits the device wrote a partial result for (the partial
   * logsumexps are set to −∞ first and read back after): how many workgroups really shared each
   * head's attention over the cache. Also returns the step's logits.
   */
  async flashSplitsAt(token: number, position: number, sequence = 0): Promise<{ splits: number[]; logits: Float32Array }> {
    if (this.attention !== 'flash') throw new Error("DecoderModel.flashSplitsAt: set attention = 'flash' first");
    const c = this.config;
    const chunks = Math.ceil(c.maxPositions / FLASH_DECODING_CHUNK);
    const { partialLse } = this.cacheReaders;
    this.engine.device.queue.writeBuffer(partialLse, 0, new Float32Array(partialLse.size / 4).fill(-Infinity));
    const logits = await this.forward([token], position, sequence);
    const lse = await readFloat32(this.engine, partialLse, 0, c.heads * chunks);
    // A split with no keys writes −3e38; one that ran writes its logsumexp.
    const splits = Array.from({ length: c.heads }, (_, head) => lse.subarray(head * chunks, (head + 1) * chunks).filter((value) => value > -1e38).length);
    return { splits, logits };
  }

  private encodeAttention(encoder: GPUCommandEncoder, k: LayerBuffers['kernels'], rows: number, start: number): void {
    if (this.attention === 'flash') {
      k.flashSplit.encode(encoder, Math.ceil((start + rows) / this.splitKeys), this.config.heads, rows);
      k.flashCombine.encode(encoder, this.config.heads, rows);
    } else {
      k.naiveAttention.encode(encoder, this.config.heads, rows);
    }
  }

  private encodeForward(encoder: GPUCommandEncoder, rows: number, start: number, sequence: number, gemms: LayerGemms): void {
    const c = this.config;
    const a = this.activations;
    const groups = (count: number) => Math.ceil(count / WORKGROUP);
    this.kernels.embedding.encode(encoder, rows);
    this.layers.forEach((layer, index) => {
      const k = layer.kernels;
      const w = layer.weights;
      k.attentionNorm.encode(encoder, rows);
      gemms.qkv.encode(encoder, { a: a.normed, b: w.qkv, c: a.qkv });
      k.rotary.encode(encoder, rows);
      this.cache.encodeAppend(encoder, this.newKv, index, sequence, start, rows);
      this.encodeAttention(encoder, k, rows, start);
      gemms.output.encode(encoder, { a: a.attention, b: w.output, c: a.x });
      k.mlpNorm.encode(encoder, rows);
      gemms.gateUp.encode(encoder, { a: a.normed, b: w.gateUp, c: a.gateUp });
      this.kernels.swiglu.encode(encoder, groups(rows * c.hidden));
      gemms.down.encode(encoder, { a: a.act, b: w.down, c: a.x });
    });
    // Only the last token's logits are needed to pick the next token.
    encoder.copyBufferToBuffer(a.x, (rows - 1) * c.dModel * 4, a.lastRow, 0, c.dModel * 4);
    this.kernels.finalNorm.encode(encoder, 1);
    this.unembedding.encode(encoder, { a: a.lastNormed, b: this.weightBuffers.unembedding, c: a.logits });
  }

  /** Frees every buffer the model created. */
  dispose(): void {
    if (this.gemms) for (const gemm of Object.values(this.gemms.passes)) gemm.dispose();
    this.gemms = null;
    for (const gemm of Object.values(this.stepGemms)) gemm.dispose();
    this.rowLogits?.gemm?.dispose();
    this.rowLogits = null;
    this.unembedding.dispose();
    this.meter.destroyAll();
    this.step.destroy();
    this.staging.destroy();
  }
}

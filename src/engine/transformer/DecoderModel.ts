import type { EngineContext } from '../device-info';
import { Gemm } from '../gemm/Gemm';
import { assertDeviceHealthy } from '../gpu';
import { MemoryMeter } from '../memory';
import { cacheAttentionWgsl } from '../decode/cacheAttention.wgsl';
import { FLASH_DECODING_CHUNK, flashDecodingWgsl } from '../decode/flashDecoding.wgsl';
import { allocateKvCache } from '../decode/kvCache';
import { ComputeKernel } from './ComputeKernel';
import { kvCacheBytes, qkvWidth, resolveDecoderConfig, type DecoderConfig } from './DecoderConfig';
import { createDecoderWeights, rotaryTables, type DecoderWeights } from './DecoderWeights';
import { embeddingWgsl } from './embedding.wgsl';
import { swigluWgsl } from './elementwise.wgsl';
import { rmsNormWgsl } from './rmsNorm.wgsl';
import { rotaryWgsl } from './rotary.wgsl';
import { stepParamsWords } from './stepParams';

/** How one query attends over the cache: scores in a global buffer, or flash-decoding chunks. */
export type DecodeAttention = 'naive' | 'flash';

/** Invocations per workgroup of the element-wise kernels. */
const WORKGROUP = 64;

type LayerGemms = Record<'qkv' | 'output' | 'gateUp' | 'down', Gemm>;

interface LayerBuffers {
  keyCache: GPUBuffer;
  valueCache: GPUBuffer;
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
 * pipeline and bind group is created once here and labelled; `forward` only writes the step's
 * tokens and uniform. Every projection, the logits included, is the engine's `Gemm` (which
 * runs its GEMV kernel for a one-token decode step), and prefill and decode steps run the same
 * passes: a cached step computes its row exactly as an uncached forward computes that row.
 */
export class DecoderModel {
  readonly config: DecoderConfig;
  readonly meter: MemoryMeter;
  /** Attention used by every forward; switch freely between runs. */
  attention: DecodeAttention = 'naive';
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

  constructor(readonly engine: EngineContext, config: Partial<DecoderConfig> = {}, weights?: DecoderWeights) {
    this.config = resolveDecoderConfig(config);
    const c = this.config;
    const w = weights ?? createDecoderWeights(c);
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
    const heads = { HEADS: c.heads, KV_HEADS: c.kvHeads, HEAD_DIM: c.headDim, CAPACITY: c.maxPositions };
    const scale = 1 / Math.sqrt(c.headDim);
    const norm = (label: string, x: GPUBuffer, gain: GPUBuffer, y: GPUBuffer) =>
      new ComputeKernel(engine, label, rmsNormWgsl, { D_MODEL: c.dModel }, [x /* x */, gain /* gain */, y /* y */]);

    const cache = allocateKvCache(meter, c, c.maxPositions);
    w.layers.forEach((layer, index) => {
      const name = `Decoder.layer${index}`;
      const keyCache = cache.keys[index];
      const valueCache = cache.values[index];
      const weightsOnDevice = {
        attentionNorm: meter.upload(`${name}.attentionNorm`, layer.attentionNorm),
        qkv: meter.upload(`${name}.qkv`, layer.qkv),
        output: meter.upload(`${name}.output`, layer.output),
        mlpNorm: meter.upload(`${name}.mlpNorm`, layer.mlpNorm),
        gateUp: meter.upload(`${name}.gateUp`, layer.gateUp),
        down: meter.upload(`${name}.down`, layer.down),
      };
      this.layers.push({
        keyCache,
        valueCache,
        weights: weightsOnDevice,
        kernels: {
          attentionNorm: norm(`${name}.attentionNorm`, a.x, weightsOnDevice.attentionNorm, a.normed),
          rotary: new ComputeKernel(engine, `${name}.rotary`, rotaryWgsl, heads, [
            this.step /* step */, a.qkv /* qkv */, cosTable /* cosTable */, sinTable /* sinTable */, a.q /* q */, keyCache /* keyCache */, valueCache /* valueCache */,
          ]),
          naiveAttention: new ComputeKernel(engine, `${name}.cacheAttention`, cacheAttentionWgsl, { ...heads, SCALE: scale }, [
            this.step /* step */, a.q /* q */, keyCache /* keyCache */, valueCache /* valueCache */, scores /* scores */, a.attention /* out */,
          ]),
          flashSplit: new ComputeKernel(engine, `${name}.flashDecoding.split`, flashDecodingWgsl, { ...heads, CHUNKS: chunks, SCALE: scale }, [
            this.step /* step */, a.q /* q */, keyCache /* keyCache */, valueCache /* valueCache */, partialOut /* partialOut */, partialLse /* partialLse */,
          ], 'split'),
          flashCombine: new ComputeKernel(engine, `${name}.flashDecoding.combine`, flashDecodingWgsl, { ...heads, CHUNKS: chunks, SCALE: scale }, [
            this.step /* step */, undefined, undefined, undefined, partialOut /* partialOut */, partialLse /* partialLse */, a.attention /* out */,
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

  /** Device bytes of the KV-cache as allocated (capacity `maxPositions`). */
  get cacheCapacityBytes(): number {
    return kvCacheBytes(this.config, this.config.maxPositions);
  }

  /**
   * Runs the model on `tokens`, which sit at positions start … start + tokens.length − 1, with
   * keys and values of positions before `start` taken from the cache (and those of the new tokens
   * appended to it). Returns the logits of the last token. `start = 0` with the whole sequence is
   * a full forward that uses nothing cached. One forward at a time per model (await each).
   */
  async forward(tokens: ArrayLike<number>, start: number): Promise<Float32Array> {
    const c = this.config;
    const rows = tokens.length;
    if (rows < 1 || start < 0 || start + rows > c.maxPositions) {
      throw new Error(`DecoderModel.forward: positions ${start}..${start + rows - 1} are outside 0..${c.maxPositions - 1}`);
    }
    const ids = new Uint32Array(rows);
    for (let index = 0; index < rows; index++) ids[index] = tokens[index];
    for (const id of ids) if (id >= c.vocab) throw new Error(`DecoderModel.forward: token ${id} is not below vocab ${c.vocab}`);
    const queue = this.engine.device.queue;
    queue.writeBuffer(this.tokens, start * 4, ids);
    queue.writeBuffer(this.step, 0, stepParamsWords(rows, start));

    const encoder = this.engine.device.createCommandEncoder({ label: 'Decoder.forward' });
    this.encode(encoder, rows, start);
    encoder.copyBufferToBuffer(this.activations.logits, 0, this.staging, 0, c.vocab * 4);
    queue.submit([encoder.finish()]);
    await this.staging.mapAsync(GPUMapMode.READ);
    const logits = new Float32Array(this.staging.getMappedRange().slice(0));
    this.staging.unmap();
    assertDeviceHealthy(this.engine.device);
    return logits;
  }

  /**
   * Records a forward over `rows` tokens at positions start … start + rows − 1 into `encoder`
   * (the tokens and the step uniform must already be written, as `forward` does); the last row's
   * logits land in the model's logits buffer. Multi-row GEMMs are created for the row count and
   * kept for the next call with the same count.
   */
  encode(encoder: GPUCommandEncoder, rows: number, start: number): void {
    let gemms = this.stepGemms;
    if (rows > 1) {
      if (this.gemms?.rows !== rows) {
        if (this.gemms) for (const gemm of Object.values(this.gemms.passes)) gemm.dispose();
        this.gemms = { rows, passes: this.createGemms(rows) };
      }
      gemms = this.gemms.passes;
    }
    this.encodeForward(encoder, rows, start, gemms);
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

  private encodeForward(encoder: GPUCommandEncoder, rows: number, start: number, gemms: LayerGemms): void {
    const c = this.config;
    const a = this.activations;
    const groups = (count: number) => Math.ceil(count / WORKGROUP);
    this.kernels.embedding.encode(encoder, rows);
    for (const layer of this.layers) {
      const k = layer.kernels;
      const w = layer.weights;
      k.attentionNorm.encode(encoder, rows);
      gemms.qkv.encode(encoder, { a: a.normed, b: w.qkv, c: a.qkv });
      k.rotary.encode(encoder, rows);
      if (this.attention === 'flash') {
        k.flashSplit.encode(encoder, Math.ceil((start + rows) / FLASH_DECODING_CHUNK), c.heads, rows);
        k.flashCombine.encode(encoder, c.heads, rows);
      } else {
        k.naiveAttention.encode(encoder, c.heads, rows);
      }
      gemms.output.encode(encoder, { a: a.attention, b: w.output, c: a.x });
      k.mlpNorm.encode(encoder, rows);
      gemms.gateUp.encode(encoder, { a: a.normed, b: w.gateUp, c: a.gateUp });
      this.kernels.swiglu.encode(encoder, groups(rows * c.hidden));
      gemms.down.encode(encoder, { a: a.act, b: w.down, c: a.x });
    }
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
    this.unembedding.dispose();
    this.meter.destroyAll();
    this.step.destroy();
    this.staging.destroy();
  }
}

import type { EngineContext } from '../device-info';
import { DeviceMemoryTracker, MemoryMeter } from '../memory';
import { computePipeline, uniformBuffer } from '../pipelines';
import { readFloat32 } from '../readback';
import { timeGpu, type GpuTiming, type TimingOptions } from '../timing';
import { kvQuantWgsl } from './kv-quant.wgsl';
import { quantAttentionWgsl } from './quant-attention.wgsl';

/** Bits per stored element: 32 keeps float32 as it is; 8 and 4 are integer codes. */
export type KvQuantBits = 32 | 8 | 4;

/**
 * How codes are scaled: 'channel-token' — keys per channel over groups of tokens, values per
 * token (KIVI); 'tensor' — one scale and zero point for all keys and one for all values.
 */
export type KvQuantScaling = 'channel-token' | 'tensor';

export interface KvQuantShape {
  /** Key/value heads (one decode query each). */
  heads: number;
  tokens: number;
  headDim: number;
  /** Tokens per key group (keys are scaled per channel over this many tokens). */
  groupTokens: number;
}

export interface KvQuantScheme {
  bits: KvQuantBits;
  scaling: KvQuantScaling;
}

/** Word offsets of WGSL `struct Params` in kv-quant.wgsl.ts and quant-attention.wgsl.ts. */
const KvQuantParamsLayout = { heads: 0, tokens: 1, metaWords: 2, words: 4 } as const;

/** u32 words of one token's packed channels. */
export function codeWords(bits: KvQuantBits, headDim: number): number {
  return Math.ceil(headDim / (32 / bits));
}

/** Words of key metadata ([heads][groups][headDim]) and value metadata ([heads][tokens]); none at 32 bits. */
export function metaWords(bits: KvQuantBits, shape: KvQuantShape): { keys: number; values: number } {
  if (bits === 32) return { keys: 0, values: 0 };
  return { keys: shape.heads * Math.ceil(shape.tokens / shape.groupTokens) * shape.headDim, values: shape.heads * shape.tokens };
}

/** A quantised (or float32) KV-cache on the device. */
export interface QuantizedKv {
  scheme: KvQuantScheme;
  shape: KvQuantShape;
  keyCodes: GPUBuffer;
  valueCodes: GPUBuffer;
  /** Absent at 32 bits. */
  keyMeta: GPUBuffer | null;
  valueMeta: GPUBuffer | null;
  /** Bytes of the cache's buffers as the device accepted them (a DeviceMemoryTracker around their creation). */
  allocatedBytes: number;
  dispose(): void;
}

function checkShape(shape: KvQuantShape): void {
  for (const key of ['heads', 'tokens', 'headDim', 'groupTokens'] as const) {
    if (!Number.isInteger(shape[key]) || shape[key] < 1) throw new Error(`KvQuant: ${key} must be a positive integer, got ${shape[key]}`);
  }
}

function params(device: GPUDevice, shape: KvQuantShape, meta = 0): GPUBuffer {
  const words = new Uint32Array(KvQuantParamsLayout.words);
  words[KvQuantParamsLayout.heads] = shape.heads;
  words[KvQuantParamsLayout.tokens] = shape.tokens;
  words[KvQuantParamsLayout.metaWords] = meta;
  return uniformBuffer(device, 'KvQuant.params', words.buffer);
}

/**
 * Quantises keys and values ([heads][tokens][headDim] float32) on the device with `scheme`: the
 * ranges (per key channel and group, per value token, or one per tensor for 'tensor'), then the
 * packed codes. Only the cache's buffers stay; `allocatedBytes` is what the device holds for them.
 */
export async function quantizeKv(engine: EngineContext, keys: Float32Array, values: Float32Array, shape: KvQuantShape, scheme: KvQuantScheme): Promise<QuantizedKv> {
  checkShape(shape);
  const count = shape.heads * shape.tokens * shape.headDim;
  if (keys.length !== count || values.length !== count) throw new Error(`KvQuant: keys and values must hold ${count} values`);
  const { device } = engine;
  const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
  const words = codeWords(scheme.bits, shape.headDim);
  const meta = metaWords(scheme.bits, shape);
  const codeBytes = shape.heads * shape.tokens * words * 4;
  const { value: cache, memory } = await DeviceMemoryTracker.measure(device, async () => ({
    keyCodes: device.createBuffer({ label: 'KvQuant.cache.keyCodes', size: codeBytes, usage }),
    valueCodes: device.createBuffer({ label: 'KvQuant.cache.valueCodes', size: codeBytes, usage }),
    keyMeta: meta.keys ? device.createBuffer({ label: 'KvQuant.cache.keyMeta', size: meta.keys * 4, usage }) : null,
    valueMeta: meta.values ? device.createBuffer({ label: 'KvQuant.cache.valueMeta', size: meta.values * 4, usage }) : null,
  }));
  const dispose = () => {
    for (const buffer of [cache.keyCodes, cache.valueCodes, cache.keyMeta, cache.valueMeta]) buffer?.destroy();
  };
  if (memory.refusals.length) {
    dispose();
    throw new Error(`KvQuant: the device refused ${memory.refusals[0].attempted}: ${memory.refusals[0].message}`);
  }
  const meter = new MemoryMeter(device);
  try {
    const constants = { BITS: scheme.bits, HEAD_DIM: shape.headDim, GROUP: shape.groupTokens };
    const placeholder = meter.createBuffer('KvQuant.noMeta', 4);
    const encoder = device.createCommandEncoder({ label: 'KvQuant.quantize' });
    const uniforms: GPUBuffer[] = [];
    const dispatch = (entry: string, source: GPUBuffer, metaBuffer: GPUBuffer, codes: GPUBuffer | null, groups: number, metaCount = 0) => {
      const pipeline = computePipeline(device, `KvQuant.${entry}`, kvQuantWgsl, constants, entry);
      const uniform = params(device, shape, metaCount);
      uniforms.push(uniform);
      const bindGroup = device.createBindGroup({
        label: `KvQuant.${entry}.bindGroup`,
        layout: pipeline.getBindGroupLayout(0),
        entries: [
          { binding: 0, resource: { buffer: uniform } }, // params
          { binding: 1, resource: { buffer: source } }, // source
          { binding: 2, resource: { buffer: metaBuffer } }, // ranges
          ...(codes ? [{ binding: 3, resource: { buffer: codes } }] : []), // codes
        ],
      });
      const pass = encoder.beginComputePass({ label: `KvQuant.${entry}` });
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bindGroup);
      pass.dispatchWorkgroups(groups);
      pass.end();
    };
    const keySource = meter.upload('KvQuant.keysFloat32', keys);
    const valueSource = meter.upload('KvQuant.valuesFloat32', values);
    const over = (n: number) => Math.ceil(n / 64);
    if (scheme.bits !== 32) {
      if (scheme.scaling === 'tensor') {
        dispatch('tensorRange', keySource, cache.keyMeta!, null, 1, meta.keys);
        dispatch('tensorRange', valueSource, cache.valueMeta!, null, 1, meta.values);
      } else {
        dispatch('keyRanges', keySource, cache.keyMeta!, null, over(meta.keys));
        dispatch('valueRanges', valueSource, cache.valueMeta!, null, over(meta.values));
      }
    }
    dispatch('packKeys', keySource, cache.keyMeta ?? placeholder, cache.keyCodes, over(shape.heads * shape.tokens * words));
    dispatch('packValues', valueSource, cache.valueMeta ?? placeholder, cache.valueCodes, over(shape.heads * shape.tokens * words));
    device.queue.submit([encoder.finish()]);
    await device.queue.onSubmittedWorkDone();
    for (const uniform of uniforms) uniform.destroy();
  } catch (error) {
    dispose();
    throw error;
  } finally {
    meter.destroyAll();
  }
  return { scheme, shape, ...cache, allocatedBytes: memory.liveBytes, dispose };
}

/** The cache's codes and metadata as the device holds them (for checks against the reference). */
export async function readQuantizedKv(engine: EngineContext, kv: QuantizedKv): Promise<{ keyCodes: Uint32Array; valueCodes: Uint32Array; keyMeta: Uint32Array; valueMeta: Uint32Array }> {
  const words = async (buffer: GPUBuffer | null) => (buffer ? new Uint32Array((await readFloat32(engine, buffer)).buffer) : new Uint32Array(0));
  return { keyCodes: await words(kv.keyCodes), valueCodes: await words(kv.valueCodes), keyMeta: await words(kv.keyMeta), valueMeta: await words(kv.valueMeta) };
}

/**
 * One decode step's attention — a query per head ([heads][headDim]) over the whole cache — read
 * straight from the quantised cache (quant-attention.wgsl.ts). Returns [heads][headDim]; with
 * `timing`, also the kernel's time (warm-up, ≥ 5 repeats).
 */
export async function quantizedDecodeAttention(engine: EngineContext, kv: QuantizedKv, query: Float32Array, options: { timing?: TimingOptions } = {}): Promise<{ out: Float32Array; timing: GpuTiming | null }> {
  const { shape, scheme } = kv;
  if (query.length !== shape.heads * shape.headDim) throw new Error(`KvQuant: the query must hold ${shape.heads * shape.headDim} values`);
  const { device } = engine;
  const meter = new MemoryMeter(device);
  const uniform = params(device, shape);
  try {
    const pipeline = computePipeline(device, 'KvQuant.attention', quantAttentionWgsl, { BITS: scheme.bits, HEAD_DIM: shape.headDim, GROUP: shape.groupTokens, SCALE: 1 / Math.sqrt(shape.headDim) });
    const q = meter.upload('KvQuant.query', query);
    const placeholder = meter.createBuffer('KvQuant.noMeta', 4);
    const scores = meter.createBuffer('KvQuant.scores', shape.heads * shape.tokens * 4);
    const out = meter.createBuffer('KvQuant.out', shape.heads * shape.headDim * 4);
    const bindGroup = device.createBindGroup({
      label: 'KvQuant.attention.bindGroup',
      layout: pipeline.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: uniform } }, // params
        { binding: 1, resource: { buffer: q } }, // q
        { binding: 2, resource: { buffer: kv.keyCodes } }, // keyCodes
        { binding: 3, resource: { buffer: kv.keyMeta ?? placeholder } }, // keyMeta
        { binding: 4, resource: { buffer: kv.valueCodes } }, // valueCodes
        { binding: 5, resource: { buffer: kv.valueMeta ?? placeholder } }, // valueMeta
        { binding: 6, resource: { buffer: scores } }, // scores
        { binding: 7, resource: { buffer: out } }, // out
      ],
    });
    const encode = (encoder: GPUCommandEncoder) => {
      const pass = encoder.beginComputePass({ label: 'KvQuant.attention' });
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bindGroup);
      pass.dispatchWorkgroups(shape.heads);
      pass.end();
    };
    const timing = options.timing ? await timeGpu(engine, encode, options.timing) : null;
    const encoder = device.createCommandEncoder({ label: 'KvQuant.attention.run' });
    encode(encoder);
    device.queue.submit([encoder.finish()]);
    return { out: await readFloat32(engine, out), timing };
  } finally {
    uniform.destroy();
    meter.destroyAll();
  }
}

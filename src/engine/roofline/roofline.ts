import type { EngineContext } from '../device-info';
import { measureGemmGflops } from '../gemm/Gemm';
import { computePipeline, uniformBuffer } from '../pipelines';
import { timeGpu, type GpuTiming } from '../timing';
import { fmaChainWgsl, streamCopyWgsl } from './roofline.wgsl';

/** Word offsets of WGSL `struct Params` in roofline.wgsl.ts. */
const RooflineParamsLayout = { count: 0, stride: 1, iterations: 2, words: 4 } as const;

const WORKGROUP = 256;
/** FLOPs of one FMA-chain step of one invocation: 4 vec4 fma = 16 multiply-adds. */
const FLOPS_PER_STEP = 32;

/** The device's measured roofs, in the units a roofline chart uses. */
export interface DeviceRoofline {
  /** Achieved memory bandwidth of a stream copy: bytes read + written per second, in GB/s (10⁹). */
  bandwidthGBs: number;
  /** Achieved FP32 throughput of an FMA chain, GFLOP/s. */
  computeGflops: number;
  /** The engine's own GEMM, GFLOP/s (its size: `gemmSize`³). */
  gemmGflops: number;
  gemmSize: number;
  copyBytes: number;
  /** Every timed sample (ms) behind each figure. */
  samples: { copyMs: number[]; fmaMs: number[]; gemmMs: number[] };
  /** 'stored': taken from an earlier run on the same adapter (its samples are not kept). */
  method: GpuTiming['method'] | 'stored';
  /** The adapter it was measured on. */
  device: string;
  /** When it was measured (ms since the epoch). */
  measuredAt: number;
}

/** What a run keeps of a roofline so that the next engine on the same adapter need not measure it again. */
export type StoredRoofline = Pick<DeviceRoofline, 'device' | 'bandwidthGBs' | 'computeGflops' | 'gemmGflops' | 'measuredAt'>;

/** Sizes: big enough to leave the caches on a GPU, small enough to take a second on a software one. */
function sizes(engine: EngineContext): { copyBytes: number; fmaInvocations: number; fmaIterations: number; gemm: number } {
  const limit = Math.min(engine.info.limits.maxStorageBufferBindingSize, engine.info.limits.maxBufferSize);
  if (engine.info.isFallback) return { copyBytes: Math.min(limit, 32 * 2 ** 20), fmaInvocations: 64 * WORKGROUP, fmaIterations: 512, gemm: 384 };
  return { copyBytes: Math.min(limit, 512 * 2 ** 20), fmaInvocations: 8192 * WORKGROUP, fmaIterations: 4096, gemm: 2048 };
}

async function timeKernel(engine: EngineContext, label: string, code: string, bindings: { count: number; iterations: number; source: GPUBuffer; target: GPUBuffer }, groups: number): Promise<GpuTiming> {
  const { device } = engine;
  const pipeline = computePipeline(device, label, code, { WORKGROUP });
  const words = new Uint32Array(RooflineParamsLayout.words);
  words[RooflineParamsLayout.count] = bindings.count;
  words[RooflineParamsLayout.stride] = groups * WORKGROUP;
  words[RooflineParamsLayout.iterations] = bindings.iterations;
  const params = uniformBuffer(device, `${label}.params`, words.buffer);
  try {
    const bindGroup = device.createBindGroup({
      label: `${label}.bindGroup`,
      layout: pipeline.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: params } }, // params
        { binding: 1, resource: { buffer: bindings.source } }, // source
        { binding: 2, resource: { buffer: bindings.target } }, // destination
      ],
    });
    return await timeGpu(engine, (encoder) => {
      const pass = encoder.beginComputePass({ label });
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bindGroup);
      pass.dispatchWorkgroups(groups);
      pass.end();
    });
  } finally {
    params.destroy();
  }
}

const measured = new WeakMap<GPUDevice, Promise<DeviceRoofline>>();

/**
 * Measures the device's roofs: stream-copy bandwidth, FMA throughput and the GEMM (each a median of
 * at least 5 timed repeats after a warm-up). Measured once per device and kept for its lifetime
 * (see `keepRoofline` for a roofline measured by an earlier engine on the same adapter).
 */
export function deviceRoofline(engine: EngineContext): Promise<DeviceRoofline> {
  const cached = measured.get(engine.device);
  if (cached) return cached;
  const promise = measureRoofline(engine);
  measured.set(engine.device, promise);
  promise.catch(() => measured.delete(engine.device));
  return promise;
}

/** Uses `stored` as this device's roofline when it was measured on the same adapter; ignores it otherwise. */
export function keepRoofline(engine: EngineContext, stored: StoredRoofline | null | undefined): void {
  if (!stored || stored.device !== engine.info.name || measured.has(engine.device)) return;
  const gemmSize = engine.info.isFallback ? 384 : 2048;
  measured.set(engine.device, Promise.resolve({ ...stored, gemmSize, copyBytes: 0, samples: { copyMs: [], fmaMs: [], gemmMs: [] }, method: 'stored' }));
}

async function measureRoofline(engine: EngineContext): Promise<DeviceRoofline> {
  const { device } = engine;
  const size = sizes(engine);
  const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC;
  const source = device.createBuffer({ label: 'Roofline.source', size: size.copyBytes, usage });
  const target = device.createBuffer({ label: 'Roofline.target', size: size.copyBytes, usage });
  try {
    const vec4s = size.copyBytes / 16;
    const copyGroups = Math.min(device.limits.maxComputeWorkgroupsPerDimension, Math.ceil(vec4s / WORKGROUP / 4));
    const copy = await timeKernel(engine, 'Roofline.streamCopy', streamCopyWgsl, { count: vec4s, iterations: 0, source, target }, copyGroups);
    const fmaGroups = size.fmaInvocations / WORKGROUP;
    const fma = await timeKernel(engine, 'Roofline.fmaChain', fmaChainWgsl, { count: Math.min(vec4s, size.fmaInvocations), iterations: size.fmaIterations, source, target }, fmaGroups);
    const gemm = await measureGemmGflops(engine, { m: size.gemm, n: size.gemm, k: size.gemm }, { repeats: 5 });
    return {
      bandwidthGBs: (2 * size.copyBytes) / (copy.medianMs * 1e6),
      computeGflops: (size.fmaInvocations * size.fmaIterations * FLOPS_PER_STEP) / (fma.medianMs * 1e6),
      gemmGflops: gemm.gflops,
      gemmSize: size.gemm,
      copyBytes: size.copyBytes,
      samples: { copyMs: copy.samplesMs, fmaMs: fma.samplesMs, gemmMs: gemm.samplesMs },
      method: copy.method,
      device: engine.info.name,
      measuredAt: Date.now(),
    };
  } finally {
    source.destroy();
    target.destroy();
  }
}

/** Where a pass of `flops` FLOPs moving `bytes` bytes (both from the algorithm) sits, given its measured time. */
export function placeOnRoofline(roofline: Pick<DeviceRoofline, 'bandwidthGBs' | 'computeGflops'>, pass: { flops: number; bytes: number; ms: number }) {
  const intensity = pass.flops / pass.bytes;
  const gflops = pass.flops / (pass.ms * 1e6);
  const gbs = pass.bytes / (pass.ms * 1e6);
  const memoryRoof = roofline.bandwidthGBs * intensity;
  const bound: 'memory' | 'compute' = memoryRoof < roofline.computeGflops ? 'memory' : 'compute';
  const roof = Math.min(memoryRoof, roofline.computeGflops);
  return { intensity, gflops, gbs, ms: pass.ms, bound, roofShare: gflops / roof };
}

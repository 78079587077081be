import type { EngineContext } from '../device-info';
import { computePipeline, uniformBuffer } from '../pipelines';
import { fmaChainWgsl } from '../roofline/roofline.wgsl';
import { timeGpu, type GpuTiming, type TimingOptions } from '../timing';

const WORKGROUP = 256;
/** Word offsets of the FMA kernel's `struct Params` (roofline.wgsl.ts). */
const Params = { count: 0, stride: 1, iterations: 2, words: 4 } as const;

/** The same compute-bound work timed in `fewGroups` workgroups and spread over `manyGroups`. */
export interface ParallelSpeedup {
  fewGroups: number;
  manyGroups: number;
  /** Timed repeats of each (ms). */
  fewMs: number[];
  manyMs: number[];
  method: GpuTiming['method'];
}

/**
 * How much faster this device runs a fixed amount of compute when it is spread over
 * `manyGroups` workgroups instead of `fewGroups` (an FMA chain, each workgroup 256 invocations,
 * the per-invocation iterations scaled so the total FLOPs are equal). A GPU with idle compute
 * units runs the many workgroups side by side (≈ manyGroups / fewGroups faster, up to its unit
 * count); a software GPU whose few cores the few workgroups already occupy does not. This is what
 * decides whether splitting attention into more workgroups (flash-decoding) can pay on the device.
 */
export async function measureParallelSpeedup(engine: EngineContext, fewGroups: number, manyGroups: number, timing: TimingOptions = {}): Promise<ParallelSpeedup> {
  if (!Number.isInteger(fewGroups) || fewGroups < 1 || !Number.isInteger(manyGroups) || manyGroups % fewGroups !== 0) {
    throw new Error(`measureParallelSpeedup: manyGroups (${manyGroups}) must be a multiple of fewGroups (${fewGroups})`);
  }
  const { device } = engine;
  // Workgroups × iterations; each step of a workgroup is 256 invocations × 32 FLOPs. 2¹² ≈ 34 MFLOP
  // (≈ 40 ms on the software GPU here); 2¹⁹ ≈ 4 GFLOP (milliseconds on a data-centre GPU).
  const groupSteps = engine.info.isFallback ? 2 ** 12 : 2 ** 19;
  const manyIterations = Math.max(1, Math.round(groupSteps / manyGroups));
  const fewIterations = manyIterations * (manyGroups / fewGroups);
  const pipeline = computePipeline(device, 'Parallelism.fmaChain', fmaChainWgsl, { WORKGROUP });
  const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC;
  const source = device.createBuffer({ label: 'Parallelism.source', size: WORKGROUP * 16, usage });
  const target = device.createBuffer({ label: 'Parallelism.target', size: manyGroups * WORKGROUP * 16, usage });
  const params: GPUBuffer[] = [];
  const time = async (groups: number, iterations: number) => {
    const words = new Uint32Array(Params.words);
    words[Params.count] = WORKGROUP;
    words[Params.stride] = groups * WORKGROUP;
    words[Params.iterations] = iterations;
    const uniform = uniformBuffer(device, `Parallelism.params${groups}`, words.buffer);
    params.push(uniform);
    const bindGroup = device.createBindGroup({
      label: `Parallelism.bindGroup${groups}`,
      layout: pipeline.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: uniform } }, // params
        { binding: 1, resource: { buffer: source } }, // source
        { binding: 2, resource: { buffer: target } }, // destination
      ],
    });
    return timeGpu(engine, (encoder) => {
      const pass = encoder.beginComputePass({ label: `Parallelism.${groups}groups` });
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bindGroup);
      pass.dispatchWorkgroups(groups);
      pass.end();
    }, timing);
  };
  try {
    const few = await time(fewGroups, fewIterations);
    const many = await time(manyGroups, manyIterations);
    return { fewGroups, manyGroups, fewMs: few.samplesMs, manyMs: many.samplesMs, method: few.method === many.method ? few.method : 'wall' };
  } finally {
    for (const buffer of [source, target, ...params]) buffer.destroy();
  }
}

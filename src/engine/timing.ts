import type { EngineContext } from './device-info';
import { assertDeviceHealthy } from './gpu';

export interface GpuTiming {
  /** Median over the repeats, in milliseconds. */
  medianMs: number;
  samplesMs: number[];
  /** 'timestamp': GPU timestamps around the work; 'wall': wall clock around submit → onSubmittedWorkDone. */
  method: 'timestamp' | 'wall';
}

export interface TimingOptions {
  /** Untimed runs first (compilation, caches); at least 1. */
  warmup?: number;
  /** Timed runs; never fewer than MIN_REPEATS, so every median has a spread and a test behind it. */
  repeats?: number;
}

/** The fewest timed repeats of any measurement: 5 a side is what a rank test needs to decide at p < 0.05. */
export const MIN_REPEATS = 5;

/** Median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Times the work `encode` records: after `warmup` (≥ 1) untimed runs, each of `repeats` (≥ 5) runs is one
 * submit. With `timestamp-query` the GPU writes a timestamp in an empty pass before and after the
 * work (so the figure excludes submit and readback overhead); otherwise the wall clock runs from
 * submit to `onSubmittedWorkDone`. Returns the median and every sample.
 */
export async function timeGpu(engine: EngineContext, encode: (encoder: GPUCommandEncoder) => void, options: TimingOptions = {}): Promise<GpuTiming> {
  const { device, info } = engine;
  const warmup = Math.max(1, options.warmup ?? 1);
  const repeats = Math.max(MIN_REPEATS, options.repeats ?? MIN_REPEATS);
  for (let index = 0; index < warmup; index++) {
    const encoder = device.createCommandEncoder({ label: 'timeGpu.warmup' });
    encode(encoder);
    device.queue.submit([encoder.finish()]);
    await device.queue.onSubmittedWorkDone();
  }
  assertDeviceHealthy(device);

  const samplesMs: number[] = [];
  let method: GpuTiming['method'] = info.timestampQuery ? 'timestamp' : 'wall';
  const querySet = method === 'timestamp' ? device.createQuerySet({ label: 'timeGpu.queries', type: 'timestamp', count: 2 }) : null;
  const resolved = querySet ? device.createBuffer({ label: 'timeGpu.resolved', size: 16, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC }) : null;
  const staging = querySet ? device.createBuffer({ label: 'timeGpu.staging', size: 16, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST }) : null;
  try {
    for (let index = 0; index < repeats; index++) {
      const encoder = device.createCommandEncoder({ label: 'timeGpu.run' });
      if (querySet) encoder.beginComputePass({ label: 'timeGpu.start', timestampWrites: { querySet, beginningOfPassWriteIndex: 0 } }).end();
      encode(encoder);
      if (querySet && resolved && staging) {
        encoder.beginComputePass({ label: 'timeGpu.end', timestampWrites: { querySet, endOfPassWriteIndex: 1 } }).end();
        encoder.resolveQuerySet(querySet, 0, 2, resolved, 0);
        encoder.copyBufferToBuffer(resolved, 0, staging, 0, 16);
      }
      const started = performance.now();
      device.queue.submit([encoder.finish()]);
      await device.queue.onSubmittedWorkDone();
      const wallMs = performance.now() - started;
      let sample = wallMs;
      if (staging && method === 'timestamp') {
        await staging.mapAsync(GPUMapMode.READ);
        const [begin, end] = new BigUint64Array(staging.getMappedRange().slice(0));
        staging.unmap();
        const gpuMs = Number(end - begin) / 1e6;
        // Some adapters quantise or reset timestamps; a sample that is not positive cannot be a
        // duration, so the whole measurement falls back to the wall clock rather than mix methods.
        if (end > begin && Number.isFinite(gpuMs)) sample = gpuMs;
        else {
          method = 'wall';
          samplesMs.length = 0;
          index = -1;
          continue;
        }
      }
      samplesMs.push(sample);
    }
  } finally {
    querySet?.destroy();
    resolved?.destroy();
    staging?.destroy();
  }
  assertDeviceHealthy(device);
  return { medianMs: median(samplesMs), samplesMs, method };
}

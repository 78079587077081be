import type { EngineContext } from '../device-info';
import { Gemm } from '../gemm/Gemm';
import { DeviceMemoryTracker, MemoryMeter } from '../memory';
import { timeGpu, type GpuTiming, type TimingOptions } from '../timing';

export interface ProjectionShape {
  /** Tokens projected at once: 1 for one decode request, a batch, or a prompt's length. */
  rows: number;
  inFeatures: number;
  outFeatures: number;
}

export interface ProjectionTiming extends GpuTiming {
  /** The kernel the engine's GEMM ran: its GEMV for one row, the tiled GEMM otherwise. */
  kernel: Gemm['kernel'];
  /** Bytes of the activations, the weights and the output as the device accepted them (a tracker). */
  bufferBytes: number;
  /** Bytes of the weight matrix alone, as accepted. */
  weightBytes: number;
}

/**
 * Times one linear layer, y = x · W with x [rows][inFeatures] and W [inFeatures][outFeatures],
 * float32, on the engine's GEMM (which runs its GEMV at one row), after a warm-up and with ≥ 5
 * repeats. The buffers' sizes are read from a memory tracker: each is read or written at least once
 * per run, so bufferBytes / time is a lower bound of the bandwidth the projection achieved.
 */
export async function timeProjection(engine: EngineContext, shape: ProjectionShape, timing: TimingOptions = {}): Promise<ProjectionTiming> {
  const { rows, inFeatures, outFeatures } = shape;
  for (const [key, value] of Object.entries(shape)) if (!Number.isInteger(value) || value < 1) throw new Error(`timeProjection: ${key} must be a positive integer, got ${value}`);
  const meter = new MemoryMeter(engine.device);
  const fill = (count: number, salt: number) => Float32Array.from({ length: count }, (_, index) => (((index + salt) * 2654435761) % 2001) / 1000 - 1);
  try {
    const { value: buffers, memory } = await DeviceMemoryTracker.measure(engine.device, async () => ({
      a: meter.upload('Projection.activations', fill(rows * inFeatures, 1)),
      b: meter.upload('Projection.weights', fill(inFeatures * outFeatures, 2)),
      c: meter.createBuffer('Projection.output', rows * outFeatures * 4),
    }));
    if (memory.refusals.length) throw new Error(`timeProjection: the device refused ${memory.refusals[0].attempted}: ${memory.refusals[0].message}`);
    const gemm = new Gemm(engine, { m: rows, n: outFeatures, k: inFeatures });
    try {
      const result = await timeGpu(engine, (encoder) => gemm.encode(encoder, buffers), timing);
      const weightBytes = memory.allocations.find((a) => a.label === 'Projection.weights')?.size ?? 0;
      return { ...result, kernel: gemm.kernel, bufferBytes: memory.liveBytes, weightBytes };
    } finally {
      gemm.dispose();
    }
  } finally {
    meter.destroyAll();
  }
}

import type { DeviceInfo, EngineContext } from '../device-info';
import { MemoryMeter } from '../memory';
import { readFloat32, submitAndWait } from '../readback';
import { timeGpu, type GpuTiming, type TimingOptions } from '../timing';
import { FlashAttention, type FlashVariant } from './FlashAttention';
import { tensorBytes } from './limits';
import type { AttentionShape } from './shape';
import { StandardAttention } from './StandardAttention';
import { flashForwardTraffic, standardForwardTraffic } from './traffic';

export type AttentionKernel = 'standard' | 'flash';

/** What one measured kernel run reports. */
export interface KernelReport {
  kernel: string;
  /** Peak bytes allocated on the device during the run (inputs, outputs and intermediates). */
  peakBytes: number;
  /** Bytes the algorithm needs beyond its inputs and outputs (standard: S and P; flash: L). */
  extraBytes: number;
  /** Global-memory traffic the algorithm implies (see traffic.ts for the formulas). */
  trafficBytes: number;
  /** Present when timing was asked for. */
  timing?: GpuTiming;
  device: DeviceInfo;
}

export interface ForwardResult extends KernelReport {
  o: Float32Array;
  lse: Float32Array;
}

/**
 * Runs one forward kernel on host inputs (layout [batchHeads][n][d]) and reads back O and L; with
 * `timing`, also times it (warm-up, median of repeats). Standard attention past the device's
 * limits throws `AppError('gpu-limit')` before allocating its N×N buffers.
 */
export async function runAttentionForward(
  engine: EngineContext,
  kernel: AttentionKernel,
  inputs: { q: Float32Array; k: Float32Array; v: Float32Array },
  shape: AttentionShape,
  options: { timing?: TimingOptions; variant?: FlashVariant } = {},
): Promise<ForwardResult> {
  const meter = new MemoryMeter(engine.device);
  let attention: StandardAttention | FlashAttention | undefined;
  try {
    // Check limits and compile before the inputs take device memory.
    attention = kernel === 'standard' ? undefined : new FlashAttention(engine, shape, { variant: options.variant });
    const buffers = {
      q: meter.upload('attention.q', inputs.q),
      k: meter.upload('attention.k', inputs.k),
      v: meter.upload('attention.v', inputs.v),
      o: meter.createBuffer('attention.o', tensorBytes(shape)),
      lse: meter.createBuffer('attention.lse', shape.batchHeads * shape.n * 4),
    };
    if (kernel === 'standard') attention = new StandardAttention(engine, shape, meter);
    const chosen = attention as StandardAttention | FlashAttention;
    const encode = (encoder: GPUCommandEncoder): void => chosen.encode(encoder, buffers);
    const timing = options.timing ? await timeGpu(engine, encode, options.timing) : undefined;
    if (!timing) await submitAndWait(engine, encode, `attention.${kernel}`);
    const o = await readFloat32(engine, buffers.o, 0, shape.batchHeads * shape.n * shape.d);
    const lse = await readFloat32(engine, buffers.lse, 0, shape.batchHeads * shape.n);
    const isFlash = chosen instanceof FlashAttention;
    return {
      kernel: isFlash ? `flash.${chosen.tiling.variant}` : 'standard',
      o,
      lse,
      peakBytes: meter.peakBytes,
      extraBytes: chosen.extraBytes,
      trafficBytes: isFlash ? flashForwardTraffic(shape, chosen.tiling.rows) : standardForwardTraffic(shape),
      timing,
      device: engine.info,
    };
  } finally {
    attention?.dispose();
    meter.destroyAll();
  }
}

import type { DeviceInfo, EngineContext } from '../device-info';
import { MemoryMeter } from '../memory';
import { readFloat32, submitAndWait } from '../readback';
import { timeGpu, type GpuTiming, type TimingOptions } from '../timing';
import { FlashAttention } from './FlashAttention';
import { packHalves, precisionBytes, type FlashPrecision } from './flashStorage.wgsl';
import type { FlashTiling, FlashVariantChoice } from './flashTiling';
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
  /** The flash configuration that ran (absent for the standard kernels). */
  flash?: FlashTiling;
}

/** Options of a flash run: the variant ('auto' picks by the adapter) and the storage precision of the inputs. */
export interface FlashRunOptions {
  variant?: FlashVariantChoice;
  precision?: FlashPrecision;
}

/** Uploads an input tensor as a flash pass of `precision` reads it (f16: packed halves). */
export function uploadFlashInput(meter: MemoryMeter, label: string, data: Float32Array, precision: FlashPrecision): GPUBuffer {
  return meter.upload(label, precision === 'f16' ? packHalves(data) : data);
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
  options: { timing?: TimingOptions } & FlashRunOptions = {},
): Promise<ForwardResult> {
  const meter = new MemoryMeter(engine.device);
  let attention: StandardAttention | FlashAttention | undefined;
  const precision = options.precision ?? 'f32';
  if (kernel === 'standard' && (precision !== 'f32' || options.variant !== undefined)) throw new Error('standard attention runs in float32 only and has no variants');
  try {
    // Check limits and compile before the inputs take device memory.
    attention = kernel === 'standard' ? undefined : new FlashAttention(engine, shape, { variant: options.variant, precision });
    const buffers = {
      q: uploadFlashInput(meter, 'attention.q', inputs.q, precision),
      k: uploadFlashInput(meter, 'attention.k', inputs.k, precision),
      v: uploadFlashInput(meter, 'attention.v', inputs.v, precision),
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
      kernel: isFlash ? `flash.${chosen.tiling.variant}.${chosen.tiling.precision}` : 'standard',
      o,
      lse,
      peakBytes: meter.peakBytes,
      extraBytes: chosen.extraBytes,
      trafficBytes: isFlash ? flashForwardTraffic(shape, chosen.tiling.rowsPerWorkgroup, precisionBytes(precision)) : standardForwardTraffic(shape),
      timing,
      device: engine.info,
      ...(isFlash ? { flash: chosen.tiling } : {}),
    };
  } finally {
    attention?.dispose();
    meter.destroyAll();
  }
}

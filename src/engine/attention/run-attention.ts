import { AppError } from '../../shared/errors';
import type { DeviceInfo, EngineContext } from '../device-info';
import { captureDeviceErrors, DeviceMemoryTracker, MemoryMeter, type DeviceRefusal } from '../memory';
import { readFloat32, submitAndWait } from '../readback';
import { timeGpu, type GpuTiming, type TimingOptions } from '../timing';
import { FlashAttention } from './FlashAttention';
import { packHalves, precisionBytes, type FlashPrecision } from './flash-storage.wgsl';
import type { FlashTiling, FlashVariantChoice } from './flash-tiling';
import { squareMatrixBytes, tensorBytes } from './limits';
import type { AttentionShape } from './shape';
import { StandardAttention, type StandardPass } from './StandardAttention';
import { flashForwardTraffic, standardForwardTraffic } from './traffic';

export type AttentionKernel = 'standard' | 'flash';

/** What one measured kernel run reports. */
export interface KernelReport {
  kernel: string;
  /**
   * Measured: the most bytes the device held at once while the kernel was set up and ran: every
   * buffer it accepted (inputs, outputs, intermediates, uniforms), read from a DeviceMemoryTracker.
   */
  peakBytes: number;
  /** Measured: `peakBytes` minus the inputs and outputs every kernel holds (Q, K, V, O as stored; for the backward also dO, dQ, dK, dV). */
  extraBytes: number;
  /** Model: the global-memory traffic the algorithm implies (traffic.ts). Never decisive. */
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
  /** Standard attention with `timePasses`: each of its three passes timed on its own. */
  passTimings?: Record<StandardPass, GpuTiming>;
}

/** The device's refusal as the error a user sees: what was attempted and the device's own words. */
export function refusedByDevice(what: string, refusal: DeviceRefusal, needed: number): AppError {
  return new AppError('gpu-limit', `The device refused ${what}: ${refusal.message}`, { needed, deviceMessage: refusal.message, attempted: refusal.attempted });
}

/**
 * Runs one forward kernel on host inputs (layout [batchHeads][n][d]) and reads back O and L; with
 * `timing`, also times it (warm-up, median of repeats). Nothing is checked in advance: every buffer
 * and binding is asked of the device, and where the device refuses (standard attention's N×N
 * buffers past its limits) the refusal is captured and thrown as `AppError('gpu-limit')` with the
 * device's message. Memory figures are the device's accepted allocations, tracked.
 */
export async function runAttentionForward(
  engine: EngineContext,
  kernel: AttentionKernel,
  inputs: { q: Float32Array; k: Float32Array; v: Float32Array },
  shape: AttentionShape,
  options: { timing?: TimingOptions; timePasses?: boolean; approximate?: 'no-rescale' } & FlashRunOptions = {},
): Promise<ForwardResult> {
  const precision = options.precision ?? 'f32';
  if (kernel === 'standard' && (precision !== 'f32' || options.variant !== undefined)) throw new Error('standard attention runs in float32 only and has no variants');
  const meter = new MemoryMeter(engine.device);
  const tracker = DeviceMemoryTracker.install(engine.device);
  let attention: StandardAttention | FlashAttention | undefined;
  try {
    const attempt = await captureDeviceErrors(engine.device, `${kernel} attention at N=${shape.n}`, () => {
      const buffers = {
        q: uploadFlashInput(meter, 'attention.q', inputs.q, precision),
        k: uploadFlashInput(meter, 'attention.k', inputs.k, precision),
        v: uploadFlashInput(meter, 'attention.v', inputs.v, precision),
        o: meter.createBuffer('attention.o', tensorBytes(shape)),
        lse: meter.createBuffer('attention.lse', shape.batchHeads * shape.n * 4),
      };
      attention = kernel === 'standard' ? new StandardAttention(engine, shape, meter) : new FlashAttention(engine, shape, { variant: options.variant, precision, approximate: options.approximate });
      attention.prepare(buffers);
      return buffers;
    });
    if (attempt.refusal || !attempt.value || !attention) {
      const needed = kernel === 'standard' ? squareMatrixBytes(shape) : tensorBytes(shape);
      throw refusedByDevice(`${kernel} attention at N=${shape.n} (batch×heads=${shape.batchHeads})`, attempt.refusal ?? { kind: 'internal', message: 'no buffers', attempted: 'setup' }, needed);
    }
    const buffers = attempt.value;
    const chosen: StandardAttention | FlashAttention = attention;
    const encode = (encoder: GPUCommandEncoder): void => chosen.encode(encoder, buffers);
    const timing = options.timing ? await timeGpu(engine, encode, options.timing) : undefined;
    if (!timing) await submitAndWait(engine, encode, `attention.${kernel}`);
    let passTimings: ForwardResult['passTimings'];
    if (options.timePasses && chosen instanceof StandardAttention) {
      const time = (pass: StandardPass) => timeGpu(engine, (encoder) => chosen.encodePass(encoder, buffers, pass), options.timing);
      passTimings = { scores: await time('scores'), softmax: await time('softmax'), output: await time('output') };
    }
    // Memory is read before the readback, whose staging buffers are not the kernel's.
    const memory = await tracker.report();
    const o = await readFloat32(engine, buffers.o, 0, shape.batchHeads * shape.n * shape.d);
    const lse = await readFloat32(engine, buffers.lse, 0, shape.batchHeads * shape.n);
    const isFlash = chosen instanceof FlashAttention;
    const ioBytes = buffers.q.size + buffers.k.size + buffers.v.size + buffers.o.size;
    return {
      kernel: isFlash ? `flash.${chosen.tiling.variant}.${chosen.tiling.precision}${options.approximate ? `.${options.approximate}` : ''}` : 'standard',
      o,
      lse,
      peakBytes: memory.peakBytes,
      extraBytes: memory.peakBytes - ioBytes,
      trafficBytes: isFlash ? flashForwardTraffic(shape, chosen.tiling.rowsPerWorkgroup, precisionBytes(precision)) : standardForwardTraffic(shape),
      timing,
      passTimings,
      device: engine.info,
      ...(isFlash ? { flash: chosen.tiling } : {}),
    };
  } finally {
    tracker.stop();
    attention?.dispose();
    meter.destroyAll();
  }
}

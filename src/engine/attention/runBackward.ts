import type { EngineContext } from '../device-info';
import { MemoryMeter } from '../memory';
import { readFloat32, submitAndWait } from '../readback';
import { timeGpu, type TimingOptions } from '../timing';
import { FlashAttention } from './FlashAttention';
import { FlashAttentionBackward } from './FlashAttentionBackward';
import { precisionBytes } from './flashStorage.wgsl';
import { tensorBytes } from './limits';
import { uploadFlashInput, type AttentionKernel, type FlashRunOptions, type KernelReport } from './runAttention';
import type { AttentionShape } from './shape';
import { StandardAttention } from './StandardAttention';
import { StandardAttentionBackward } from './StandardAttentionBackward';
import { flashBackwardTraffic, standardBackwardTraffic } from './traffic';

export interface BackwardResult extends KernelReport {
  dq: Float32Array;
  dk: Float32Array;
  dv: Float32Array;
}

/**
 * Runs the forward kernel of the same family (flash: O and L; standard: P kept), then the backward
 * pass, and reads back dQ, dK, dV. With `timing`, only the backward pass is timed. Peak bytes
 * cover the whole run: what training would hold between the two passes.
 */
export async function runAttentionBackward(
  engine: EngineContext,
  kernel: AttentionKernel,
  inputs: { q: Float32Array; k: Float32Array; v: Float32Array; dO: Float32Array },
  shape: AttentionShape,
  options: { timing?: TimingOptions } & FlashRunOptions = {},
): Promise<BackwardResult> {
  const meter = new MemoryMeter(engine.device);
  const disposers: (() => void)[] = [];
  const precision = options.precision ?? 'f32';
  if (kernel === 'standard' && (precision !== 'f32' || options.variant !== undefined)) throw new Error('standard attention runs in float32 only and has no variants');
  try {
    const bytes = tensorBytes(shape);
    const buffers = {
      q: uploadFlashInput(meter, 'attention.q', inputs.q, precision),
      k: uploadFlashInput(meter, 'attention.k', inputs.k, precision),
      v: uploadFlashInput(meter, 'attention.v', inputs.v, precision),
      dO: uploadFlashInput(meter, 'attention.dO', inputs.dO, precision),
      o: meter.createBuffer('attention.o', bytes),
      lse: meter.createBuffer('attention.lse', shape.batchHeads * shape.n * 4),
      dQ: meter.createBuffer('attention.dQ', bytes),
      dK: meter.createBuffer('attention.dK', bytes),
      dV: meter.createBuffer('attention.dV', bytes),
    };
    let encodeBackward: (encoder: GPUCommandEncoder) => void;
    let extraBytes: number;
    let trafficBytes: number;
    let flash: KernelReport['flash'];
    if (kernel === 'flash') {
      const forward = new FlashAttention(engine, shape, { variant: options.variant, precision });
      disposers.push(() => forward.dispose());
      await submitAndWait(engine, (encoder) => forward.encode(encoder, buffers), 'attention.flashForward');
      const backward = new FlashAttentionBackward(engine, shape, meter, { variant: options.variant, precision });
      disposers.push(() => backward.dispose());
      encodeBackward = (encoder) => backward.encode(encoder, buffers);
      extraBytes = forward.extraBytes + backward.extraBytes;
      trafficBytes = flashBackwardTraffic(shape, backward.tiling.rowsPerWorkgroup, precisionBytes(precision));
      flash = backward.tiling;
    } else {
      const forward = new StandardAttention(engine, shape, meter);
      disposers.push(() => forward.dispose());
      await submitAndWait(engine, (encoder) => forward.encode(encoder, buffers), 'attention.standardForward');
      const backward = new StandardAttentionBackward(engine, shape, meter);
      disposers.push(() => backward.dispose());
      encodeBackward = (encoder) => backward.encode(encoder, forward.probabilities, buffers);
      // S, P (forward) and dP/dS (backward) are held at once.
      extraBytes = forward.extraBytes + backward.extraBytes / 2;
      trafficBytes = standardBackwardTraffic(shape);
    }
    const timing = options.timing ? await timeGpu(engine, encodeBackward, options.timing) : undefined;
    if (!timing) await submitAndWait(engine, encodeBackward, `attention.${kernel}Backward`);
    const count = shape.batchHeads * shape.n * shape.d;
    return {
      kernel: flash ? `flash.${flash.variant}.${flash.precision}.backward` : `${kernel}.backward`,
      dq: await readFloat32(engine, buffers.dQ, 0, count),
      dk: await readFloat32(engine, buffers.dK, 0, count),
      dv: await readFloat32(engine, buffers.dV, 0, count),
      peakBytes: meter.peakBytes,
      extraBytes,
      trafficBytes,
      timing,
      device: engine.info,
      ...(flash ? { flash } : {}),
    };
  } finally {
    for (const dispose of disposers.reverse()) dispose();
    meter.destroyAll();
  }
}

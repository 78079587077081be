import type { EngineContext } from '../device-info';
import { captureDeviceErrors, DeviceMemoryTracker, MemoryMeter } from '../memory';
import { readFloat32, submitAndWait } from '../readback';
import { timeGpu, type TimingOptions } from '../timing';
import { FlashAttention } from './FlashAttention';
import { FlashAttentionBackward } from './FlashAttentionBackward';
import { squareMatrixBytes, tensorBytes } from './limits';
import { precisionBytes } from './flash-storage.wgsl';
import { refusedByDevice, uploadFlashInput, type AttentionKernel, type FlashRunOptions, type KernelReport } from './run-attention';
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
 * pass, and reads back dQ, dK, dV. With `timing`, only the backward pass is timed. Peak bytes are
 * the device's accepted allocations over the whole run (tracked): what training would hold between
 * the two passes. A refusal is the device's own (captured), never predicted.
 */
export async function runAttentionBackward(
  engine: EngineContext,
  kernel: AttentionKernel,
  inputs: { q: Float32Array; k: Float32Array; v: Float32Array; dO: Float32Array },
  shape: AttentionShape,
  options: { timing?: TimingOptions } & FlashRunOptions = {},
): Promise<BackwardResult> {
  const precision = options.precision ?? 'f32';
  if (kernel === 'standard' && (precision !== 'f32' || options.variant !== undefined)) throw new Error('standard attention runs in float32 only and has no variants');
  const meter = new MemoryMeter(engine.device);
  const tracker = DeviceMemoryTracker.install(engine.device);
  const disposers: (() => void)[] = [];
  try {
    const bytes = tensorBytes(shape);
    const setup = await captureDeviceErrors(engine.device, `${kernel} attention backward at N=${shape.n}`, () => {
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
      if (kernel === 'flash') {
        const forward = new FlashAttention(engine, shape, { variant: options.variant, precision });
        disposers.push(() => forward.dispose());
        forward.prepare(buffers);
        const backward = new FlashAttentionBackward(engine, shape, meter, { variant: options.variant, precision });
        disposers.push(() => backward.dispose());
        return {
          buffers,
          forward: (encoder: GPUCommandEncoder) => forward.encode(encoder, buffers),
          backward: (encoder: GPUCommandEncoder) => backward.encode(encoder, buffers),
          trafficBytes: flashBackwardTraffic(shape, backward.tiling.rowsPerWorkgroup, precisionBytes(precision)),
          flash: backward.tiling,
        };
      }
      const forward = new StandardAttention(engine, shape, meter);
      disposers.push(() => forward.dispose());
      forward.prepare(buffers);
      const backward = new StandardAttentionBackward(engine, shape, meter);
      disposers.push(() => backward.dispose());
      return {
        buffers,
        forward: (encoder: GPUCommandEncoder) => forward.encode(encoder, buffers),
        backward: (encoder: GPUCommandEncoder) => backward.encode(encoder, forward.probabilities, buffers),
        trafficBytes: standardBackwardTraffic(shape),
        flash: undefined,
      };
    });
    if (setup.refusal || !setup.value) {
      throw refusedByDevice(`${kernel} attention backward at N=${shape.n} (batch×heads=${shape.batchHeads})`, setup.refusal ?? { kind: 'internal', message: 'no buffers', attempted: 'setup' }, kernel === 'standard' ? squareMatrixBytes(shape) : bytes);
    }
    const run = setup.value;
    await submitAndWait(engine, run.forward, `attention.${kernel}Forward`);
    // The backward's bindings are made at its first encode: a refusal there is the device's too.
    const first = await captureDeviceErrors(engine.device, `${kernel} attention backward at N=${shape.n}`, () => {
      const encoder = engine.device.createCommandEncoder({ label: `attention.${kernel}Backward` });
      run.backward(encoder);
      engine.device.queue.submit([encoder.finish()]);
    });
    if (first.refusal) throw refusedByDevice(`${kernel} attention backward at N=${shape.n}`, first.refusal, squareMatrixBytes(shape));
    await engine.device.queue.onSubmittedWorkDone();
    const timing = options.timing ? await timeGpu(engine, run.backward, options.timing) : undefined;
    const memory = await tracker.report();
    const count = shape.batchHeads * shape.n * shape.d;
    const flash = run.flash;
    const ioBytes = [run.buffers.q, run.buffers.k, run.buffers.v, run.buffers.dO, run.buffers.o, run.buffers.dQ, run.buffers.dK, run.buffers.dV].reduce((sum, b) => sum + b.size, 0);
    return {
      kernel: flash ? `flash.${flash.variant}.${flash.precision}.backward` : `${kernel}.backward`,
      dq: await readFloat32(engine, run.buffers.dQ, 0, count),
      dk: await readFloat32(engine, run.buffers.dK, 0, count),
      dv: await readFloat32(engine, run.buffers.dV, 0, count),
      peakBytes: memory.peakBytes,
      // Beyond Q, K, V, O, dO, dQ, dK, dV as stored, which every kernel holds.
      extraBytes: memory.peakBytes - ioBytes,
      trafficBytes: run.trafficBytes,
      timing,
      device: engine.info,
      ...(flash ? { flash } : {}),
    };
  } finally {
    tracker.stop();
    for (const dispose of disposers.reverse()) dispose();
    meter.destroyAll();
  }
}

import type { EngineContext } from '../device-info';
import { captureDeviceErrors, DeviceMemoryTracker, MemoryMeter, type DeviceRefusal } from '../memory';
import { readFloat32, submitAndWait } from '../readback';
import { FlashAttention } from './FlashAttention';
import { tensorBytes } from './limits';
import type { AttentionShape } from './shape';
import { StandardAttention } from './StandardAttention';
import type { AttentionKernel } from './run-attention';

/** What the device did when asked for a kernel at one size. */
export interface ProbeResult {
  kernel: AttentionKernel;
  shape: AttentionShape;
  /** The device's refusal (its own message), or null when it accepted every buffer and binding. */
  refusal: DeviceRefusal | null;
  /** Peak bytes the device accepted while setting it up (tracked). */
  peakBytes: number;
  /** Query rows of every head that were computed (flash only; 0 when nothing ran). */
  rowsRun: number;
  /** O of those rows, [batchHeads][rowsRun][d], for checking against float64. */
  o: Float32Array | null;
}

/**
 * Asks the device for a kernel at `shape`, exactly as a run would (every buffer, every binding),
 * and records whether it accepted. Flash, once accepted, is dispatched for its first `rowBlocks`
 * blocks of query rows of every head (all of them when omitted), and those rows are read back, so
 * "accepted" means it really ran there. Standard attention, if ever accepted, is not run (its N×N
 * work at that size is what this probe exists to avoid).
 */
export async function probeAttention(
  engine: EngineContext,
  kernel: AttentionKernel,
  inputs: { q: Float32Array; k: Float32Array; v: Float32Array },
  shape: AttentionShape,
  options: { rowBlocks?: number } = {},
): Promise<ProbeResult> {
  const meter = new MemoryMeter(engine.device);
  const tracker = DeviceMemoryTracker.install(engine.device);
  let attention: StandardAttention | FlashAttention | undefined;
  try {
    const attempt = await captureDeviceErrors(engine.device, `${kernel} attention at N=${shape.n}`, () => {
      const buffers = {
        q: meter.upload('attention.q', inputs.q),
        k: meter.upload('attention.k', inputs.k),
        v: meter.upload('attention.v', inputs.v),
        o: meter.createBuffer('attention.o', tensorBytes(shape)),
        lse: meter.createBuffer('attention.lse', shape.batchHeads * shape.n * 4),
      };
      attention = kernel === 'standard' ? new StandardAttention(engine, shape, meter) : new FlashAttention(engine, shape);
      attention.prepare(buffers);
      return buffers;
    });
    const peakBytes = (await tracker.report()).peakBytes;
    if (attempt.refusal || !attempt.value || !(attention instanceof FlashAttention)) {
      return { kernel, shape, refusal: attempt.refusal, peakBytes, rowsRun: 0, o: null };
    }
    const flash = attention;
    const buffers = attempt.value;
    const blocks = Math.min(Math.ceil(shape.n / flash.tiling.rowsPerWorkgroup), options.rowBlocks ?? Number.POSITIVE_INFINITY);
    await submitAndWait(engine, (encoder) => flash.encode(encoder, buffers, blocks), 'attention.probe');
    const rowsRun = Math.min(shape.n, blocks * flash.tiling.rowsPerWorkgroup);
    const o = new Float32Array(shape.batchHeads * rowsRun * shape.d);
    for (let head = 0; head < shape.batchHeads; head++) {
      const part = await readFloat32(engine, buffers.o, head * shape.n * shape.d * 4, rowsRun * shape.d);
      o.set(part, head * rowsRun * shape.d);
    }
    return { kernel, shape, refusal: null, peakBytes, rowsRun, o };
  } finally {
    tracker.stop();
    attention?.dispose();
    meter.destroyAll();
  }
}

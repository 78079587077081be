import type { EngineContext } from '../device-info';
import { Gemm } from '../gemm/Gemm';
import type { MemoryMeter } from '../memory';
import { computePipeline, uniformBuffer } from '../pipelines';
import { squareMatrixBytes } from './limits';
import { assertAttentionShape, attentionScale, type AttentionShape } from './shape';
import { softmaxWgsl } from './softmax.wgsl';

/** Invocations sharing one row of the softmax. */
export const SOFTMAX_WORKGROUP_SIZE = 64;

/** Word offsets of WGSL `struct Params` in softmax.wgsl.ts. */
const SoftmaxParamsLayout = { n: 0, rows: 1, causal: 2, groupsX: 3, words: 4 } as const;

/** Buffers of one attention call, each batchHeads × n × d floats (lse: batchHeads × n). */
export interface AttentionBuffers {
  q: GPUBuffer;
  k: GPUBuffer;
  v: GPUBuffer;
  o: GPUBuffer;
  lse: GPUBuffer;
}

/** The three passes of standard attention, each timeable on its own (see `encodePass`). */
export type StandardPass = 'scores' | 'softmax' | 'output';

/**
 * Standard attention as the textbooks draw it, three passes over global memory: S = QKᵀ/√d (the
 * engine's GEMM) into an N×N buffer, a row softmax into P, O = PV (GEMM). P is kept (`probabilities`)
 * for the standard backward. Nothing is checked in advance: S and P are asked of the device, and
 * past its buffer or binding limits the device itself refuses them (see runAttentionForward, which
 * captures that refusal as `AppError('gpu-limit')` with the device's message).
 */
export class StandardAttention {
  readonly scores: GPUBuffer;
  readonly probabilities: GPUBuffer;
  private readonly scoreGemm: Gemm;
  private readonly outputGemm: Gemm;
  private readonly softmaxPipeline: GPUComputePipeline;
  private readonly softmaxParams: GPUBuffer;
  private readonly softmaxGroups: [number, number];

  constructor(private readonly engine: EngineContext, readonly shape: AttentionShape, private readonly meter: MemoryMeter) {
    assertAttentionShape(shape);
    const { batchHeads, n, d } = shape;
    this.scoreGemm = new Gemm(engine, { m: n, n, k: d, batch: batchHeads, transposeB: true, alpha: attentionScale(d) });
    this.outputGemm = new Gemm(engine, { m: n, n: d, k: n, batch: batchHeads });
    this.softmaxPipeline = computePipeline(engine.device, 'StandardAttention.softmax', softmaxWgsl, { WORKGROUP_SIZE: SOFTMAX_WORKGROUP_SIZE });
    const rows = batchHeads * n;
    const maxGroups = engine.device.limits.maxComputeWorkgroupsPerDimension;
    const groupsX = Math.min(rows, maxGroups);
    this.softmaxGroups = [groupsX, Math.ceil(rows / groupsX)];
    const words = new Uint32Array(SoftmaxParamsLayout.words);
    words[SoftmaxParamsLayout.n] = n;
    words[SoftmaxParamsLayout.rows] = rows;
    words[SoftmaxParamsLayout.causal] = shape.causal ? 1 : 0;
    words[SoftmaxParamsLayout.groupsX] = groupsX;
    this.softmaxParams = uniformBuffer(engine.device, 'StandardAttention.softmaxParams', words.buffer);
    this.scores = meter.createBuffer('StandardAttention.scores', squareMatrixBytes(shape));
    this.probabilities = meter.createBuffer('StandardAttention.probabilities', squareMatrixBytes(shape));
  }

  /** Device bytes this algorithm needs beyond its inputs and outputs: S and P, 2·B·N²·4. */
  get extraBytes(): number {
    return 2 * squareMatrixBytes(this.shape);
  }

  private softmaxBindGroup: { lse: GPUBuffer; group: GPUBindGroup } | null = null;

  /** Creates every binding of a call on `buffers` (where the device checks binding sizes). */
  prepare(buffers: AttentionBuffers): void {
    this.scoreGemm.prepare({ a: buffers.q, b: buffers.k, c: this.scores });
    this.outputGemm.prepare({ a: this.probabilities, b: buffers.v, c: buffers.o });
    this.softmaxBindings(buffers.lse);
  }

  private softmaxBindings(lse: GPUBuffer): GPUBindGroup {
    if (this.softmaxBindGroup?.lse === lse) return this.softmaxBindGroup.group;
    const group = this.engine.device.createBindGroup({
      label: 'StandardAttention.softmaxBindGroup',
      layout: this.softmaxPipeline.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: this.softmaxParams } }, // params
        { binding: 1, resource: { buffer: this.scores } }, // scores
        { binding: 2, resource: { buffer: this.probabilities } }, // probabilities
        { binding: 3, resource: { buffer: lse } }, // logSumExp
      ],
    });
    this.softmaxBindGroup = { lse, group };
    return group;
  }

  /** Records one of the three passes (to time or place each on the roofline). */
  encodePass(encoder: GPUCommandEncoder, buffers: AttentionBuffers, which: StandardPass): void {
    if (which === 'scores') this.scoreGemm.encode(encoder, { a: buffers.q, b: buffers.k, c: this.scores });
    else if (which === 'output') this.outputGemm.encode(encoder, { a: this.probabilities, b: buffers.v, c: buffers.o });
    else {
      const pass = encoder.beginComputePass({ label: 'StandardAttention.softmax' });
      pass.setPipeline(this.softmaxPipeline);
      pass.setBindGroup(0, this.softmaxBindings(buffers.lse));
      pass.dispatchWorkgroups(this.softmaxGroups[0], this.softmaxGroups[1]);
      pass.end();
    }
  }

  encode(encoder: GPUCommandEncoder, buffers: AttentionBuffers): void {
    this.encodePass(encoder, buffers, 'scores');
    this.encodePass(encoder, buffers, 'softmax');
    this.encodePass(encoder, buffers, 'output');
  }

  dispose(): void {
    this.scoreGemm.dispose();
    this.outputGemm.dispose();
    this.softmaxParams.destroy();
    this.meter.destroy(this.scores);
    this.meter.destroy(this.probabilities);
  }
}

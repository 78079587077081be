import type { EngineContext } from '../device-info';
import { Gemm } from '../gemm/Gemm';
import type { MemoryMeter } from '../memory';
import { computePipeline, uniformBuffer } from '../pipelines';
import type { AttentionGradientBuffers } from './FlashAttentionBackward';
import { squareMatrixBytes } from './limits';
import { assertAttentionShape, attentionScale, type AttentionShape } from './shape';
import { softmaxBackwardWgsl } from './softmax-backward.wgsl';
import { SOFTMAX_WORKGROUP_SIZE } from './StandardAttention';

/** Word offsets of WGSL `struct Params` in softmax-backward.wgsl.ts. */
const SoftmaxBackwardParamsLayout = { n: 0, rows: 1, groupsX: 2, words: 4 } as const;

/**
 * Standard backward from the stored P of `StandardAttention` (its `probabilities` buffer), all
 * through the engine's GEMM: dV = Pᵀ dO, dP = dO Vᵀ (an N×N buffer), dS = P∘(dP − rowsum(P∘dP))
 * in place, dQ = dS K/√d, dK = dSᵀ Q/√d.
 */
export class StandardAttentionBackward {
  private readonly gradients: GPUBuffer;
  private readonly gemms: { dV: Gemm; dP: Gemm; dQ: Gemm; dK: Gemm };
  private readonly softmaxPipeline: GPUComputePipeline;
  private readonly params: GPUBuffer;
  private readonly groups: [number, number];

  constructor(private readonly engine: EngineContext, readonly shape: AttentionShape, private readonly meter: MemoryMeter) {
    assertAttentionShape(shape);
    const { batchHeads: batch, n, d } = shape;
    const scale = attentionScale(d);
    this.gemms = {
      dV: new Gemm(engine, { m: n, n: d, k: n, batch, transposeA: true }),
      dP: new Gemm(engine, { m: n, n, k: d, batch, transposeB: true }),
      dQ: new Gemm(engine, { m: n, n: d, k: n, batch, alpha: scale }),
      dK: new Gemm(engine, { m: n, n: d, k: n, batch, transposeA: true, alpha: scale }),
    };
    this.softmaxPipeline = computePipeline(engine.device, 'StandardAttentionBackward.softmax', softmaxBackwardWgsl, { WORKGROUP_SIZE: SOFTMAX_WORKGROUP_SIZE });
    const rows = batch * n;
    const groupsX = Math.min(rows, engine.device.limits.maxComputeWorkgroupsPerDimension);
    this.groups = [groupsX, Math.ceil(rows / groupsX)];
    const words = new Uint32Array(SoftmaxBackwardParamsLayout.words);
    words[SoftmaxBackwardParamsLayout.n] = n;
    words[SoftmaxBackwardParamsLayout.rows] = rows;
    words[SoftmaxBackwardParamsLayout.groupsX] = groupsX;
    this.params = uniformBuffer(engine.device, 'StandardAttentionBackward.params', words.buffer);
    this.gradients = meter.createBuffer('StandardAttentionBackward.scoreGradients', squareMatrixBytes(shape));
  }

  /** Device bytes beyond inputs and gradients: dP/dS here plus the stored P, 2·B·N²·4. */
  get extraBytes(): number {
    return 2 * squareMatrixBytes(this.shape);
  }

  /** `probabilities`: P as StandardAttention left it. */
  encode(encoder: GPUCommandEncoder, probabilities: GPUBuffer, buffers: AttentionGradientBuffers): void {
    this.gemms.dV.encode(encoder, { a: probabilities, b: buffers.dO, c: buffers.dV });
    this.gemms.dP.encode(encoder, { a: buffers.dO, b: buffers.v, c: this.gradients });
    const bindGroup = this.engine.device.createBindGroup({
      label: 'StandardAttentionBackward.softmaxBindGroup',
      layout: this.softmaxPipeline.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: this.params } }, // params
        { binding: 1, resource: { buffer: probabilities } }, // probabilities
        { binding: 2, resource: { buffer: this.gradients } }, // gradients
      ],
    });
    const pass = encoder.beginComputePass({ label: 'StandardAttentionBackward.softmax' });
    pass.setPipeline(this.softmaxPipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(...this.groups);
    pass.end();
    this.gemms.dQ.encode(encoder, { a: this.gradients, b: buffers.k, c: buffers.dQ });
    this.gemms.dK.encode(encoder, { a: this.gradients, b: buffers.q, c: buffers.dK });
  }

  dispose(): void {
    for (const gemm of Object.values(this.gemms)) gemm.dispose();
    this.params.destroy();
    this.meter.destroy(this.gradients);
  }
}

import type { EngineContext } from '../device-info';
import type { MemoryMeter } from '../memory';
import { computePipeline } from '../pipelines';
import { assertFlashDispatch, flashParamsBuffer } from './FlashAttention';
import { keyGradientsWgsl, queryGradientsWgsl, rowDotWgsl } from './flash-backward.wgsl';
import type { FlashKernelShape } from './flash-kernel.wgsl';
import { rowStorage, type FlashPrecision } from './flash-storage.wgsl';
import { flashTiling, type FlashTiling, type FlashVariantChoice } from './flash-tiling';
import { assertAttentionShape, type AttentionShape } from './shape';

/** Inputs and outputs of the backward pass, each batchHeads × n × d (lse: batchHeads × n). */
export interface AttentionGradientBuffers {
  /** Q, K, V and dO in the pass's precision; O, L and the gradients float32. */
  q: GPUBuffer;
  k: GPUBuffer;
  v: GPUBuffer;
  o: GPUBuffer;
  lse: GPUBuffer;
  dO: GPUBuffer;
  dQ: GPUBuffer;
  dK: GPUBuffer;
  dV: GPUBuffer;
}

/**
 * FlashAttention backward with recomputation: P is rebuilt tile by tile from Q, K and the saved
 * logsumexp L, so the only extra device memory is D = rowsum(dO∘O), B·N floats. The dK/dV pass
 * (one key per invocation, query tiles staged) and the dQ pass (one query per invocation, K/V
 * tiles staged) use the variant's tiling (`tiling`: the dQ pass's; the dK/dV pass stages Q and dO
 * tiles of the same size plus L and D).
 */
export class FlashAttentionBackward {
  readonly tiling: FlashTiling;
  private readonly rowDot: GPUBuffer;
  private readonly params: GPUBuffer;
  private readonly pipelines: { rowDot: GPUComputePipeline; keys: GPUComputePipeline; queries: GPUComputePipeline };

  constructor(
    private readonly engine: EngineContext,
    readonly shape: AttentionShape,
    private readonly meter: MemoryMeter,
    options: { variant?: FlashVariantChoice; precision?: FlashPrecision } = {},
  ) {
    assertAttentionShape(shape);
    const { d } = shape;
    // L and D ride along with each staged query of the dK/dV pass: 8 bytes a row, a quarter vec4.
    this.tiling = flashTiling(engine.info, d, options.variant ?? 'auto', options.precision ?? 'f32', 'backward');
    assertFlashDispatch(engine, shape, this.tiling.rowsPerWorkgroup, 'FlashAttentionBackward');
    const { variant, precision } = this.tiling;
    const kernel: FlashKernelShape = {
      headDim: d,
      storage: rowStorage(d, precision),
      invocations: this.tiling.invocations,
      rowsPerInvocation: this.tiling.rowsPerInvocation,
      keys: this.tiling.keysPerTile,
      block: this.tiling.keysPerBlock,
      unroll: this.tiling.unrolled,
      staged: this.tiling.staged,
      subgroups: false,
    };
    const label = `FlashAttentionBackward.${variant}.${precision}`;
    this.pipelines = {
      rowDot: computePipeline(engine.device, `${label}.rowDot`, rowDotWgsl(kernel), {}),
      keys: computePipeline(engine.device, `${label}.keyGradients`, keyGradientsWgsl(kernel), {}),
      queries: computePipeline(engine.device, `${label}.queryGradients`, queryGradientsWgsl(kernel), {}),
    };
    this.params = flashParamsBuffer(engine, 'FlashAttentionBackward.params', shape);
    this.rowDot = meter.createBuffer('FlashAttentionBackward.rowDot', shape.batchHeads * shape.n * 4);
  }

  /** Device bytes beyond inputs and gradients: D, B·N·4 (linear in N). */
  get extraBytes(): number {
    return this.shape.batchHeads * this.shape.n * 4;
  }

  encode(encoder: GPUCommandEncoder, buffers: AttentionGradientBuffers): void {
    const { device } = this.engine;
    const groups: [number, number] = [Math.ceil(this.shape.n / this.tiling.rowsPerWorkgroup), this.shape.batchHeads];
    const run = (label: string, pipeline: GPUComputePipeline, resources: GPUBuffer[]): void => {
      const bindGroup = device.createBindGroup({
        label: `${label}.bindGroup`,
        layout: pipeline.getBindGroupLayout(0),
        entries: [this.params, ...resources].map((buffer, binding) => ({ binding, resource: { buffer } })),
      });
      const pass = encoder.beginComputePass({ label });
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bindGroup);
      pass.dispatchWorkgroups(...groups);
      pass.end();
    };
    const { q, k, v, o, lse, dO, dQ, dK, dV } = buffers;
    // Bindings follow the WGSL declarations: params, then the buffers in binding order.
    run('FlashAttentionBackward.rowDot', this.pipelines.rowDot, [o, dO, this.rowDot]);
    run('FlashAttentionBackward.keyGradients', this.pipelines.keys, [q, k, v, dO, lse, this.rowDot, dK, dV]);
    run('FlashAttentionBackward.queryGradients', this.pipelines.queries, [q, k, v, dO, lse, this.rowDot, dQ]);
  }

  dispose(): void {
    this.params.destroy();
    this.meter.destroy(this.rowDot);
  }
}

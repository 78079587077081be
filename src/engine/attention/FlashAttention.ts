import type { EngineContext } from '../device-info';
import { computePipeline, uniformBuffer } from '../pipelines';
import { flashForwardWgsl } from './flash-forward.wgsl';
import { rowStorage, type FlashPrecision } from './flash-storage.wgsl';
import { flashTiling, type FlashTiling, type FlashVariantChoice } from './flash-tiling';
import { assertAttentionShape, type AttentionShape } from './shape';
import type { AttentionBuffers } from './StandardAttention';

/** Word offsets of WGSL `struct Params` (flash-kernel.wgsl.ts), the same in every flash pass. */
export const FlashParamsLayout = { n: 0, batchHeads: 1, causal: 2, words: 4 } as const;

/** The uniform every flash pass reads: n, batch × heads, causal. */
export function flashParamsBuffer(engine: EngineContext, label: string, shape: AttentionShape): GPUBuffer {
  const words = new Uint32Array(FlashParamsLayout.words);
  words[FlashParamsLayout.n] = shape.n;
  words[FlashParamsLayout.batchHeads] = shape.batchHeads;
  words[FlashParamsLayout.causal] = shape.causal ? 1 : 0;
  return uniformBuffer(engine.device, label, words.buffer);
}

/** Throws when the dispatch of `rows` rows per workgroup would need more workgroups than the device allows. */
export function assertFlashDispatch(engine: EngineContext, shape: AttentionShape, rows: number, what: string): void {
  const maxGroups = engine.device.limits.maxComputeWorkgroupsPerDimension;
  if (Math.ceil(shape.n / rows) > maxGroups || shape.batchHeads > maxGroups) throw new Error(`${what}: N=${shape.n} × ${shape.batchHeads} heads needs more than ${maxGroups} workgroups`);
}

/**
 * FlashAttention-2 forward: O and the row logsumexp L in one pass, with no N×N buffer, so its
 * extra device memory is linear in N (L only). Q, K and V are stored in `precision` (f16: packed
 * halves, see `flashInputs`); O and L are float32 and all arithmetic is float32.
 */
export class FlashAttention {
  readonly tiling: FlashTiling;
  private readonly pipeline: GPUComputePipeline;
  private readonly params: GPUBuffer;

  /**
   * `approximate: 'no-rescale'` drops the online softmax's rescale when the running max grows: not
   * exact any more. It exists only as the flash-exact experiment's control arm.
   */
  constructor(
    private readonly engine: EngineContext,
    readonly shape: AttentionShape,
    options: { variant?: FlashVariantChoice; precision?: FlashPrecision; approximate?: 'no-rescale' } = {},
  ) {
    assertAttentionShape(shape);
    this.tiling = flashTiling(engine.info, shape.d, options.variant ?? 'auto', options.precision ?? 'f32');
    assertFlashDispatch(engine, shape, this.tiling.rowsPerWorkgroup, 'FlashAttention');
    const { variant, precision } = this.tiling;
    const kernel = flashForwardWgsl({
      headDim: shape.d,
      storage: rowStorage(shape.d, precision),
      invocations: this.tiling.invocations,
      rowsPerInvocation: this.tiling.rowsPerInvocation,
      keys: this.tiling.keysPerTile,
      block: this.tiling.keysPerBlock,
      unroll: this.tiling.unrolled,
      staged: this.tiling.staged,
      subgroups: this.tiling.subgroups,
      rescale: options.approximate !== 'no-rescale',
    });
    // Causality is a uniform, not a constant, so one compiled pipeline serves both (compiles are slow on SwiftShader).
    this.pipeline = computePipeline(engine.device, `FlashAttention.${variant}.${precision}${options.approximate ? `.${options.approximate}` : ''}`, kernel, {});
    this.params = flashParamsBuffer(engine, 'FlashAttention.params', shape);
  }

  /** Device bytes beyond Q, K, V, O: none; L (B·N·4) is an output kept for the backward pass. */
  get extraBytes(): number {
    return this.shape.batchHeads * this.shape.n * 4;
  }

  private bindings: { buffers: AttentionBuffers; group: GPUBindGroup } | null = null;

  /** Creates the binding of `buffers` now, where the device checks binding sizes. */
  prepare(buffers: AttentionBuffers): void {
    this.bindGroup(buffers);
  }

  private bindGroup(buffers: AttentionBuffers): GPUBindGroup {
    if (this.bindings?.buffers === buffers) return this.bindings.group;
    const group = this.engine.device.createBindGroup({
      label: 'FlashAttention.bindGroup',
      layout: this.pipeline.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: this.params } }, // params
        { binding: 1, resource: { buffer: buffers.q } }, // q
        { binding: 2, resource: { buffer: buffers.k } }, // k
        { binding: 3, resource: { buffer: buffers.v } }, // v
        { binding: 4, resource: { buffer: buffers.o } }, // o
        { binding: 5, resource: { buffer: buffers.lse } }, // lse
      ],
    });
    this.bindings = { buffers, group };
    return group;
  }

  /**
   * Records the kernel; `buffers.q/k/v` hold the inputs in this pass's precision (`flashInputs`).
   * `rowBlocks` limits the dispatch to the first blocks of query rows of every head (a partial run
   * at a size too slow to run whole on a software GPU); default: all of them.
   */
  encode(encoder: GPUCommandEncoder, buffers: AttentionBuffers, rowBlocks?: number): void {
    const blocks = Math.ceil(this.shape.n / this.tiling.rowsPerWorkgroup);
    const pass = encoder.beginComputePass({ label: `FlashAttention.${this.tiling.variant}` });
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, this.bindGroup(buffers));
    pass.dispatchWorkgroups(Math.min(blocks, rowBlocks ?? blocks), this.shape.batchHeads);
    pass.end();
  }

  dispose(): void {
    this.params.destroy();
  }
}

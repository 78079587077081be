import type { EngineContext } from '../device-info';
import type { MemoryMeter } from '../memory';
import { computePipeline, uniformBuffer } from '../pipelines';
import { FLASH_MAX_KEYS, FLASH_ROWS_PER_WORKGROUP, FLASH_WORKGROUP_MEMORY_BUDGET } from './FlashAttention';
import { keyGradientsWgsl, queryGradientsWgsl, rowDotWgsl } from './flashBackward.wgsl';
import { assertAttentionShape, attentionScale, type AttentionShape } from './shape';

/** Word offsets of WGSL `struct Params` in flashBackward.wgsl.ts. */
const FlashBackwardParamsLayout = { n: 0, batchHeads: 1, causal: 2, words: 4 } as const;

/** Inputs and outputs of the backward pass, each batchHeads × n × d floats (lse: batchHeads × n). */
export interface AttentionGradientBuffers {
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
 * logsumexp L, so the only extra device memory is D = rowsum(dO∘O), B·N floats.
 */
export class FlashAttentionBackward {
  /** Rows (keys or queries) per workgroup. */
  readonly rows: number;
  /** Query rows per staged tile in the dK/dV pass, key rows per tile in the dQ pass. */
  readonly queryTile: number;
  readonly keyTile: number;
  private readonly rowDot: GPUBuffer;
  private readonly params: GPUBuffer;
  private readonly pipelines: { rowDot: GPUComputePipeline; keys: GPUComputePipeline; queries: GPUComputePipeline };

  constructor(private readonly engine: EngineContext, readonly shape: AttentionShape, private readonly meter: MemoryMeter) {
    assertAttentionShape(shape);
    const { d } = shape;
    this.rows = Math.min(FLASH_ROWS_PER_WORKGROUP, engine.info.limits.maxComputeInvocationsPerWorkgroup);
    const budgetFloats = Math.min(FLASH_WORKGROUP_MEMORY_BUDGET, engine.info.limits.maxComputeWorkgroupStorageSize) / 4;
    // dK/dV pass stages Q and dO rows plus L and D per query; dQ pass stages K and V rows.
    this.queryTile = Math.max(1, Math.min(FLASH_MAX_KEYS, Math.floor(budgetFloats / (2 * d + 2))));
    this.keyTile = Math.max(1, Math.min(FLASH_MAX_KEYS, Math.floor(budgetFloats / (2 * d))));
    const scale = attentionScale(d);
    this.pipelines = {
      rowDot: computePipeline(engine.device, 'FlashAttentionBackward.rowDot', rowDotWgsl(d), { ROWS: this.rows }),
      keys: computePipeline(engine.device, 'FlashAttentionBackward.keyGradients', keyGradientsWgsl(d), { ROWS: this.rows, QUERIES: this.queryTile, SCALE: scale }),
      queries: computePipeline(engine.device, 'FlashAttentionBackward.queryGradients', queryGradientsWgsl(d), { ROWS: this.rows, KEYS: this.keyTile, SCALE: scale }),
    };
    const words = new Uint32Array(FlashBackwardParamsLayout.words);
    words[FlashBackwardParamsLayout.n] = shape.n;
    words[FlashBackwardParamsLayout.batchHeads] = shape.batchHeads;
    words[FlashBackwardParamsLayout.causal] = shape.causal ? 1 : 0;
    this.params = uniformBuffer(engine.device, 'FlashAttentionBackward.params', words.buffer);
    this.rowDot = meter.createBuffer('FlashAttentionBackward.rowDot', shape.batchHeads * shape.n * 4);
  }

  /** Device bytes beyond inputs and gradients: D, B·N·4 (linear in N). */
  get extraBytes(): number {
    return this.shape.batchHeads * this.shape.n * 4;
  }

  encode(encoder: GPUCommandEncoder, buffers: AttentionGradientBuffers): void {
    const { device } = this.engine;
    const groups: [number, number] = [Math.ceil(this.shape.n / this.rows), this.shape.batchHeads];
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

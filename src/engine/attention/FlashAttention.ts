import type { DeviceInfo, EngineContext } from '../device-info';
import { computePipeline, uniformBuffer } from '../pipelines';
import { flashRowsWgsl } from './flashRows.wgsl';
import { flashTiledWgsl } from './flashTiled.wgsl';
import { assertAttentionShape, attentionScale, type AttentionShape } from './shape';
import type { AttentionBuffers } from './StandardAttention';

/**
 * 'tiled': the GPU-shaped FlashAttention-2 kernel (several invocations per query row, Q/K/V tiles
 * in workgroup memory). 'rows': one query row per invocation with named vec4 registers, which suits
 * SwiftShader. Both are tested against the float64 reference.
 */
export type FlashVariant = 'tiled' | 'rows';

/** Workgroup memory the kernels stay within, whatever more the adapter offers (the WebGPU default). */
export const FLASH_WORKGROUP_MEMORY_BUDGET = 16 * 1024;
/** Tiled variant on GPUs: 16 rows × 16 invocations per row = 256 invocations. */
export const FLASH_TILED_ROWS_GPU = 16;
export const FLASH_TILED_THREADS_PER_ROW_GPU = 16;
/** Tiled variant on software adapters, where small workgroups run faster: 8 × 8 = 64. */
export const FLASH_TILED_ROWS_SOFTWARE = 8;
export const FLASH_TILED_THREADS_PER_ROW_SOFTWARE = 8;
/** Rows variant: query rows (invocations) per workgroup. */
export const FLASH_ROWS_PER_WORKGROUP = 64;
/** Most keys staged per tile. */
export const FLASH_MAX_KEYS = 64;

/** Output columns one invocation of the tiled variant keeps in registers (WGSL `MAX_COLUMNS`). */
const FLASH_TILED_MAX_COLUMNS = 16;

/** Word offsets of WGSL `struct Params` (same in both variants). */
const FlashParamsLayout = { n: 0, batchHeads: 1, causal: 2, words: 4 } as const;

export interface FlashTiling {
  variant: FlashVariant;
  /** Query rows per workgroup (Br). */
  rows: number;
  /** Invocations per query row (1 for 'rows'). */
  threadsPerRow: number;
  /** Keys per K/V tile (Bc). */
  keys: number;
  /** Workgroup memory the tiles take, bytes. */
  workgroupBytes: number;
}

/** The variant the engine picks: 'rows' on a software adapter (head size a multiple of 4), else 'tiled'. */
export function defaultFlashVariant(info: DeviceInfo, headDim: number): FlashVariant {
  return info.isFallback && headDim % 4 === 0 ? 'rows' : 'tiled';
}

/** Tile sizes from the adapter's limits, within FLASH_WORKGROUP_MEMORY_BUDGET. */
export function flashTiling(info: DeviceInfo, headDim: number, variant: FlashVariant): FlashTiling {
  const budgetFloats = Math.min(FLASH_WORKGROUP_MEMORY_BUDGET, info.limits.maxComputeWorkgroupStorageSize) / 4;
  if (variant === 'rows') {
    const rows = Math.min(FLASH_ROWS_PER_WORKGROUP, info.limits.maxComputeInvocationsPerWorkgroup);
    const keys = Math.max(1, Math.min(FLASH_MAX_KEYS, Math.floor(budgetFloats / (2 * headDim))));
    return { variant, rows, threadsPerRow: 1, keys, workgroupBytes: 2 * keys * headDim * 4 };
  }
  const large = !info.isFallback && info.limits.maxComputeInvocationsPerWorkgroup >= FLASH_TILED_ROWS_GPU * FLASH_TILED_THREADS_PER_ROW_GPU;
  const rows = large ? FLASH_TILED_ROWS_GPU : FLASH_TILED_ROWS_SOFTWARE;
  const threadsPerRow = large ? FLASH_TILED_THREADS_PER_ROW_GPU : FLASH_TILED_THREADS_PER_ROW_SOFTWARE;
  // Q block (rows·d) + K and V tiles (2·keys·d) + score tile (rows·keys) within the budget.
  const keys = Math.max(1, Math.min(FLASH_MAX_KEYS, Math.floor((budgetFloats - rows * headDim) / (2 * headDim + rows))));
  return { variant, rows, threadsPerRow, keys, workgroupBytes: (rows * headDim + 2 * keys * headDim + rows * keys) * 4 };
}

/**
 * FlashAttention-2 forward: O and the row logsumexp L in one pass, with no N×N buffer, so its
 * extra device memory is linear in N (L only).
 */
export class FlashAttention {
  readonly tiling: FlashTiling;
  private readonly pipeline: GPUComputePipeline;
  private readonly params: GPUBuffer;

  /**
   * `approximate: 'no-rescale'` drops the online softmax's rescale when the running max grows: not
   * exact any more. It exists only as the flash-exact experiment's control arm ('rows' variant).
   */
  constructor(private readonly engine: EngineContext, readonly shape: AttentionShape, options: { variant?: FlashVariant; approximate?: 'no-rescale' } = {}) {
    assertAttentionShape(shape);
    const variant = options.approximate ? 'rows' : (options.variant ?? defaultFlashVariant(engine.info, shape.d));
    this.tiling = flashTiling(engine.info, shape.d, variant);
    if (variant === 'tiled' && Math.ceil(shape.d / this.tiling.threadsPerRow) > FLASH_TILED_MAX_COLUMNS) throw new Error(`FlashAttention: d=${shape.d} needs more than ${FLASH_TILED_MAX_COLUMNS} registers per invocation`);
    const maxGroups = engine.device.limits.maxComputeWorkgroupsPerDimension;
    if (Math.ceil(shape.n / this.tiling.rows) > maxGroups || shape.batchHeads > maxGroups) throw new Error(`FlashAttention: N=${shape.n} × ${shape.batchHeads} needs more than ${maxGroups} workgroups`);
    // Causality is a uniform, not an override, so one compiled pipeline serves both (compiles are slow on SwiftShader).
    const common = { ROWS: this.tiling.rows, KEYS: this.tiling.keys, SCALE: attentionScale(shape.d) };
    this.pipeline = variant === 'rows'
      ? computePipeline(engine.device, options.approximate ? 'FlashAttention.rowsNoRescale' : 'FlashAttention.rows', flashRowsWgsl(shape.d, { rescale: !options.approximate }), common)
      : computePipeline(engine.device, 'FlashAttention.tiled', flashTiledWgsl, { ...common, THREADS_PER_ROW: this.tiling.threadsPerRow, HEAD_DIM: shape.d });
    const words = new Uint32Array(FlashParamsLayout.words);
    words[FlashParamsLayout.n] = shape.n;
    words[FlashParamsLayout.batchHeads] = shape.batchHeads;
    words[FlashParamsLayout.causal] = shape.causal ? 1 : 0;
    this.params = uniformBuffer(engine.device, 'FlashAttention.params', words.buffer);
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
   * Records the kernel. `rowBlocks` limits the dispatch to the first blocks of query rows of every
   * head (a partial run at a size too slow to run whole on a software GPU); default: all of them.
   */
  encode(encoder: GPUCommandEncoder, buffers: AttentionBuffers, rowBlocks?: number): void {
    const blocks = Math.ceil(this.shape.n / this.tiling.rows);
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


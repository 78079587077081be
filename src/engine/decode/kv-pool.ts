import { AppError } from '../../shared/errors';
import { captureDeviceErrors, type MemoryMeter } from '../memory';
import type { DecoderConfig } from '../transformer/DecoderConfig';
import { MAX_BLOCKS_PER_SLAB, packBlockEntry, SLAB_SHIFT } from './paged-read.wgsl';

export type KvCacheShape = Pick<DecoderConfig, 'layers' | 'kvHeads' | 'headDim'>;

/**
 * 'paged': blocks are handed out as tokens arrive and the device memory behind them grows with
 * use (vLLM's PagedAttention). 'contiguous': every sequence's whole `maxPositions` is reserved on
 * the device before the first token, as systems before vLLM did — the control the paged cache is
 * compared with.
 */
export type KvCacheLayout = 'paged' | 'contiguous';

export interface KvPoolOptions {
  /** Default 'paged'. */
  layout?: KvCacheLayout;
  /** Tokens per block: a power of two from 1 to 64 (it divides the flash-decoding tile). Default 16. */
  blockTokens?: number;
  /** Sequences that can hold cache entries at once, each with its own block table. Default 1. */
  maxSequences?: number;
}

export const DEFAULT_BLOCK_TOKENS = 16;

/** Most slab bindings a kernel declares, whatever the device allows. */
export const MAX_SLABS = 8;

/** Storage bindings of the cache-reading kernels other than the slabs (q, block table, two outputs). */
const NON_SLAB_STORAGE_BINDINGS = 4;

/** Slab bindings the cache readers can declare on `device` (4 with WebGPU's default limits). */
export function kvSlabBindings(device: GPUDevice): number {
  return Math.min(MAX_SLABS, device.limits.maxStorageBuffersPerShaderStage - NON_SLAB_STORAGE_BINDINGS);
}

/** Bytes of one token's keys and values over every layer, float32: 2 · layers · kvHeads · headDim · 4. */
export function kvTokenBytes(shape: KvCacheShape): number {
  return 2 * shape.layers * shape.kvHeads * shape.headDim * 4;
}

/** What the pool holds now: the device bytes it allocated and the bytes the tokens use. */
export interface KvPoolStats {
  layout: KvCacheLayout;
  blockTokens: number;
  blockBytes: number;
  /** Size of each device buffer (slab) created so far, in creation order. */
  slabBytes: number[];
  /** Σ slabBytes: device memory the cache holds. */
  allocatedBytes: number;
  /** Blocks the slabs hold, and those assigned to a sequence. */
  capacityBlocks: number;
  blocksInUse: number;
  /** Tokens cached per sequence. */
  lengths: number[];
  /** Σ lengths · kvTokenBytes: what the cached tokens need. */
  usedBytes: number;
  /** allocatedBytes − usedBytes. */
  wasteBytes: number;
}

/**
 * Blocks per slab. Paged: doubling slabs c, 2c, 4c, … (the last one trimmed) with c chosen so
 * that `slabs` of them hold every block, so the pool grows in steps of at most its own size and
 * never past what a contiguous cache would reserve. Contiguous: as few slabs as the binding limit
 * allows (one when it fits), all allocated up front.
 */
export function slabPlan(layout: KvCacheLayout, totalBlocks: number, slabs: number, blockBytes: number, maxBindingBytes: number): number[] {
  const plan: number[] = [];
  if (layout === 'contiguous') {
    const pieces = Math.min(slabs, Math.max(1, Math.ceil((totalBlocks * blockBytes) / maxBindingBytes)));
    const each = Math.ceil(totalBlocks / pieces);
    for (let left = totalBlocks; left > 0; left -= each) plan.push(Math.min(each, left));
    return plan;
  }
  const first = Math.max(1, Math.ceil(totalBlocks / (2 ** slabs - 1)));
  for (let size = first, held = 0; held < totalBlocks; held += size, size *= 2) plan.push(Math.min(size, totalBlocks - held));
  return plan;
}

/**
 * The decoder's KV-cache as fixed-size blocks with a block table per sequence.
 *
 * Physical storage is a short list of slabs — device buffers, each a whole number of blocks —
 * because a WebGPU kernel can only bind a fixed, small number of storage buffers (8 per stage by
 * default, and the attention kernels need four of those for other things). A block per buffer
 * would need a binding per block; one buffer resized by copying would move every block on each
 * growth. Doubling slabs give both: at most `slabBindings` bindings, one device allocation per
 * doubling, blocks never move, and the allocated bytes stay below twice what the tokens use plus
 * one first slab. Within the slabs, blocks are handed to sequences from a free list as tokens
 * arrive and returned when a sequence is released, so sequences of any mix of lengths share the
 * memory without reserving their maximum.
 *
 * A block holds every layer's keys and values for `blockTokens` tokens, laid out as
 * [layer][token][K | V][kvHead][headDim] (paged-read.wgsl.ts), so one block table serves all layers.
 */
export class KvCachePool {
  readonly layout: KvCacheLayout;
  readonly blockTokens: number;
  readonly tokenBytes: number;
  /** Floats of one token's K and V row in one layer: 2 · kvHeads · headDim. */
  readonly rowFloats: number;
  readonly blockFloats: number;
  readonly blockBytes: number;
  readonly blocksPerSequence: number;
  readonly maxSequences: number;
  readonly plan: number[];
  /** [maxSequences][blocksPerSequence] packed block entries, read by the kernels. */
  readonly table: GPUBuffer;
  /** Bumped whenever the slabs change: bind groups over them must be rebuilt. */
  version = 0;
  private readonly slabs: GPUBuffer[] = [];
  private readonly free: number[] = [];
  private readonly tables: number[][];
  private readonly lengths: number[];
  /** One read-only storage binding, as the readers bind a slab: a slab the device cannot bind is refused here too. */
  private readonly slabLayout: GPUBindGroupLayout;

  constructor(
    private readonly device: GPUDevice,
    private readonly meter: MemoryMeter,
    shape: KvCacheShape,
    readonly maxPositions: number,
    readonly slabBindings: number,
    options: KvPoolOptions = {},
  ) {
    this.layout = options.layout ?? 'paged';
    this.blockTokens = options.blockTokens ?? DEFAULT_BLOCK_TOKENS;
    this.maxSequences = options.maxSequences ?? 1;
    if (this.layout !== 'paged' && this.layout !== 'contiguous') throw new Error(`KV-cache layout must be 'paged' or 'contiguous', got ${String(this.layout)}`);
    if (!Number.isInteger(this.blockTokens) || this.blockTokens < 1 || this.blockTokens > 64 || (this.blockTokens & (this.blockTokens - 1)) !== 0) {
      throw new Error(`KV-cache blockTokens must be a power of two from 1 to 64, got ${this.blockTokens}`);
    }
    if (!Number.isInteger(this.maxSequences) || this.maxSequences < 1) throw new Error(`KV-cache maxSequences must be a positive integer, got ${this.maxSequences}`);
    this.tokenBytes = kvTokenBytes(shape);
    this.rowFloats = 2 * shape.kvHeads * shape.headDim;
    this.blockFloats = shape.layers * this.blockTokens * this.rowFloats;
    this.blockBytes = this.blockFloats * 4;
    this.blocksPerSequence = Math.ceil(maxPositions / this.blockTokens);
    const totalBlocks = this.maxSequences * this.blocksPerSequence;
    this.plan = slabPlan(this.layout, totalBlocks, slabBindings, this.blockBytes, device.limits.maxStorageBufferBindingSize);
    if (Math.max(...this.plan) > MAX_BLOCKS_PER_SLAB) throw new Error(`KV-cache: a slab of ${Math.max(...this.plan)} blocks is over the ${MAX_BLOCKS_PER_SLAB} a block entry can address`);
    this.table = meter.createBuffer('KvCache.blockTable', totalBlocks * 4);
    this.tables = Array.from({ length: this.maxSequences }, () => []);
    this.lengths = new Array<number>(this.maxSequences).fill(0);
    this.slabLayout = device.createBindGroupLayout({
      label: 'KvCache.slabLayout',
      entries: [{ binding: 0, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'read-only-storage' } }],
    });
  }

  /** Layer `layer`'s offset inside a block, in floats. */
  layerOffset(layer: number): number {
    return layer * this.blockTokens * this.rowFloats;
  }

  /**
   * Makes `sequence` hold positions 0 … start + rows − 1 (positions from `start` on are about to
   * be written): blocks past the new end go back to the free list, missing ones are taken from it,
   * and when it is empty the next slab is created on the device. `rebind` runs after each change
   * of slabs, inside the same error scopes, so that a buffer or binding the device refuses is
   * caught here (the pool also binds each new slab itself, so this holds without a model): then `AppError('gpu-limit')` with the device's message, and the pool is as before.
   */
  async reserve(sequence: number, start: number, rows: number, rebind: () => void): Promise<void> {
    if (!Number.isInteger(sequence) || sequence < 0 || sequence >= this.maxSequences) throw new Error(`KV-cache: sequence ${sequence} is outside 0..${this.maxSequences - 1}`);
    if (start > this.lengths[sequence]) throw new Error(`KV-cache: sequence ${sequence} holds ${this.lengths[sequence]} tokens; a forward from position ${start} would leave a gap`);
    const length = start + rows;
    if (length > this.maxPositions) throw new Error(`KV-cache: ${length} positions exceed maxPositions ${this.maxPositions}`);
    if (this.layout === 'contiguous') {
      if (this.slabs.length === 0) await this.reserveEverything(rebind);
      this.lengths[sequence] = length;
      return;
    }
    const table = this.tables[sequence];
    const needed = Math.ceil(length / this.blockTokens);
    const before = table.length;
    // Grow first: a refused slab then leaves the sequence as it was.
    while (this.free.length < needed - table.length) await this.grow(rebind);
    while (table.length > needed) this.free.push(table.pop()!);
    while (table.length < needed) table.push(this.free.pop()!);
    this.lengths[sequence] = length;
    if (table.length > before) this.device.queue.writeBuffer(this.table, (sequence * this.blocksPerSequence + before) * 4, new Uint32Array(table.slice(before)));
  }

  /**
   * Device bytes `reserve(sequence, start, length − start)` would newly allocate (new slabs), or 0
   * when the free blocks suffice — so a caller can keep a fill within a memory budget.
   */
  bytesToReserve(sequence: number, length: number): number {
    if (this.layout === 'contiguous') return this.slabs.length === 0 ? this.plan.reduce((sum, blocks) => sum + blocks, 0) * this.blockBytes : 0;
    let missing = Math.ceil(length / this.blockTokens) - this.tables[sequence].length - this.free.length;
    let bytes = 0;
    for (let slab = this.slabs.length; missing > 0 && slab < this.plan.length; slab++) {
      missing -= this.plan[slab];
      bytes += this.plan[slab] * this.blockBytes;
    }
    return bytes;
  }

  /** Returns `sequence`'s blocks to the free list (its device memory stays with the pool). */
  release(sequence: number): void {
    if (this.layout === 'paged') for (const entry of this.tables[sequence].splice(0)) this.free.push(entry);
    this.lengths[sequence] = 0;
  }

  /** The buffers to bind as slab0 … slabN−1: unallocated slots repeat slab 0 (read-only bindings may alias). */
  slabBuffers(): GPUBuffer[] {
    if (this.slabs.length === 0) throw new Error('KV-cache: no slab allocated yet (reserve first)');
    return Array.from({ length: this.slabBindings }, (_, index) => this.slabs[index] ?? this.slabs[0]);
  }

  /**
   * Records the copies of one layer's new K/V rows ([rows][rowFloats] in `newKv`, positions
   * start … start + rows − 1 of `sequence`) into their blocks: one copy per block touched.
   */
  encodeAppend(encoder: GPUCommandEncoder, newKv: GPUBuffer, layer: number, sequence: number, start: number, rows: number): void {
    const rowBytes = this.rowFloats * 4;
    for (let row = 0; row < rows; ) {
      const position = start + row;
      const inBlock = position % this.blockTokens;
      const count = Math.min(rows - row, this.blockTokens - inBlock);
      const entry = this.tables[sequence][Math.floor(position / this.blockTokens)];
      const slab = this.slabs[entry >>> SLAB_SHIFT];
      const offset = ((entry & (MAX_BLOCKS_PER_SLAB - 1)) * this.blockFloats + this.layerOffset(layer) + inBlock * this.rowFloats) * 4;
      encoder.copyBufferToBuffer(newKv, row * rowBytes, slab, offset, count * rowBytes);
      row += count;
    }
  }

  /** The packed block entries of `sequence`, in position order. */
  blockTable(sequence: number): readonly number[] {
    return this.tables[sequence];
  }

  stats(): KvPoolStats {
    const slabBytes = this.slabs.map((slab) => slab.size);
    const allocatedBytes = slabBytes.reduce((sum, bytes) => sum + bytes, 0);
    const usedBytes = this.lengths.reduce((sum, length) => sum + length * this.tokenBytes, 0);
    return {
      layout: this.layout,
      blockTokens: this.blockTokens,
      blockBytes: this.blockBytes,
      slabBytes,
      allocatedBytes,
      capacityBlocks: this.plan.slice(0, this.slabs.length).reduce((sum, blocks) => sum + blocks, 0),
      blocksInUse: this.lengths.reduce((sum, length) => sum + Math.ceil(length / this.blockTokens), 0),
      lengths: [...this.lengths],
      usedBytes,
      wasteBytes: allocatedBytes - usedBytes,
    };
  }

  /** Contiguous layout: every slab now, and each sequence's fixed run of blocks. */
  private async reserveEverything(rebind: () => void): Promise<void> {
    try {
      while (this.slabs.length < this.plan.length) await this.grow(rebind);
    } catch (error) {
      // All or nothing: a reservation the device refuses in part holds no memory afterwards.
      for (const slab of this.slabs.splice(0)) this.meter.destroy(slab);
      this.version++;
      throw error;
    }
    this.free.length = 0;
    const entries: number[] = [];
    this.plan.forEach((blocks, slab) => {
      for (let block = 0; block < blocks; block++) entries.push(packBlockEntry(slab, block));
    });
    for (let sequence = 0; sequence < this.maxSequences; sequence++) {
      this.tables[sequence] = entries.slice(sequence * this.blocksPerSequence, (sequence + 1) * this.blocksPerSequence);
    }
    this.device.queue.writeBuffer(this.table, 0, new Uint32Array(entries));
  }

  /** Creates the next slab of the plan and puts its blocks on the free list (lowest first out). */
  private async grow(rebind: () => void): Promise<void> {
    const index = this.slabs.length;
    if (index >= this.plan.length) throw new Error('KV-cache: every slab is allocated and no block is free');
    const blocks = this.plan[index];
    const bytes = blocks * this.blockBytes;
    let slab: GPUBuffer | undefined;
    const undo = () => {
      if (!slab) return;
      if (this.slabs[this.slabs.length - 1] === slab) this.slabs.pop();
      this.meter.destroy(slab);
      this.version++;
      if (this.slabs.length > 0) rebind();
    };
    let refusal;
    try {
      ({ refusal } = await captureDeviceErrors(this.device, `KV-cache slab ${index}`, () => {
        slab = this.meter.createBuffer(`KvCache.slab${index}`, bytes, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC);
        this.device.createBindGroup({ label: `KvCache.slab${index}.binding`, layout: this.slabLayout, entries: [{ binding: 0, resource: { buffer: slab } }] });
        this.slabs.push(slab);
        this.version++;
        rebind();
      }));
    } catch (error) {
      undo();
      throw error;
    }
    if (refusal) {
      undo();
      throw new AppError('gpu-limit', `The device refused KV-cache slab ${index} (${bytes} bytes, ${refusal.attempted}): ${refusal.message}`, {
        needed: bytes,
        reason: refusal.message,
      });
    }
    for (let block = blocks - 1; block >= 0; block--) this.free.push(packBlockEntry(index, block));
  }
}

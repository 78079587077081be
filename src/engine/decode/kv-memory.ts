import { AppError } from '../../shared/errors';
import type { EngineContext } from '../device-info';
import { DeviceMemoryTracker, MemoryMeter } from '../memory';
import { KvCachePool, kvSlabBindings, kvTokenBytes, type KvCacheLayout, type KvCacheShape } from './kv-pool';

export interface KvFillRequest {
  shape: KvCacheShape;
  layout: KvCacheLayout;
  /** Capacity of each sequence (what the contiguous layout reserves for it). */
  maxPositions: number;
  /**
   * Final length of each sequence. Tokens arrive one at a time, round-robin over the sequences
   * still growing (a batch of requests decoding side by side), each reserved as a decode step does.
   */
  lengths: number[];
  /** Total tokens held at which the device's allocations are read. */
  checkpoints: number[];
  /** The most device bytes the cache's slabs may take; checkpoints needing more are not run. */
  budgetBytes: number;
  blockTokens?: number;
  signal?: AbortSignal;
  onProgress?: (fraction: number) => void;
}

/** The cache at one checkpoint. */
export interface KvFillPoint {
  /** Tokens held, over all sequences. */
  tokens: number;
  /**
   * 'allocated': `allocatedBytes` are the live bytes of the buffers the device accepted, read from
   * a DeviceMemoryTracker. 'refused': the device refused a slab on the way (its message in
   * `refusal`). 'over-budget': not attempted, the cache would have needed more than the budget.
   */
  status: 'allocated' | 'refused' | 'over-budget';
  allocatedBytes: number | null;
  /** tokens · 2 · layers · kvHeads · headDim · 4: what the tokens need by the formula (a model). */
  neededBytes: number;
  /** Tokens each sequence holds at the checkpoint. */
  sequenceTokens: number[];
  /** Blocks each sequence's block table holds at the checkpoint (null when not allocated). */
  sequenceBlocks: number[] | null;
}

export interface KvFillResult {
  points: KvFillPoint[];
  /** The device's own message when it refused a slab. */
  refusal: string | null;
  /** Blocks per slab the pool planned, and the bytes of one block. */
  plan: number[];
  blockBytes: number;
  blockTokens: number;
  /** Most bytes the cache held at once (tracker), and every buffer it asked for. */
  peakBytes: number;
  allocations: { label: string; size: number; refused: boolean }[];
}

/**
 * Fills a KV-cache pool — the one `DecoderModel` keeps its keys and values in — token by token
 * as decoding would, and reads at each checkpoint how many bytes the device really holds for it:
 * every `createBuffer` of the fill is recorded by a DeviceMemoryTracker installed after the pool's
 * block table, so what it reports live is the cache's slabs and nothing else. The model's compute
 * is left out (the cache's memory does not depend on it; the tests check that decoding through the
 * model allocates exactly these slabs), so long sequences and batches can be measured quickly.
 */
export async function fillKvCache(engine: EngineContext, request: KvFillRequest): Promise<KvFillResult> {
  const { device } = engine;
  const meter = new MemoryMeter(device);
  const tokenBytes = kvTokenBytes(request.shape);
  const total = request.lengths.reduce((sum, length) => sum + length, 0);
  const checkpoints = [...new Set(request.checkpoints)].filter((t) => t >= 1 && t <= total).sort((a, b) => a - b);
  try {
    const pool = new KvCachePool(device, meter, request.shape, request.maxPositions, kvSlabBindings(device), {
      layout: request.layout,
      blockTokens: request.blockTokens,
      maxSequences: request.lengths.length,
    });
    const points: KvFillPoint[] = [];
    let refusal: string | null = null;
    const { memory } = await DeviceMemoryTracker.measure(device, async (tracker) => {
      const held = request.lengths.map(() => 0);
      let tokens = 0;
      let next = 0;
      let stopped: KvFillPoint['status'] | null = null;
      for (const checkpoint of checkpoints) {
        while (stopped === null && tokens < checkpoint) {
          if (request.signal?.aborted) throw request.signal.reason ?? new AppError('cancelled', 'The run was cancelled');
          while (held[next] >= request.lengths[next]) next = (next + 1) % held.length;
          if (pool.stats().allocatedBytes + pool.bytesToReserve(next, held[next] + 1) > request.budgetBytes) {
            stopped = 'over-budget';
            break;
          }
          try {
            await pool.reserve(next, held[next], 1, () => undefined);
          } catch (error) {
            if (!(error instanceof AppError && error.code === 'gpu-limit')) throw error;
            refusal = String(error.params?.reason ?? error.message);
            stopped = 'refused';
            break;
          }
          held[next]++;
          tokens++;
          next = (next + 1) % held.length;
          if (tokens % 4096 === 0) {
            request.onProgress?.(tokens / checkpoints[checkpoints.length - 1]);
            await new Promise((resolve) => setTimeout(resolve, 0));
          }
        }
        const neededBytes = checkpoint * tokenBytes;
        const sequenceTokens = [...held];
        if (stopped) points.push({ tokens: checkpoint, status: stopped, allocatedBytes: null, neededBytes, sequenceTokens, sequenceBlocks: null });
        else {
          const sequenceBlocks = held.map((_, sequence) => pool.blockTable(sequence).length);
          points.push({ tokens: checkpoint, status: 'allocated', allocatedBytes: (await tracker.report()).liveBytes, neededBytes, sequenceTokens, sequenceBlocks });
        }
      }
    });
    return {
      points,
      refusal,
      plan: pool.plan,
      blockBytes: pool.blockBytes,
      blockTokens: pool.blockTokens,
      peakBytes: memory.peakBytes,
      allocations: memory.allocations.map((a) => ({ label: a.label, size: a.size, refused: a.refused !== null })),
    };
  } finally {
    meter.destroyAll();
  }
}

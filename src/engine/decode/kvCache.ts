import type { EngineContext } from '../device-info';
import { MemoryMeter } from '../memory';
import { kvCacheBytes } from '../transformer/DecoderConfig';
import type { KvCacheShape } from './kvPool';

/** Per-layer key and value caches, each [kvHeads][positions][headDim] float32. */
export interface KvCacheBuffers {
  keys: GPUBuffer[];
  values: GPUBuffer[];
}

/** Allocates the KV-cache of `positions` tokens through `meter`, so the bytes are counted. */
export function allocateKvCache(meter: MemoryMeter, shape: KvCacheShape, positions: number, label = 'Decoder'): KvCacheBuffers {
  const perBuffer = kvCacheBytes({ ...shape, layers: 1 }, positions) / 2;
  const keys: GPUBuffer[] = [];
  const values: GPUBuffer[] = [];
  for (let layer = 0; layer < shape.layers; layer++) {
    keys.push(meter.createBuffer(`${label}.layer${layer}.keyCache`, perBuffer));
    values.push(meter.createBuffer(`${label}.layer${layer}.valueCache`, perBuffer));
  }
  return { keys, values };
}

export interface KvCacheMemory extends KvCacheShape {
  positions: number;
  /** Bytes the device buffers of the cache hold, as counted when they were created. */
  allocatedBytes: number;
  /** 2 · layers · kvHeads · headDim · positions · 4. */
  formulaBytes: number;
}

/**
 * Allocates a KV-cache of `positions` tokens on the device, records the bytes its buffers take,
 * and frees it. Compare multi-head (kvHeads = heads), grouped-query and multi-query (kvHeads = 1)
 * attention by varying `kvHeads`.
 */
export function measureKvCacheMemory(engine: EngineContext, shape: KvCacheShape & { positions: number }): KvCacheMemory {
  const meter = new MemoryMeter(engine.device);
  try {
    allocateKvCache(meter, shape, shape.positions);
    return {
      layers: shape.layers,
      kvHeads: shape.kvHeads,
      headDim: shape.headDim,
      positions: shape.positions,
      allocatedBytes: meter.allocatedBytes,
      formulaBytes: kvCacheBytes(shape, shape.positions),
    };
  } finally {
    meter.destroyAll();
  }
}

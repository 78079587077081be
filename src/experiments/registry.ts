import { kvCacheMemory } from './kv-cache-memory';
import { kvCacheSpeed } from './kv-cache-speed';
import { kvFlashSynergy } from './kv-flash-synergy';
import type { Experiment } from './types';

/** Every runnable experiment by id (loads the engine; the UI uses catalog.ts instead). */
export const registry: ReadonlyMap<string, Experiment> = new Map(
  ([kvCacheSpeed, kvCacheMemory, kvFlashSynergy] as unknown as Experiment[]).map((experiment) => [experiment.id, experiment]),
);

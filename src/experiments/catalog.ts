import { flashBackwardMeta } from './flash-backward.meta';
import { flashExactMeta } from './flash-exact.meta';
import { flashVsNaiveMeta } from './flash-vs-naive.meta';
import { gqaMqaMeta } from './gqa-mqa.meta';
import { kvCacheMemoryMeta } from './kv-cache-memory.meta';
import { kvCacheSpeedMeta } from './kv-cache-speed.meta';
import { kvFlashSynergyMeta } from './kv-flash-synergy.meta';
import { kvQuantizationMeta } from './kv-quantization.meta';
import { onlineSoftmaxMeta } from './online-softmax.meta';
import { pagedAttentionMeta } from './paged-attention.meta';
import { prefillDecodeBatchingMeta } from './prefill-decode-batching.meta';
import { ropeRelativeMeta } from './rope-relative.meta';
import { speculativeDecodingMeta } from './speculative-decoding.meta';
import type { ExperimentMeta } from './types';

/**
 * Every experiment's metadata (title, claim, params with bounds), importable by the UI without
 * loading the engine: this file imports only `*.meta.ts`.
 */
export const catalog: readonly ExperimentMeta[] = [
  kvCacheSpeedMeta,
  kvCacheMemoryMeta,
  flashVsNaiveMeta,
  flashExactMeta,
  flashBackwardMeta,
  kvFlashSynergyMeta,
  onlineSoftmaxMeta,
  ropeRelativeMeta,
  kvQuantizationMeta,
  pagedAttentionMeta,
  gqaMqaMeta,
  prefillDecodeBatchingMeta,
  speculativeDecodingMeta,
] as unknown as readonly ExperimentMeta[];

export function findMeta(id: string): ExperimentMeta | undefined {
  return catalog.find((meta) => meta.id === id);
}

/** The defaults of an experiment's params (its schema applied to nothing). */
export function defaultParams(meta: ExperimentMeta): Record<string, unknown> {
  return meta.params.parse({}) as Record<string, unknown>;
}

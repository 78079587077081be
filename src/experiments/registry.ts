import { flashBackward } from './flash-backward';
import { flashExact } from './flash-exact';
import { flashVsNaive } from './flash-vs-naive';
import { gqaMqa } from './gqa-mqa';
import { kvCacheMemory } from './kv-cache-memory';
import { kvCacheSpeed } from './kv-cache-speed';
import { kvFlashSynergy } from './kv-flash-synergy';
import { kvQuantization } from './kv-quantization';
import { onlineSoftmax } from './online-softmax';
import { pagedAttention } from './paged-attention';
import { prefillDecodeBatching } from './prefill-decode-batching';
import { ropeRelative } from './rope-relative';
import { speculativeDecoding } from './speculative-decoding';
import type { Experiment } from './types';

/** Every runnable experiment by id (loads the engine; the UI uses catalog.ts instead). */
export const registry: ReadonlyMap<string, Experiment> = new Map(
  ([kvCacheSpeed, kvCacheMemory, flashVsNaive, flashExact, flashBackward, kvFlashSynergy, onlineSoftmax, ropeRelative, kvQuantization, pagedAttention, gqaMqa, prefillDecodeBatching, speculativeDecoding] as unknown as Experiment[]).map((experiment) => [experiment.id, experiment]),
);

import { defineParams, labels } from './params';
import type { ExperimentMeta } from './types';

const { schema, fields } = defineParams({
  maxTokens: { kind: 'int', label: { ko: '최대 시퀀스 길이 T', en: 'Longest sequence T' }, min: 16, max: 65536, default: 4096 },
  layers: { kind: 'int', label: labels.layers, min: 1, max: 48, default: 8 },
  heads: { kind: 'int', label: labels.heads, min: 1, max: 64, default: 8 },
  groupedKvHeads: { kind: 'int', label: { ko: 'GQA의 KV 헤드 수', en: 'KV heads for GQA' }, min: 1, max: 64, default: 2 },
  headDim: { kind: 'int', label: labels.headDim, min: 8, max: 128, default: 64, step: 8 },
});

export type KvCacheMemoryParams = ReturnType<typeof schema.parse>;

export const kvCacheMemoryMeta: ExperimentMeta<KvCacheMemoryParams> = {
  id: 'kv-cache-memory',
  title: { ko: 'KV-Cache의 메모리 비용', en: 'The memory cost of a KV-cache' },
  claim: {
    ko: '페이지드 KV-Cache의 메모리는 담은 토큰 수에 따라 늘어나며(토큰당 2·레이어·KV헤드·헤드차원·바이트) 그 3배를 넘지 않는다. GQA와 MQA는 KV 헤드 수만큼 줄인다. 최대 길이를 미리 잡는 연속 캐시는 그렇지 않다.',
    en: "A paged KV-cache's memory grows with the tokens it holds (2·layers·kv_heads·head_dim·bytes per token) and stays within 3× of that; GQA and MQA cut it by the number of KV heads. A cache reserved at the maximum length does not.",
  },
  params: schema,
  fields,
  // Allocation is what is measured: without a device there is nothing to measure.
  cpuReference: false,
};

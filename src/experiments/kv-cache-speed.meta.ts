import { defineParams, labels } from './params';
import type { ExperimentMeta } from './types';

const { schema, fields } = defineParams({
  tokens: { kind: 'int', label: labels.tokens, min: 4, max: 512, default: 96 },
  promptTokens: { kind: 'int', label: labels.promptTokens, min: 1, max: 128, default: 4 },
  layers: { kind: 'int', label: labels.layers, min: 1, max: 8, default: 1 },
  heads: { kind: 'int', label: labels.heads, min: 1, max: 16, default: 2 },
  headDim: { kind: 'int', label: labels.headDim, min: 8, max: 128, default: 16, step: 8 },
  seed: { kind: 'int', label: labels.seed, min: 0, max: 2 ** 31 - 1, default: 7 },
  repeats: { kind: 'int', label: labels.repeats, min: 5, max: 20, default: 5 },
});

export type KvCacheSpeedParams = ReturnType<typeof schema.parse>;

export const kvCacheSpeedMeta: ExperimentMeta<KvCacheSpeedParams> = {
  id: 'kv-cache-speed',
  title: { ko: 'KV-Cache와 디코딩 속도', en: 'KV-cache and decoding speed' },
  claim: {
    ko: 'KV-Cache를 쓰면 토큰당 디코딩 비용이 위치와 무관하게 거의 일정하고(마지막 위치가 처음의 1.5배 이하), 쓰지 않으면 위치에 따라 증가한다. 두 방식의 토큰과 로짓은 같다.',
    en: 'With a KV-cache the per-token decode cost stays flat (the last position costs at most 1.5× the first); without it, it grows with the position. Both ways give the same tokens and logits.',
  },
  params: schema,
  fields,
  cpuReference: false,
};

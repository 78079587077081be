import { defineParams, labels } from './params';
import type { ExperimentMeta } from './types';

const { schema, fields } = defineParams({
  tokens: { kind: 'int', label: labels.tokens, min: 4, max: 256, default: 4 },
  promptTokens: { kind: 'int', label: labels.promptTokens, min: 1, max: 1024, default: 250 },
  layers: { kind: 'int', label: labels.layers, min: 1, max: 8, default: 1 },
  heads: { kind: 'int', label: labels.heads, min: 1, max: 16, default: 4 },
  headDim: { kind: 'int', label: labels.headDim, min: 8, max: 128, default: 32, step: 8 },
  seed: { kind: 'int', label: labels.seed, min: 0, max: 2 ** 31 - 1, default: 13 },
  repeats: { kind: 'int', label: labels.repeats, min: 5, max: 20, default: 5 },
});

export type KvFlashSynergyParams = ReturnType<typeof schema.parse>;

export const kvFlashSynergyMeta: ExperimentMeta<KvFlashSynergyParams> = {
  id: 'kv-flash-synergy',
  title: { ko: 'KV-Cache와 Flash 디코딩의 조합', en: 'KV-cache and flash-decoding together' },
  claim: {
    ko: '두 기법은 함께 작동한다: 캐시가 중복 계산을 없애고, flash-decoding이 남은 어텐션을 캐시 조각으로 나누어 병렬로 처리해 더 빠르게 한다.',
    en: 'The two combine: the cache removes the repeated work, and flash-decoding speeds up what remains by splitting it across chunks of the cache processed in parallel.',
  },
  params: schema,
  fields,
  cpuReference: false,
};

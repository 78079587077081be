import { defineParams, labels } from './params';
import type { ExperimentMeta } from './types';

const { schema, fields } = defineParams({
  tokens: { kind: 'int', label: { ko: '캐시의 토큰 수', en: 'Tokens in the cache' }, min: 16, max: 8192, default: 512 },
  heads: { kind: 'int', label: { ko: '쿼리 헤드 수 H', en: 'Query heads H' }, min: 2, max: 64, default: 8 },
  groupedKvHeads: { kind: 'int', label: { ko: 'GQA의 KV 헤드 수 G', en: 'KV heads G for GQA' }, min: 1, max: 64, default: 2 },
  headDim: { kind: 'int', label: labels.headDim, min: 8, max: 128, default: 64, step: 8 },
  layers: { kind: 'int', label: labels.layers, min: 1, max: 8, default: 1 },
  repeats: { kind: 'int', label: labels.repeats, min: 5, max: 50, default: 10 },
  seed: { kind: 'int', label: labels.seed, min: 0, max: 2 ** 31 - 1, default: 17 },
});

export type GqaMqaParams = ReturnType<typeof schema.parse>;

export const gqaMqaMeta: ExperimentMeta<GqaMqaParams> = {
  id: 'gqa-mqa',
  title: { ko: 'GQA와 MQA: KV 헤드 공유', en: 'GQA and MQA: sharing KV heads' },
  claim: {
    ko: 'H개의 쿼리 헤드가 G개의 K/V 헤드를 나눠 쓰면(GQA; G = 1이면 MQA) KV-Cache가 MHA의 G/H로 줄고, 디코드 어텐션이 읽는 바이트가 그만큼 줄어 빨라진다.',
    en: "When H query heads share G key/value heads (GQA; MQA when G = 1) the KV-cache shrinks to G/H of MHA's, and decode attention, reading that many fewer bytes, runs faster.",
  },
  params: schema,
  fields,
  cpuReference: false,
};

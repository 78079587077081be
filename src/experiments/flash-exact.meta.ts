import { defineParams, labels } from './params';
import type { ExperimentMeta } from './types';

const { schema, fields } = defineParams({
  n: { kind: 'int', label: { ko: '시퀀스 길이 N', en: 'Sequence length N' }, min: 1, max: 4096, default: 200 },
  headDim: { kind: 'int', label: labels.headDim, min: 8, max: 128, default: 64, step: 8 },
  heads: { kind: 'int', label: labels.heads, min: 1, max: 16, default: 2 },
  causal: { kind: 'bool', label: labels.causal, default: true },
  seed: { kind: 'int', label: labels.seed, min: 0, max: 2 ** 31 - 1, default: 3 },
});

export type FlashExactParams = ReturnType<typeof schema.parse>;

export const flashExactMeta: ExperimentMeta<FlashExactParams> = {
  id: 'flash-exact',
  title: { ko: 'Flash-Attention은 정확하다', en: 'Flash-Attention is exact' },
  claim: {
    ko: 'Flash-Attention은 근사가 아니다: 블록 단위 온라인 소프트맥스로 표준 어텐션과 같은 값을 float32 반올림 오차 안에서 계산한다.',
    en: 'Flash-Attention is not an approximation: tile-by-tile online softmax gives the same values as standard attention, within float32 rounding.',
  },
  params: schema,
  fields,
  cpuReference: true,
};

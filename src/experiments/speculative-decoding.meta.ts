import { defineParams, labels } from './params';
import type { ExperimentMeta } from './types';

const { schema, fields } = defineParams({
  tokens: { kind: 'int', label: labels.tokens, min: 8, max: 256, default: 32 },
  draftLength: { kind: 'int', label: { ko: '한 번에 제안하는 초안 토큰 수 γ', en: 'Draft tokens per iteration γ' }, min: 1, max: 8, default: 4 },
  layers: { kind: 'int', label: { ko: '목표 모델의 레이어 수', en: 'Target model layers' }, min: 2, max: 12, default: 4 },
  refinement: { kind: 'int', label: { ko: '첫 레이어 뒤 레이어들의 기여 (%)', en: 'Weight of the layers after the first (%)' }, min: 1, max: 100, default: 5 },
  noise: { kind: 'int', label: { ko: '잡음 섞은 초안의 잡음 (%)', en: 'Noise of the noisy draft (%)' }, min: 1, max: 200, default: 40 },
  seed: { kind: 'int', label: labels.seed, min: 0, max: 2 ** 31 - 1, default: 3 },
});

export type SpeculativeDecodingParams = ReturnType<typeof schema.parse>;

export const speculativeDecodingMeta: ExperimentMeta<SpeculativeDecodingParams> = {
  id: 'speculative-decoding',
  title: { ko: '추측 디코딩', en: 'Speculative decoding' },
  claim: {
    ko: '탐욕적 수락(argmax)으로 하는 추측 디코딩의 출력은 목표 모델만으로 디코딩한 것과 토큰 하나까지 같고, 속도 향상은 초안의 수락률을 따른다: 목표를 잘 흉내 내는 초안은 목표 모델의 한 번의 실행으로 여러 토큰을 얻어 빨라지고, 무관한 초안은 그렇지 않다.',
    en: "With greedy (argmax) acceptance, speculative decoding's output is the target model's alone, token for token, and the speed-up follows the draft's acceptance rate: a draft that imitates the target gets several tokens per run of the target and is faster; an unrelated draft is not.",
  },
  params: schema,
  fields,
  cpuReference: false,
};

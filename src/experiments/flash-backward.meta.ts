import { defineParams, labels } from './params';
import type { ExperimentMeta } from './types';

const { schema, fields } = defineParams({
  n: { kind: 'int', label: { ko: '시퀀스 길이 N', en: 'Sequence length N' }, min: 1, max: 2048, default: 160 },
  headDim: { kind: 'int', label: labels.headDim, min: 8, max: 128, default: 32, step: 8 },
  heads: { kind: 'int', label: labels.heads, min: 1, max: 8, default: 1 },
  causal: { kind: 'bool', label: labels.causal, default: false },
  repeats: { kind: 'int', label: labels.repeats, min: 5, max: 20, default: 5 },
  seed: { kind: 'int', label: labels.seed, min: 0, max: 2 ** 31 - 1, default: 5 },
});

export type FlashBackwardParams = ReturnType<typeof schema.parse>;

export const flashBackwardMeta: ExperimentMeta<FlashBackwardParams> = {
  id: 'flash-backward',
  title: { ko: 'Flash-Attention 역전파의 재계산', en: 'Recomputation in the Flash-Attention backward pass' },
  claim: {
    ko: '역전파는 P를 저장하지 않고 저장된 logsumexp로 블록마다 다시 계산한다: 기울기는 같고, N×N 메모리가 필요 없다.',
    en: 'The backward pass recomputes P tile by tile from the saved logsumexp instead of storing it: the same gradients without the N×N memory.',
  },
  params: schema,
  fields,
  cpuReference: false,
};

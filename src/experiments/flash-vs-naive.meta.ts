import { defineParams, labels } from './params';
import type { ExperimentMeta } from './types';

const { schema, fields } = defineParams({
  maxN: { kind: 'int', label: { ko: '최대 시퀀스 길이 N', en: 'Longest sequence N' }, min: 64, max: 16384, default: 512 },
  headDim: { kind: 'int', label: labels.headDim, min: 8, max: 128, default: 64, step: 8 },
  heads: { kind: 'int', label: labels.heads, min: 1, max: 16, default: 1 },
  causal: { kind: 'bool', label: labels.causal, default: false },
  repeats: { kind: 'int', label: labels.repeats, min: 5, max: 20, default: 5 },
  seed: { kind: 'int', label: labels.seed, min: 0, max: 2 ** 31 - 1, default: 11 },
});

export type FlashVsNaiveParams = ReturnType<typeof schema.parse>;

export const flashVsNaiveMeta: ExperimentMeta<FlashVsNaiveParams> = {
  id: 'flash-vs-naive',
  title: { ko: 'Flash-Attention 대 표준 어텐션', en: 'Flash-Attention vs standard attention' },
  claim: {
    ko: 'Flash-Attention은 N×N 행렬을 메모리에 쓰지 않아 추가 메모리가 O(N)이고 더 빠르다. 표준 어텐션은 O(N²)이 필요해 결국 장치 한계를 넘는다.',
    en: 'Flash-Attention never writes the N×N matrix: its extra memory is O(N) and it runs faster. Standard attention needs O(N²) and eventually exceeds the device limit.',
  },
  params: schema,
  fields,
  cpuReference: false,
};

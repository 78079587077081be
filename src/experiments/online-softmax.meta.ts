import { defineParams, labels } from './params';
import type { ExperimentMeta } from './types';

const { schema, fields } = defineParams({
  length: { kind: 'int', label: { ko: '행의 로짓 수', en: 'Logits per row' }, min: 2, max: 65536, default: 1000 },
  rowsPerKind: { kind: 'int', label: { ko: '종류별 행 수', en: 'Rows of each kind' }, min: 1, max: 64, default: 4 },
  maxLogit: { kind: 'int', label: { ko: '큰 로짓의 크기', en: 'Size of the large logits' }, min: 100, max: 100000, default: 1000 },
  seed: { kind: 'int', label: labels.seed, min: 0, max: 2 ** 31 - 1, default: 7 },
});

export type OnlineSoftmaxParams = ReturnType<typeof schema.parse>;

export const onlineSoftmaxMeta: ExperimentMeta<OnlineSoftmaxParams> = {
  id: 'online-softmax',
  title: { ko: '온라인 소프트맥스', en: 'The online softmax' },
  claim: {
    ko: '최댓값을 빼는 소프트맥스는 큰 로짓에서도 넘치지 않고, 온라인 소프트맥스는 실행 중 최댓값으로 합을 재조정해 입력을 한 번만 읽고도 두 번 읽는(안전한) 형태와 반올림 오차 안에서 같은 결과를 낸다. 정의대로 exp부터 계산하면 inf/NaN이 된다.',
    en: 'Subtracting the max keeps the softmax from overflowing on large logits, and the online softmax, rescaling its sum by a running max, reads the input once and gives the same result as the two-pass (safe) form to rounding. Computed by its definition, exp first, it turns into inf/NaN.',
  },
  params: schema,
  fields,
  cpuReference: false,
};

import { defineParams, labels } from './params';
import type { ExperimentMeta } from './types';

const { schema, fields } = defineParams({
  dim: { kind: 'int', label: { ko: '가중치 크기 d (d×d)', en: 'Weight size d (d×d)' }, min: 64, max: 16384, default: 256, step: 64 },
  maxBatch: { kind: 'int', label: { ko: '가장 큰 디코드 묶음', en: 'Largest decode batch' }, min: 4, max: 512, default: 64 },
  promptTokens: { kind: 'int', label: labels.promptTokens, min: 16, max: 4096, default: 64 },
  repeats: { kind: 'int', label: labels.repeats, min: 5, max: 50, default: 5 },
});

export type PrefillDecodeBatchingParams = ReturnType<typeof schema.parse>;

export const prefillDecodeBatchingMeta: ExperimentMeta<PrefillDecodeBatchingParams> = {
  id: 'prefill-decode-batching',
  title: { ko: '프리필과 디코드, 그리고 배칭', en: 'Prefill, decode and batching' },
  claim: {
    ko: '프리필(많은 토큰을 한 번에: GEMM)은 계산 병목이고 디코드(한 토큰씩: GEMV)는 메모리 병목이다. 그래서 디코드 요청을 묶으면 한 번 읽은 가중치로 여러 토큰을 만들어 처리량이 계산 한계에 닿을 때까지 늘어난다. 이미 계산 병목인 프리필은 묶어도 처리량이 늘지 않는다.',
    en: 'Prefill (many tokens at once: a GEMM) is compute-bound and decode (one token at a time: a GEMV) memory-bound, so batching decode requests makes one read of the weights serve several tokens and raises throughput until the compute roof. Prefill, already compute-bound, gains nothing from batching.',
  },
  params: schema,
  fields,
  cpuReference: false,
};

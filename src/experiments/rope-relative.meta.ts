import { defineParams, labels } from './params';
import type { ExperimentMeta } from './types';

const { schema, fields } = defineParams({
  positions: { kind: 'int', label: { ko: '블록의 위치 수', en: 'Positions per block' }, min: 2, max: 512, default: 64 },
  shift: { kind: 'int', label: { ko: '모든 위치를 옮기는 거리 Δ', en: 'Shift Δ of every position' }, min: 1, max: 100000, default: 1000 },
  heads: { kind: 'int', label: labels.heads, min: 1, max: 16, default: 4 },
  headDim: { kind: 'int', label: labels.headDim, min: 2, max: 256, default: 64, step: 2 },
  seed: { kind: 'int', label: labels.seed, min: 0, max: 2 ** 31 - 1, default: 11 },
});

export type RopeRelativeParams = ReturnType<typeof schema.parse>;

export const ropeRelativeMeta: ExperimentMeta<RopeRelativeParams> = {
  id: 'rope-relative',
  title: { ko: 'RoPE는 상대 위치만 본다', en: 'RoPE sees only relative positions' },
  claim: {
    ko: '회전 위치 임베딩(RoPE)에서는 점수 q·k가 두 위치의 차이에만 의존한다: 모든 위치를 같은 거리만큼 옮겨도 점수는 float32 반올림 안에서 같다. 위치마다 학습된 벡터를 더하는 절대 위치 임베딩은 그렇지 않다.',
    en: 'With rotary position embeddings (RoPE) the score q·k depends only on the distance between the two positions: shifting every position by the same amount leaves the scores equal to float32 rounding. Learned absolute position embeddings, a vector added per position, do not.',
  },
  params: schema,
  fields,
  cpuReference: false,
};

import { AppError } from '../shared/errors';
import { measureKvCacheMemory } from '../engine/decode/kvCache';
import { kvCacheMemoryMeta, type KvCacheMemoryParams } from './kv-cache-memory.meta';
import { both, bytes, cpuReferenceDevice, finish, logLogSlope, num, yieldToEvents } from './support';
import type { ExperimentResult } from './types';
import type { Experiment, ProgressFn } from './types';
import type { DeviceInfo } from '../engine/device-info';

/** The most device memory one measurement may take; larger caches are computed, not allocated. */
const allocationBudget = 1024 ** 3;

type Variant = { id: 'mha' | 'gqa' | 'mqa'; kvHeads: number; label: { ko: string; en: string } };

function variants(params: KvCacheMemoryParams): Variant[] {
  if (params.groupedKvHeads > params.heads || params.heads % params.groupedKvHeads !== 0) {
    throw new AppError('invalid-args', `groupedKvHeads (${params.groupedKvHeads}) must divide heads (${params.heads})`, { detail: 'groupedKvHeads must divide heads' });
  }
  return [
    { id: 'mha', kvHeads: params.heads, label: both(`MHA (KV 헤드 ${params.heads})`, `MHA (${params.heads} KV heads)`) },
    { id: 'gqa', kvHeads: params.groupedKvHeads, label: both(`GQA (KV 헤드 ${params.groupedKvHeads})`, `GQA (${params.groupedKvHeads} KV heads)`) },
    { id: 'mqa', kvHeads: 1, label: both('MQA (KV 헤드 1)', 'MQA (1 KV head)') },
  ];
}

/** T from 1/16 of the longest sequence up to it, doubling. */
function lengths(maxTokens: number): number[] {
  const out: number[] = [];
  for (let t = maxTokens; t >= 16 && out.length < 5; t = Math.floor(t / 2)) out.unshift(t);
  return out;
}

type Measure = (kvHeads: number, positions: number) => { allocated: number | null; formula: number };

async function measureAll(
  params: KvCacheMemoryParams,
  device: DeviceInfo,
  measure: Measure,
  progress: ProgressFn,
  signal: AbortSignal,
  startedAt: number,
): Promise<ExperimentResult> {
  const kinds = variants(params);
  const ts = lengths(params.maxTokens);
  const rows: (number | string | null)[][] = [];
  const measured: Record<string, { allocated: (number | null)[]; formula: number[] }> = {};
  let step = 0;
  for (const variant of kinds) {
    measured[variant.id] = { allocated: [], formula: [] };
    for (const t of ts) {
      await yieldToEvents(signal);
      const { allocated, formula } = measure(variant.kvHeads, t);
      measured[variant.id].allocated.push(allocated);
      measured[variant.id].formula.push(formula);
      rows.push([variant.id.toUpperCase(), variant.kvHeads, t, allocated, formula]);
      progress(++step / (kinds.length * ts.length), `${variant.id.toUpperCase()} T=${t}`);
    }
  }
  const onDevice = device.backend === 'webgpu';
  const values = (id: string) => measured[id].allocated.map((a, i) => a ?? measured[id].formula[i]);
  const exact = kinds.every((v) => measured[v.id].allocated.every((a, i) => a === null || a === measured[v.id].formula[i]));
  const slope = logLogSlope(ts, values('mha'));
  const linear = Math.abs(slope - 1) <= 0.02;
  const last = ts.length - 1;
  const gqaRatio = values('mha')[last] / values('gqa')[last];
  const mqaRatio = values('mha')[last] / values('mqa')[last];
  const ratios = Math.abs(gqaRatio - params.heads / params.groupedKvHeads) < 1e-9 && Math.abs(mqaRatio - params.heads) < 1e-9;
  const holds = exact && linear && ratios;
  const tMax = ts[last];
  const summary = both(
    `${onDevice ? '장치에 할당된' : '공식으로 계산한'} MHA 캐시는 T=${tMax}에서 ${bytes(values('mha')[last])}로 공식 2·${params.layers}·${params.heads}·${params.headDim}·T·4와 ${exact ? '정확히 같고' : '다르고'}, T에 대한 로그-로그 기울기 ${num(slope)}(${linear ? '선형' : '선형 아님'}). GQA는 ${num(gqaRatio)}배, MQA는 ${num(mqaRatio)}배 작음.`,
    `${onDevice ? 'Allocated on the device' : 'Computed from the formula'}, the MHA cache at T=${tMax} takes ${bytes(values('mha')[last])}, ${exact ? 'exactly' : 'not'} the formula 2·${params.layers}·${params.heads}·${params.headDim}·T·4; log-log slope in T is ${num(slope)} (${linear ? 'linear' : 'not linear'}). GQA is ${num(gqaRatio)}× smaller, MQA ${num(mqaRatio)}×.`,
  );
  return finish(
    {
      experimentId: kvCacheMemoryMeta.id,
      params,
      device,
      metrics: {
        mhaBytesAtMax: values('mha')[last],
        gqaBytesAtMax: values('gqa')[last],
        mqaBytesAtMax: values('mqa')[last],
        logLogSlope: slope,
        allocatedEqualsFormula: onDevice ? exact : null,
        gqaReduction: gqaRatio,
        mqaReduction: mqaRatio,
        bytesPerToken: values('mha')[last] / tMax,
      },
      table: {
        columns: [both('방식', 'Attention'), both('KV 헤드', 'KV heads'), both('T', 'T'), both('할당 바이트', 'Allocated bytes'), both('공식 바이트', 'Formula bytes')],
        rows,
      },
      series: kinds.map((v) => ({ id: v.id, label: v.label, x: ts, y: values(v.id) })),
      charts: [
        {
          id: 'cache-bytes',
          title: both('KV-Cache 메모리 대 시퀀스 길이', 'KV-cache memory vs sequence length'),
          xLabel: both('시퀀스 길이 T (로그)', 'Sequence length T (log)'),
          yLabel: both('바이트 (로그)', 'Bytes (log)'),
          xLog: true,
          yLog: true,
          series: kinds.map((v) => v.id),
        },
      ],
      verdict: { holds, summary },
      context: onDevice
        ? both(
            '레이어마다 K와 V 버퍼를 [KV헤드][T][헤드차원] float32로 실제 GPU에 할당해 센 값입니다. 로그-로그 축에서 기울기 1인 직선이 선형 증가입니다. GQA/MQA는 여러 쿼리 헤드가 KV 헤드를 공유해 캐시를 줄입니다.',
            'These are the K and V buffers, [kv_heads][T][head_dim] float32 per layer, actually allocated on the GPU. On log-log axes, a line of slope 1 is linear growth. GQA/MQA share KV heads between query heads, shrinking the cache.',
          )
        : both('GPU가 없어 공식으로만 계산한 값입니다(할당 측정 없음).', 'No GPU: these bytes come from the formula only (nothing was allocated).'),
    },
    startedAt,
  );
}

/** Allocates KV-caches of growing length for MHA, GQA and MQA and compares the bytes with the formula. */
export const kvCacheMemory: Experiment<KvCacheMemoryParams> = {
  ...kvCacheMemoryMeta,
  run(engine, params, progress, signal) {
    const startedAt = Date.now();
    return measureAll(
      params,
      engine.info,
      (kvHeads, positions) => {
        const formula = 2 * params.layers * kvHeads * params.headDim * positions * 4;
        const perBuffer = formula / (2 * params.layers);
        // Past the device's buffer limit or the memory budget nothing is allocated (formula only).
        if (perBuffer > engine.info.limits.maxBufferSize || formula > allocationBudget) return { allocated: null, formula };
        const result = measureKvCacheMemory(engine, { layers: params.layers, kvHeads, headDim: params.headDim, positions });
        return { allocated: result.allocatedBytes, formula: result.formulaBytes };
      },
      progress,
      signal,
      startedAt,
    );
  },
  runReference(params, progress, signal) {
    const startedAt = Date.now();
    return measureAll(
      params,
      cpuReferenceDevice,
      (kvHeads, positions) => ({ allocated: null, formula: 2 * params.layers * kvHeads * params.headDim * positions * 4 }),
      progress,
      signal,
      startedAt,
    );
  },
};

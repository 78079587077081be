import { AppError } from '../shared/errors';
import { fillKvCache, type KvFillPoint, type KvFillResult } from '../engine/decode/kv-memory';
import { kvTokenBytes, type KvCacheLayout } from '../engine/decode/kv-pool';
import { kvCacheMemoryMeta, type KvCacheMemoryParams } from './kv-cache-memory.meta';
import { memoryClaimTest, WASTE_FACTOR, type MemoryArm, type Variant } from './kv-memory-checks';
import { both, bytes, finish, guarded, joinContext, softwareGpuContext } from './support';
import type { Experiment, Localized, Series } from './types';
import { judge, modelled } from './verdict';

/** The most device memory one fill may take: past it a row is not run (and says so). */
const ALLOCATION_BUDGET = 2 * 1024 ** 3;
/** A batch of requests as a server sees them: a few long, most short (fractions of maxTokens). */
const BATCH_FRACTIONS = [1, 1 / 2, 1 / 4, 1 / 8, 1 / 16, 1 / 16, 1 / 32, 1 / 32];

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

/** T from 1/16 of the longest sequence up to it, doubling (at most 5 lengths). */
function lengths(maxTokens: number): number[] {
  const out: number[] = [];
  for (let t = maxTokens; t >= 16 && out.length < 5; t = Math.floor(t / 2)) out.unshift(t);
  return out;
}

const LAYOUTS: Record<KvCacheLayout, Localized> = {
  paged: both('페이지드(블록 단위 할당)', 'paged (blocks as tokens arrive)'),
  contiguous: both('연속(최대 길이 미리 할당)', 'contiguous (max length reserved up front)'),
};

/** A point's bytes in a sentence, or why there are none. */
function said(point: KvFillPoint): Localized {
  if (point.status === 'allocated') return both(bytes(point.allocatedBytes!), bytes(point.allocatedBytes!));
  return point.status === 'refused' ? both('장치가 거부', 'refused by the device') : both('예산 초과로 실행 안 됨', 'not run (over budget)');
}

function cell(point: KvFillPoint): number | string {
  if (point.status === 'allocated') return point.allocatedBytes!;
  return point.status === 'refused' ? 'refused by the device' : `not run (over ${bytes(ALLOCATION_BUDGET)})`;
}

/**
 * Fills the decoder's KV-cache pool token by token — paged, and the contiguous control that
 * reserves the maximum length up front — for MHA, GQA and MQA and for a batch of requests of
 * varied lengths, reading the bytes the device really holds from a memory tracker.
 */
export const kvCacheMemory: Experiment<KvCacheMemoryParams> = {
  ...kvCacheMemoryMeta,
  async run(engine, params, progress, signal) {
    const startedAt = Date.now();
    const kinds = variants(params);
    const ts = lengths(params.maxTokens);
    const batch = BATCH_FRACTIONS.map((f) => Math.max(1, Math.round(f * params.maxTokens)));
    const batchTotal = batch.reduce((sum, length) => sum + length, 0);
    const fills = (['paged', 'contiguous'] as const).flatMap((layout) => [
      ...kinds.map((variant) => ({ layout, variant, lengths: [params.maxTokens], checkpoints: ts })),
      { layout, variant: kinds[1], lengths: batch, checkpoints: [batchTotal], batch: true },
    ]);
    const results: KvFillResult[] = [];
    for (const [index, fill] of fills.entries()) {
      const label = `${fill.layout} ${fill.variant.id.toUpperCase()}${'batch' in fill ? ' batch' : ''}`;
      progress(index / fills.length, label);
      results.push(
        await guarded(signal, () =>
          fillKvCache(engine, {
            shape: { layers: params.layers, kvHeads: fill.variant.kvHeads, headDim: params.headDim },
            layout: fill.layout,
            maxPositions: params.maxTokens,
            lengths: fill.lengths,
            checkpoints: fill.checkpoints,
            budgetBytes: ALLOCATION_BUDGET,
            signal,
            onProgress: (fraction) => progress((index + Math.min(1, fraction)) / fills.length, label),
          }),
        ),
      );
    }
    progress(1, 'done');
    const arm = (layout: KvCacheLayout): MemoryArm => {
      const of = (predicate: (fill: (typeof fills)[number]) => boolean) => results[fills.findIndex(predicate)];
      return {
        label: LAYOUTS[layout],
        ts,
        sweeps: Object.fromEntries(kinds.map((v) => [v.id, of((f) => f.layout === layout && f.variant.id === v.id && !('batch' in f)).points])),
        batch: of((f) => f.layout === layout && 'batch' in f).points[0],
        refusal: results.filter((_, i) => fills[i].layout === layout).map((r) => r.refusal).find((r) => r !== null) ?? null,
      };
    };
    const paged = arm('paged');
    const contiguous = arm('contiguous');
    const mhaToken = kvTokenBytes({ layers: params.layers, kvHeads: params.heads, headDim: params.headDim });
    const last = ts.length - 1;
    const at = (a: MemoryArm, id: string) => a.sweeps[id][last].allocatedBytes;
    const first = (a: MemoryArm) => said(a.sweeps.mha[0]);
    const end = (a: MemoryArm) => said(a.sweeps.mha[last]);
    const { verdict, control } = judge({
      checks: memoryClaimTest(paged, kinds, params.heads),
      control: {
        description: both('대조군: 연속 캐시(시퀀스마다 최대 길이를 처음에 미리 할당, vLLM 이전 방식)', 'Control: a contiguous cache (each sequence reserves its maximum length up front, as before vLLM)'),
        checks: memoryClaimTest(contiguous, kinds, params.heads),
      },
      model: [
        modelled('formula.perToken', both('토큰당 바이트 2·레이어·KV헤드·헤드차원·4 (MHA)', 'Bytes per token 2·layers·kv_heads·head_dim·4 (MHA)'), mhaToken, 'B'),
        modelled('formula.atMax', both(`T=${ts[last]}의 공식 바이트 (MHA)`, `Formula bytes at T=${ts[last]} (MHA)`), mhaToken * ts[last], 'B'),
      ],
      summary: both(
        `측정(장치가 받아들인 버퍼): MHA 캐시가 T=${ts[0]}→${ts[last]}에서 페이지드 ${first(paged).ko}→${end(paged).ko}, 연속 ${first(contiguous).ko}→${end(contiguous).ko}. 길이가 섞인 요청 ${batch.length}개(토큰 ${batchTotal}개, GQA): 페이지드 ${said(paged.batch).ko}, 연속 ${said(contiguous.batch).ko}, 토큰이 필요한 양 ${bytes(paged.batch.neededBytes)}.`,
        `Measured (buffers the device accepted): over T=${ts[0]}→${ts[last]} the MHA cache held ${first(paged).en}→${end(paged).en} paged and ${first(contiguous).en}→${end(contiguous).en} contiguous. A batch of ${batch.length} requests of mixed lengths (${batchTotal} tokens, GQA): paged ${said(paged.batch).en}, contiguous ${said(contiguous.batch).en}, for ${bytes(paged.batch.neededBytes)} its tokens need.`,
      ),
      meaning: {
        holds: both(
          '카드의 답이 이 기기에서 확인되었습니다: 페이지드 KV-Cache는 토큰이 늘어나는 만큼만(토큰당 2·레이어·KV헤드·헤드차원·바이트) 메모리를 잡고, GQA/MQA는 KV 헤드 수만큼 줄입니다. 최대 길이를 미리 잡는 연속 캐시는 짧은 요청에서 대부분을 낭비합니다.',
          "The card's answer is confirmed on this device: a paged KV-cache holds memory as tokens arrive (2·layers·kv_heads·head_dim·bytes per token), and GQA/MQA cut it by the number of KV heads. A contiguous cache that reserves the maximum length wastes most of it on short requests.",
        ),
        'does-not-hold': both('이 실행에서 측정된 수치가 주장과 어긋납니다. 아래 항목에서 어느 부분인지 확인하세요.', 'A number measured in this run contradicts the claim: see which check below.'),
        'not-shown': both(
          '이 실행에서는 주장의 일부를 보여 줄 수 없었습니다(예: 장치가 할당을 거부했거나 예산을 넘어 실행하지 않음). 최대 길이를 줄여 다시 실행해 보세요.',
          'This run could not show part of the claim (e.g. the device refused an allocation or a row was over the budget and not run). Try a smaller maximum length.',
        ),
      },
    });
    const rows: (number | string | null)[][] = [];
    for (const [index, fill] of fills.entries()) {
      for (const point of results[index].points) {
        const allocated = point.status === 'allocated' ? point.allocatedBytes! : null;
        rows.push([
          LAYOUTS[fill.layout].en,
          'batch' in fill ? `${fill.variant.id.toUpperCase()} batch of ${batch.length}` : fill.variant.id.toUpperCase(),
          fill.variant.kvHeads,
          point.tokens,
          cell(point),
          point.neededBytes,
          allocated === null ? null : allocated / point.neededBytes,
        ]);
      }
    }
    const series: Series[] = [];
    for (const layout of ['paged', 'contiguous'] as const) {
      const a = layout === 'paged' ? paged : contiguous;
      for (const v of kinds) {
        const points = a.sweeps[v.id].map((p, i) => ({ x: ts[i], y: p.allocatedBytes })).filter((p): p is { x: number; y: number } => p.y !== null);
        series.push({ id: layout === 'paged' ? v.id : `contiguous-${v.id}`, label: both(`${v.label.ko} — ${LAYOUTS[layout].ko}`, `${v.label.en} — ${LAYOUTS[layout].en}`), x: points.map((p) => p.x), y: points.map((p) => p.y) });
      }
    }
    series.push({ id: 'needed-mha', label: both('MHA 토큰이 필요한 바이트 (공식, 모델)', 'MHA bytes the tokens need (formula, model)'), x: ts, y: ts.map((t) => t * mhaToken) });
    const gqa = kinds[1];
    return finish(
      {
        experimentId: kvCacheMemoryMeta.id,
        params,
        device: engine.info,
        metrics: {
          pagedMhaBytesAtFirst: paged.sweeps.mha[0].allocatedBytes,
          pagedMhaBytesAtMax: at(paged, 'mha'),
          contiguousMhaBytesAtFirst: contiguous.sweeps.mha[0].allocatedBytes,
          contiguousMhaBytesAtMax: at(contiguous, 'mha'),
          gqaReduction: at(paged, 'mha') !== null && at(paged, 'gqa') ? at(paged, 'mha')! / at(paged, 'gqa')! : null,
          mqaReduction: at(paged, 'mha') !== null && at(paged, 'mqa') ? at(paged, 'mha')! / at(paged, 'mqa')! : null,
          batchNeededBytes: paged.batch.neededBytes,
          batchPagedBytes: paged.batch.allocatedBytes,
          batchContiguousBytes: contiguous.batch.allocatedBytes,
          batchPagedWaste: paged.batch.allocatedBytes === null ? null : 1 - paged.batch.neededBytes / paged.batch.allocatedBytes,
          batchContiguousWaste: contiguous.batch.allocatedBytes === null ? null : 1 - contiguous.batch.neededBytes / contiguous.batch.allocatedBytes,
          wasteFactorBar: WASTE_FACTOR,
          refusal: paged.refusal ?? contiguous.refusal,
          formulaBytesPerTokenMha: mhaToken,
        },
        table: {
          columns: [
            both('캐시', 'Cache'),
            both('방식', 'Attention'),
            both('KV 헤드', 'KV heads'),
            both('토큰', 'Tokens'),
            both('할당 바이트 (측정)', 'Allocated bytes (measured)'),
            both('필요 바이트 (공식, 모델)', 'Needed bytes (formula, model)'),
            both('할당/필요', 'Allocated / needed'),
          ],
          rows,
        },
        series,
        charts: [
          {
            id: 'cache-bytes',
            title: both('장치가 할당한 KV-Cache 메모리 대 시퀀스 길이', 'KV-cache memory the device allocated vs sequence length'),
            xLabel: both('시퀀스 길이 T (로그)', 'Sequence length T (log)'),
            yLabel: both('바이트 (로그)', 'Bytes (log)'),
            xLog: true,
            yLog: true,
            series: series.map((s) => s.id),
          },
        ],
        verdict,
        control,
        context: joinContext(
          both(
            `디코더의 KV-Cache 풀에 토큰을 하나씩(디코딩처럼) 넣으며, 장치가 실제로 받아들인 버퍼의 바이트를 메모리 추적기로 읽었습니다(모델의 계산은 생략: 캐시 메모리는 계산과 무관하며, 테스트가 모델 디코딩이 같은 버퍼를 할당함을 확인합니다). 페이지드 캐시는 16토큰 블록을 필요할 때 나눠 주고, 장치 버퍼(슬랩)는 두 배씩 커지며 늘어납니다. 길이가 섞인 요청 묶음(${batch.join(', ')}토큰, ${gqa.label.ko})은 vLLM이 해결한 상황입니다. 공식 2·레이어·KV헤드·헤드차원·T·4는 모델로만 표시되며 판정을 내리지 않습니다.`,
            `Tokens were put into the decoder's KV-cache pool one at a time, as decoding does, and the bytes of the buffers the device really accepted were read from a memory tracker (the model's compute is left out: cache memory does not depend on it, and the tests check that decoding through the model allocates the same buffers). The paged cache hands out 16-token blocks as needed, and its device buffers (slabs) grow by doubling. The batch of requests of mixed lengths (${batch.join(', ')} tokens, ${gqa.label.en}) is the situation vLLM addresses. The formula 2·layers·kv_heads·head_dim·T·4 is shown as a model and decides nothing.`,
          ),
          engine.info.isFallback ? softwareGpuContext : undefined,
        ),
      },
      startedAt,
    );
  },
};


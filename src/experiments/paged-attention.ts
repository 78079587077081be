import { AppError } from '../shared/errors';
import { fillKvCache, type KvFillPoint, type KvFillResult } from '../engine/decode/kv-memory';
import { kvTokenBytes, type KvCacheLayout } from '../engine/decode/kv-pool';
import { SeededRandom } from '../engine/reference/random';
import { WASTE_FACTOR } from './kv-memory-checks';
import { pagedAttentionMeta, type PagedAttentionParams } from './paged-attention.meta';
import { both, bytes, finish, guarded, joinContext, num, softwareGpuContext } from './support';
import type { Experiment, Localized, Series } from './types';
import { judge, measured, modelled, type Check, type Outcome } from './verdict';

/** The batch's waste vLLM reports with paging ("under 4%"): the bar of the batch check. */
export const BATCH_WASTE_BAR = 0.04;
/** The most device memory one fill may take: past it a layout is not run (and says so). */
const ALLOCATION_BUDGET = 1024 ** 3;

const LAYOUTS: Record<KvCacheLayout, Localized> = {
  paged: both('페이지드(블록을 필요할 때 할당)', 'paged (blocks allocated on demand)'),
  contiguous: both('연속(요청마다 최대 길이를 미리 할당)', "contiguous (each request's maximum reserved up front)"),
};

/** Arm names short enough for a chart's legend. */
const SHORT: Record<KvCacheLayout, Localized> = { paged: both('페이지드', 'Paged'), contiguous: both('연속', 'Contiguous') };

/**
 * Final lengths of the batch: log-uniform between 16 tokens and `maxTokens` (seeded), so most
 * requests are short and a few long, as the outputs a server sees.
 */
export function requestLengths(params: Pick<PagedAttentionParams, 'requests' | 'maxTokens' | 'seed'>): number[] {
  const random = new SeededRandom(params.seed);
  const low = Math.log(Math.min(16, params.maxTokens));
  const high = Math.log(params.maxTokens);
  return Array.from({ length: params.requests }, () => Math.max(1, Math.min(params.maxTokens, Math.round(Math.exp(low + (high - low) * random.nextUniform())))));
}

/** What one layout held at the end of the batch, read from its block tables and the memory tracker. */
interface LayoutMeasures {
  label: Localized;
  point: KvFillPoint;
  blockTokens: number;
  tokenBytes: number;
  refusal: string | null;
}

const slotsHeld = (arm: LayoutMeasures) => (arm.point.sequenceBlocks ?? []).map((blocks) => blocks * arm.blockTokens);
const emptySlots = (arm: LayoutMeasures) => slotsHeld(arm).map((slots, request) => slots - arm.point.sequenceTokens[request]);

function notRun(arm: LayoutMeasures): Localized {
  return arm.point.status === 'refused'
    ? both(`장치가 캐시 할당을 거부했습니다: "${arm.refusal}".`, `The device refused the cache's allocation: "${arm.refusal}".`)
    : both(`이 배치는 이 실험의 메모리 예산(${bytes(ALLOCATION_BUDGET)})을 넘어 실행하지 않았습니다.`, `This batch would exceed the experiment's memory budget (${bytes(ALLOCATION_BUDGET)}) and was not run.`);
}

/** The claim's test on one layout: under one block of waste per request, under 4% over the batch, device memory near the use. */
function claimTest(arm: LayoutMeasures): Check[] {
  const claims = {
    perRequest: both(`${arm.label.ko}: 요청마다 빈 슬롯이 블록 하나(${arm.blockTokens}토큰)보다 적다`, `${arm.label.en}: every request leaves fewer empty slots than one block (${arm.blockTokens} tokens)`),
    batch: both(`${arm.label.ko}: 묶음 전체에서 잡은 슬롯의 ${BATCH_WASTE_BAR * 100}% 미만이 빈다`, `${arm.label.en}: under ${BATCH_WASTE_BAR * 100}% of the slots held for the batch are empty`),
    device: both(`${arm.label.ko}: 장치 메모리가 토큰이 쓰는 양의 ${WASTE_FACTOR}배를 넘지 않는다`, `${arm.label.en}: the device memory stays within ${WASTE_FACTOR}× what the tokens use`),
  };
  if (arm.point.status !== 'allocated') {
    return (['per-request', 'batch-waste', 'device-memory'] as const).map((id, index) => ({
      id,
      claim: [claims.perRequest, claims.batch, claims.device][index],
      outcome: 'not-shown' as Outcome,
      observed: notRun(arm),
      evidence: [measured(`${id}.refusal`, both('장치의 거부 메시지', "The device's refusal"), arm.refusal, '', false)],
    }));
  }
  const empty = emptySlots(arm);
  const worst = Math.max(...empty);
  const worstRequest = empty.indexOf(worst);
  const held = slotsHeld(arm).reduce((sum, slots) => sum + slots, 0);
  const used = arm.point.sequenceTokens.reduce((sum, tokens) => sum + tokens, 0);
  const waste = 1 - used / held;
  const deviceRatio = arm.point.allocatedBytes! / (used * arm.tokenBytes);
  return [
    {
      id: 'per-request',
      claim: claims.perRequest,
      outcome: worst < arm.blockTokens ? 'holds' : 'does-not-hold',
      observed: both(
        `가장 많이 비운 요청(${arm.point.sequenceTokens[worstRequest]}토큰): 블록 테이블이 잡은 슬롯 ${slotsHeld(arm)[worstRequest]}개 중 ${worst}개가 빔.`,
        `The request with the most empty slots (${arm.point.sequenceTokens[worstRequest]} tokens): ${worst} of the ${slotsHeld(arm)[worstRequest]} slots its block table holds are empty.`,
      ),
      evidence: [
        measured('per-request.emptySlots', both('한 요청의 최대 빈 슬롯 수 (블록 테이블)', 'Most empty slots of one request (block tables)'), worst, 'tokens'),
      ],
    },
    {
      id: 'batch-waste',
      claim: claims.batch,
      outcome: waste < BATCH_WASTE_BAR ? 'holds' : 'does-not-hold',
      observed: both(
        `요청 ${arm.point.sequenceTokens.length}개가 토큰 ${used}개에 슬롯 ${held}개를 잡음: ${num(waste * 100)}%가 빔.`,
        `${arm.point.sequenceTokens.length} requests hold ${held} slots for ${used} tokens: ${num(waste * 100)}% empty.`,
      ),
      evidence: [
        measured('batch-waste.share', both('묶음에서 빈 슬롯의 비율 (블록 테이블)', "Share of the batch's slots left empty (block tables)"), waste, ''),
        measured('batch-waste.slots', both('잡은 슬롯 수', 'Slots held'), held, 'tokens', false),
      ],
    },
    {
      id: 'device-memory',
      claim: claims.device,
      outcome: deviceRatio <= WASTE_FACTOR ? 'holds' : 'does-not-hold',
      observed: both(
        `장치가 받아들인 캐시 버퍼 ${bytes(arm.point.allocatedBytes!)}, 토큰이 쓰는 양 ${bytes(used * arm.tokenBytes)}의 ${num(deviceRatio)}배.`,
        `The cache buffers the device accepted hold ${bytes(arm.point.allocatedBytes!)}, ${num(deviceRatio)}× the ${bytes(used * arm.tokenBytes)} the tokens use.`,
      ),
      evidence: [
        measured('device-memory.bytes', both('캐시의 장치 메모리 (메모리 추적기)', "The cache's device memory (memory tracker)"), arm.point.allocatedBytes, 'B', false),
        measured('device-memory.ratio', both('장치 메모리 ÷ 토큰이 쓰는 바이트', 'Device memory ÷ bytes the tokens use'), deviceRatio, '×'),
      ],
    },
  ];
}

/**
 * Fills the decoder's KV-cache pool with a batch of requests of varied lengths, tokens arriving one
 * at a time side by side as decoding does, once paged (blocks on demand) and once contiguous (the
 * control: every request's maximum reserved at its first token); reads each request's slots from
 * the block tables and the device memory from a tracker at four points of the fill.
 */
export const pagedAttention: Experiment<PagedAttentionParams> = {
  ...pagedAttentionMeta,
  async run(engine, params, progress, signal) {
    const startedAt = Date.now();
    if ((params.blockTokens & (params.blockTokens - 1)) !== 0) {
      throw new AppError('invalid-args', `blockTokens (${params.blockTokens}) must be a power of two`, { detail: 'blockTokens must be a power of two' });
    }
    const lengths = requestLengths(params);
    const total = lengths.reduce((sum, length) => sum + length, 0);
    const checkpoints = [1, 2, 3, 4].map((quarter) => Math.max(1, Math.round((total * quarter) / 4)));
    const shape = { layers: params.layers, kvHeads: params.kvHeads, headDim: params.headDim };
    const tokenBytes = kvTokenBytes(shape);
    const fills: Record<KvCacheLayout, KvFillResult> = {} as Record<KvCacheLayout, KvFillResult>;
    for (const [index, layout] of (['paged', 'contiguous'] as const).entries()) {
      progress(index / 2, `${layout}: ${params.requests} requests, ${total} tokens`);
      fills[layout] = await guarded(signal, () =>
        fillKvCache(engine, {
          shape,
          layout,
          maxPositions: params.maxTokens,
          lengths,
          checkpoints,
          budgetBytes: ALLOCATION_BUDGET,
          blockTokens: params.blockTokens,
          signal,
          onProgress: (fraction) => progress((index + Math.min(1, fraction)) / 2, layout),
        }),
      );
    }
    progress(1, 'done');
    const arm = (layout: KvCacheLayout): LayoutMeasures => ({
      label: LAYOUTS[layout],
      point: fills[layout].points[fills[layout].points.length - 1],
      blockTokens: fills[layout].blockTokens,
      tokenBytes,
      refusal: fills[layout].refusal,
    });
    const paged = arm('paged');
    const contiguous = arm('contiguous');
    const share = (a: LayoutMeasures) => {
      if (a.point.status !== 'allocated') return null;
      const held = slotsHeld(a).reduce((sum, slots) => sum + slots, 0);
      return 1 - total / held;
    };
    const percent = (value: number | null) => (value === null ? '—' : `${num(value * 100)}%`);
    const deviceBytes = (a: LayoutMeasures) => (a.point.allocatedBytes === null ? (a.point.status === 'refused' ? both('장치가 거부', 'refused by the device') : both('실행 안 됨', 'not run')) : both(bytes(a.point.allocatedBytes), bytes(a.point.allocatedBytes)));
    const { verdict, control } = judge({
      checks: claimTest(paged),
      control: { description: both('대조군: 연속 캐시 — 요청마다 최대 길이를 첫 토큰에서 미리 잡음(vLLM 이전 시스템)', "Control: a contiguous cache — each request's maximum length reserved at its first token (systems before vLLM)"), checks: claimTest(contiguous) },
      model: [modelled('formula.tokenBytes', both('토큰당 바이트 2·레이어·KV헤드·헤드차원·4', 'Bytes per token 2·layers·kv_heads·head_dim·4'), tokenBytes, 'B')],
      summary: both(
        `측정(요청 ${params.requests}개, 길이 ${Math.min(...lengths)}–${Math.max(...lengths)}토큰, 합 ${total}, 최대 ${params.maxTokens}): 블록 테이블 기준으로 잡은 슬롯 중 빈 비율은 페이지드 ${percent(share(paged))}, 연속 ${percent(share(contiguous))}. 장치 메모리(추적기): 페이지드 ${deviceBytes(paged).ko}, 연속 ${deviceBytes(contiguous).ko}, 토큰이 쓰는 양 ${bytes(total * tokenBytes)}.`,
        `Measured (${params.requests} requests of ${Math.min(...lengths)}–${Math.max(...lengths)} tokens, ${total} in all, at most ${params.maxTokens}): of the slots the block tables hold, ${percent(share(paged))} were empty paged and ${percent(share(contiguous))} contiguous. Device memory (tracker): ${deviceBytes(paged).en} paged, ${deviceBytes(contiguous).en} contiguous, for ${bytes(total * tokenBytes)} the tokens use.`,
      ),
      meaning: {
        holds: both(
          '카드의 답이 이 기기에서 확인되었습니다: 최대 길이를 미리 잡으면 짧은 요청이 대부분의 캐시를 비워 두고, 블록을 필요할 때 나눠 주면 요청마다 마지막 블록의 빈칸만 남습니다. 그만큼 같은 메모리에 더 많은 요청을 담을 수 있습니다.',
          "The card's answer is confirmed on this device: reserving the maximum length leaves most of the cache empty for short requests, while handing out blocks on demand leaves only the empty slots of each request's last block — so the same memory holds many more requests.",
        ),
        'does-not-hold': both('이 실행에서 측정된 수치가 주장과 어긋납니다. 아래 항목에서 어느 부분인지 확인하세요(요청이 블록보다 짧으면 빈 비율이 커집니다).', 'A number measured in this run contradicts the claim: see which check below (requests shorter than a few blocks raise the empty share).'),
        'not-shown': both('이 실행에서는 주장을 보여 주지 못했습니다(장치가 할당을 거부했거나 예산을 넘어 실행하지 않음). 최대 길이나 요청 수를 줄여 보세요.', 'This run could not show the claim (the device refused an allocation or a layout was over the budget). Try a shorter maximum or fewer requests.'),
      },
    });
    const series: Series[] = [];
    for (const layout of ['paged', 'contiguous'] as const) {
      const points = fills[layout].points.filter((p) => p.status === 'allocated');
      const name = SHORT[layout];
      series.push({ id: `${layout}-device`, label: both(`${name.ko}: 장치 메모리`, `${name.en}: device memory`), x: points.map((p) => p.tokens), y: points.map((p) => p.allocatedBytes!) });
      series.push({
        id: `${layout}-held`,
        label: both(`${name.ko}: 요청의 블록`, `${name.en}: requests' blocks`),
        x: points.map((p) => p.tokens),
        y: points.map((p) => (p.sequenceBlocks ?? []).reduce((sum, blocks) => sum + blocks, 0) * fills[layout].blockBytes),
      });
    }
    series.push({ id: 'used', label: both('토큰이 쓰는 양', 'Tokens use'), x: checkpoints, y: checkpoints.map((t) => t * tokenBytes) });
    const order = lengths.map((length, request) => ({ length, request })).sort((a, b) => a.length - b.length);
    const emptySeries = (a: LayoutMeasures, id: string, label: Localized): Series | null =>
      a.point.status === 'allocated' ? { id, label, x: order.map((o) => o.length), y: order.map((o) => emptySlots(a)[o.request]) } : null;
    const perRequest = [emptySeries(paged, 'paged-empty', SHORT.paged), emptySeries(contiguous, 'contiguous-empty', SHORT.contiguous)].filter((s): s is Series => s !== null);
    series.push(...perRequest);
    const rows = order.map(({ length, request }) => [
      request + 1,
      length,
      paged.point.sequenceBlocks ? slotsHeld(paged)[request] : null,
      paged.point.sequenceBlocks ? emptySlots(paged)[request] : null,
      contiguous.point.sequenceBlocks ? slotsHeld(contiguous)[request] : null,
      contiguous.point.sequenceBlocks ? emptySlots(contiguous)[request] : null,
    ]);
    return finish(
      {
        experimentId: pagedAttentionMeta.id,
        params,
        device: engine.info,
        metrics: {
          tokens: total,
          pagedEmptyShare: share(paged),
          contiguousEmptyShare: share(contiguous),
          pagedWorstEmptySlots: paged.point.status === 'allocated' ? Math.max(...emptySlots(paged)) : null,
          contiguousWorstEmptySlots: contiguous.point.status === 'allocated' ? Math.max(...emptySlots(contiguous)) : null,
          pagedDeviceBytes: paged.point.allocatedBytes,
          contiguousDeviceBytes: contiguous.point.allocatedBytes,
          usedBytes: total * tokenBytes,
          blockTokens: params.blockTokens,
          refusal: paged.refusal ?? contiguous.refusal,
        },
        table: {
          columns: [
            both('요청', 'Request'),
            both('토큰', 'Tokens'),
            both('페이지드: 잡은 슬롯', 'Paged: slots held'),
            both('페이지드: 빈 슬롯', 'Paged: empty slots'),
            both('연속: 잡은 슬롯', 'Contiguous: slots held'),
            both('연속: 빈 슬롯', 'Contiguous: empty slots'),
          ],
          rows,
        },
        series,
        charts: [
          {
            id: 'memory',
            title: both('토큰이 늘어날 때 캐시 메모리', 'Cache memory as tokens arrive'),
            xLabel: both('묶음이 담은 토큰 수', 'Tokens held by the batch'),
            yLabel: both('바이트 (로그)', 'Bytes (log)'),
            yLog: true,
            series: ['paged-device', 'paged-held', 'contiguous-device', 'contiguous-held', 'used'].filter((id) => series.some((s) => s.id === id)),
          },
          {
            id: 'empty-slots',
            title: both('요청마다 빈 슬롯', 'Empty slots per request'),
            xLabel: both('요청의 토큰 수', "The request's tokens"),
            yLabel: both('빈 슬롯 (로그)', 'Empty slots (log)'),
            yLog: true,
            series: perRequest.map((s) => s.id),
          },
        ],
        verdict,
        control,
        context: joinContext(
          both(
            `요청 ${params.requests}개가 나란히 디코딩하듯 토큰을 하나씩 번갈아 받으며, 디코더의 KV-Cache 풀(블록 ${params.blockTokens}토큰, 블록 테이블)에 들어갑니다. 요청 길이는 ${Math.min(16, params.maxTokens)}–${params.maxTokens}토큰에서 로그 균등으로 뽑아 대부분 짧고 몇 개만 깁니다. 빈 슬롯은 블록 테이블이 요청에 잡아 준 슬롯에서 토큰 수를 뺀 값이고, 장치 메모리는 장치가 받아들인 버퍼를 메모리 추적기로 잰 값입니다(페이지드 풀은 두 배씩 커지는 슬랩에 남는 블록을 다음 요청용으로 둡니다). 모델의 계산은 빠져 있습니다: 캐시 메모리는 계산과 무관합니다.`,
            `${params.requests} requests receive tokens one at a time, side by side as a batch decodes, into the decoder's KV-cache pool (${params.blockTokens}-token blocks, block tables). Lengths are drawn log-uniform between ${Math.min(16, params.maxTokens)} and ${params.maxTokens} tokens: most short, a few long. Empty slots are the slots a request's block table holds minus its tokens; device memory is what the device accepted, read by a memory tracker (the paged pool keeps spare blocks for the next requests in slabs that grow by doubling). The model's compute is left out: cache memory does not depend on it.`,
          ),
          engine.info.isFallback ? softwareGpuContext : undefined,
        ),
      },
      startedAt,
    );
  },
};

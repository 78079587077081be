import { AppError } from '../shared/errors';
import { kvTokenBytes } from '../engine/decode/kv-pool';
import type { EngineContext } from '../engine/device-info';
import { DeviceMemoryTracker } from '../engine/memory';
import { deviceRoofline, type DeviceRoofline } from '../engine/roofline/roofline';
import { DecoderModel, type DecodeAttention } from '../engine/transformer/DecoderModel';
import { pValue } from './checks';
import { gqaMqaMeta, type GqaMqaParams } from './gqa-mqa.meta';
import { compareSamples, spread } from './statistics';
import { both, bytes, finish, guarded, joinContext, num, softwareGpuContext, throwIfAborted } from './support';
import type { Experiment, Localized, Series } from './types';
import { judge, measured, modelled, type Check, type Outcome } from './verdict';

/** Decode attention counts as memory-bound when it reads the cache at this share of the measured copy bandwidth or more. */
export const MEMORY_BOUND_SHARE = 0.5;
/** A measured cache ratio matches heads / kvHeads within this relative margin. */
const RATIO_MARGIN = 0.02;

interface Variant {
  id: 'mha' | 'gqa' | 'mqa' | 'mha-control';
  kvHeads: number;
  label: Localized;
}

interface VariantMeasures extends Variant {
  /** Bytes of the KV-cache's device buffers (slabs) the device accepted, read by a tracker. */
  cacheBytes: number;
  /** Timed repeats of the attention over the cache at the last position, every layer (ms). */
  attentionMs: number[];
}

/** Writes seeded values in (-1, 1) over every slab, so the cached keys and values look like data. */
function fillWithValues(engine: EngineContext, slabs: GPUBuffer[], seed: number): void {
  let state = (seed * 2654435761 + 1) >>> 0;
  for (const slab of new Set(slabs)) {
    const values = new Float32Array(slab.size / 4);
    for (let index = 0; index < values.length; index++) {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      values[index] = state / 2 ** 31 - 1;
    }
    engine.device.queue.writeBuffer(slab, 0, values);
  }
}

/** The decode attention kernel timed on this adapter. */
function decodeKernel(engine: EngineContext): DecodeAttention {
  return engine.info.isFallback ? 'naive' : 'flash';
}

/** Builds the model, fills its cache (reserved positions and one decode step), and reads the cache's device bytes. */
async function prepare(engine: EngineContext, params: GqaMqaParams, variant: Variant, signal: AbortSignal): Promise<{ model: DecoderModel; cacheBytes: number }> {
  const tracker = DeviceMemoryTracker.install(engine.device);
  let model: DecoderModel | null = null;
  try {
    model = new DecoderModel(engine, {
      layers: params.layers,
      heads: params.heads,
      kvHeads: variant.kvHeads,
      headDim: params.headDim,
      dModel: 64,
      hidden: 128,
      maxPositions: params.tokens + 1,
      seed: params.seed,
    });
    // Flash-decoding spreads a long cache over many workgroups, as a GPU needs to reach its
    // bandwidth; a software adapter, with no idle units to fill, runs the single-pass kernel faster.
    model.attention = decodeKernel(engine);
    // The cache's size, not its values, sets its memory and the time to read it: reserve the
    // prompt's positions without a prefill, fill them with seeded values, then decode one real step.
    throwIfAborted(signal);
    await model.reserveCache(0, params.tokens);
    fillWithValues(engine, model.cache.slabBuffers(), params.seed);
    throwIfAborted(signal);
    await model.forward([params.seed % model.config.vocab], params.tokens);
    const report = await tracker.report();
    const cacheBytes = report.allocations.filter((a) => a.label.startsWith('KvCache.slab') && !a.refused).reduce((sum, a) => sum + a.size, 0);
    return { model, cacheBytes };
  } catch (error) {
    model?.dispose();
    throw error;
  } finally {
    tracker.stop();
  }
}

/** "`arm` cuts the cache to kvHeads/H of MHA's": the measured ratio must be a real reduction and match H / kvHeads. */
function cacheCheck(arm: VariantMeasures, mha: VariantMeasures, heads: number): Check {
  const ratio = mha.cacheBytes / arm.cacheBytes;
  const expected = heads / arm.kvHeads;
  const outcome: Outcome = ratio > 1 + RATIO_MARGIN && Math.abs(ratio / expected - 1) <= RATIO_MARGIN ? 'holds' : 'does-not-hold';
  return {
    id: `cache-${arm.id}`,
    claim: both(`${arm.label.ko}: KV-Cache가 MHA의 ${arm.kvHeads}/${heads}로 줄어든다`, `${arm.label.en}: the KV-cache shrinks to ${arm.kvHeads}/${heads} of MHA's`),
    outcome,
    observed: both(
      `장치가 받아들인 캐시 버퍼: MHA ${bytes(mha.cacheBytes)}, ${arm.label.ko} ${bytes(arm.cacheBytes)} — ${num(ratio)}분의 1(H/G = ${num(expected)}).`,
      `Cache buffers the device accepted: ${bytes(mha.cacheBytes)} for MHA, ${bytes(arm.cacheBytes)} for ${arm.label.en} — ${num(ratio)}× less (H/G = ${num(expected)}).`,
    ),
    evidence: [
      measured(`cache-${arm.id}.bytes`, both(`${arm.label.ko} 캐시 바이트 (추적기)`, `${arm.label.en} cache bytes (tracker)`), arm.cacheBytes, 'B', false),
      measured(`cache-${arm.id}.ratio`, both('MHA 캐시 ÷ 이 캐시', 'MHA cache ÷ this cache'), ratio, '×'),
    ],
  };
}

/**
 * "`arm`'s decode attention is faster than MHA's": judged only where MHA's decode attention is
 * memory-bound on this device (it reads its cache at ≥ MEMORY_BOUND_SHARE of the measured copy
 * bandwidth), since sharing heads cuts bytes, not arithmetic; there by Mann–Whitney on the repeats.
 */
function speedCheck(arm: VariantMeasures, mha: VariantMeasures, roofline: DeviceRoofline): Check {
  const mhaMs = spread(mha.attentionMs).median;
  const achievedGBs = mha.cacheBytes / (mhaMs * 1e6);
  const share = achievedGBs / roofline.bandwidthGBs;
  const c = compareSamples(arm.attentionMs, mha.attentionMs);
  const claim = both(`${arm.label.ko}: 디코드 어텐션이 MHA보다 빠르다`, `${arm.label.en}: decode attention runs faster than MHA's`);
  const roofEvidence = [
    measured(`faster-${arm.id}.bandwidthShare`, both('MHA 디코드 어텐션이 캐시를 읽은 속도 ÷ 측정된 복사 대역폭', "MHA decode attention's cache read rate ÷ measured copy bandwidth"), share, ''),
    measured(`faster-${arm.id}.ratio`, both('MHA 시간 ÷ 이 시간 (중앙값)', 'MHA time ÷ this time (medians)'), c.ratio, '×', share >= MEMORY_BOUND_SHARE),
  ];
  if (share < MEMORY_BOUND_SHARE) {
    return {
      id: `faster-${arm.id}`,
      claim,
      outcome: 'not-shown',
      observed: both(
        `MHA의 디코드 어텐션은 캐시 ${bytes(mha.cacheBytes)}를 ${num(mhaMs)} ms에 읽어 ${num(achievedGBs)} GB/s, 이 장치의 복사 대역폭 ${num(roofline.bandwidthGBs)} GB/s의 ${num(share * 100)}%에 그쳤습니다: 메모리가 아니라 계산(또는 실행 지연)이 이 커널을 제한하므로, 읽는 바이트를 줄이는 KV 헤드 공유의 속도 이득을 이 장치는 보여 줄 수 없습니다(기준 ${MEMORY_BOUND_SHARE * 100}%). 측정된 시간 비는 ${num(c.ratio)}배입니다.`,
        `MHA's decode attention read its ${bytes(mha.cacheBytes)} cache in ${num(mhaMs)} ms, ${num(achievedGBs)} GB/s, ${num(share * 100)}% of this device's ${num(roofline.bandwidthGBs)} GB/s copy bandwidth: compute (or launch latency), not memory, limits this kernel here, so this device cannot show the speed-up of sharing KV heads, which cuts bytes (it takes ${MEMORY_BOUND_SHARE * 100}%). Measured time ratio: ${num(c.ratio)}×.`,
      ),
      evidence: roofEvidence,
    };
  }
  const outcome: Outcome = c.direction === 'smaller' ? 'holds' : c.direction === 'larger' ? 'does-not-hold' : 'not-shown';
  return {
    id: `faster-${arm.id}`,
    claim,
    outcome,
    observed: both(
      `캐시 위 디코드 어텐션(모든 레이어): MHA ${num(mhaMs)} ms, ${arm.label.ko} ${num(spread(arm.attentionMs).median)} ms — ${num(c.ratio)}배(${pValue(outcome === 'does-not-hold' ? c.pLarger : c.pSmaller)}). MHA는 복사 대역폭의 ${num(share * 100)}%로 캐시를 읽었습니다(메모리 병목).`,
      `Decode attention over the cache (every layer): ${num(mhaMs)} ms for MHA, ${num(spread(arm.attentionMs).median)} ms for ${arm.label.en} — ${num(c.ratio)}× (${pValue(outcome === 'does-not-hold' ? c.pLarger : c.pSmaller)}). MHA read its cache at ${num(share * 100)}% of the copy bandwidth (memory-bound).`,
    ),
    evidence: [...roofEvidence, measured(`faster-${arm.id}.p`, both('유의확률 p (Mann–Whitney)', 'p-value (Mann–Whitney)'), outcome === 'does-not-hold' ? c.pLarger : c.pSmaller, 'p')],
  };
}

/** The claim's test on a list of variants against MHA: each cuts the cache by H / kvHeads, and each decodes faster. */
function claimTest(arms: VariantMeasures[], mha: VariantMeasures, heads: number, roofline: DeviceRoofline): Check[] {
  return [...arms.map((arm) => cacheCheck(arm, mha, heads)), ...arms.map((arm) => speedCheck(arm, mha, roofline))];
}

/**
 * Builds the same decoder four times — MHA, GQA, MQA and a second MHA (the control) — fills each
 * cache with the same seeded values and one decode step, reads the cache's device bytes from a tracker, and
 * times the attention over the cache at the last position, the models taking turns.
 */
export const gqaMqa: Experiment<GqaMqaParams> = {
  ...gqaMqaMeta,
  async run(engine, params, progress, signal) {
    const startedAt = Date.now();
    const { heads, groupedKvHeads: groups } = params;
    if (groups >= heads || heads % groups !== 0) {
      throw new AppError('invalid-args', `groupedKvHeads (${groups}) must divide heads (${heads}) and be smaller`, { detail: 'groupedKvHeads must divide heads and be smaller' });
    }
    const variants: Variant[] = [
      { id: 'mha', kvHeads: heads, label: both(`MHA (KV 헤드 ${heads})`, `MHA (${heads} KV heads)`) },
      { id: 'gqa', kvHeads: groups, label: both(`GQA (KV 헤드 ${groups})`, `GQA (${groups} KV heads)`) },
      { id: 'mqa', kvHeads: 1, label: both('MQA (KV 헤드 1)', 'MQA (1 KV head)') },
      { id: 'mha-control', kvHeads: heads, label: both(`공유 없음: MHA 다시 (KV 헤드 ${heads})`, `no sharing: MHA again (${heads} KV heads)`) },
    ];
    const models: DecoderModel[] = [];
    const measures: VariantMeasures[] = [];
    let roofline: DeviceRoofline | null = null;
    try {
      for (const [index, variant] of variants.entries()) {
        throwIfAborted(signal);
        progress((0.6 * index) / variants.length, `${variant.label.en}: filling ${params.tokens} tokens`);
        const { model, cacheBytes } = await guarded(signal, () => prepare(engine, params, variant, signal));
        models.push(model);
        measures.push({ ...variant, cacheBytes, attentionMs: [] });
      }
      // Rounds of five repeats, the models taking turns, so a change in the machine's load touches them alike.
      const rounds = Math.ceil(params.repeats / 5);
      for (let round = 0; round < rounds; round++) {
        for (const [index, model] of models.entries()) {
          throwIfAborted(signal);
          progress(0.6 + (0.3 * (round * models.length + index)) / (rounds * models.length), `decode attention, round ${round + 1}/${rounds}`);
          const timing = await guarded(signal, () => model.timeCacheAttention(params.tokens, 0, { repeats: 5 }));
          measures[index].attentionMs.push(...timing.samplesMs);
        }
      }
      progress(0.95, "the device's roofline");
      roofline = await guarded(signal, () => deviceRoofline(engine));
    } finally {
      for (const model of models) model.dispose();
    }
    progress(1, 'done');
    const roofs = roofline as DeviceRoofline;
    const [mha, gqa, mqa, mhaControl] = measures;
    const m = (v: VariantMeasures) => spread(v.attentionMs).median;
    const formulaBytes = (kvHeads: number) => kvTokenBytes({ layers: params.layers, kvHeads, headDim: params.headDim }) * (params.tokens + 1);
    const { verdict, control } = judge({
      checks: claimTest([gqa, mqa], mha, heads, roofs),
      control: { description: both('대조군: 공유 없음 — KV 헤드가 쿼리 헤드만큼 있는 MHA를 한 번 더 같은 방식으로 측정', 'Control: no sharing — MHA, with as many KV heads as query heads, measured again the same way'), checks: claimTest([mhaControl], mha, heads, roofs) },
      model: variants.slice(0, 3).map((v) => modelled(`formula.${v.id}`, both(`${v.label.ko} 캐시 바이트 (공식 2·L·G·d·T·4)`, `${v.label.en} cache bytes (formula 2·L·G·d·T·4)`), formulaBytes(v.kvHeads), 'B')),
      summary: both(
        `측정(쿼리 헤드 ${heads}개, 레이어 ${params.layers}, 토큰 ${params.tokens + 1}개): 캐시 메모리 MHA ${bytes(mha.cacheBytes)}, GQA ${bytes(gqa.cacheBytes)}, MQA ${bytes(mqa.cacheBytes)}; 캐시 위 디코드 어텐션(중앙값) MHA ${num(m(mha))} ms, GQA ${num(m(gqa))} ms, MQA ${num(m(mqa))} ms, MHA 다시 ${num(m(mhaControl))} ms.`,
        `Measured (${heads} query heads, ${params.layers} layer${params.layers === 1 ? "" : "s"}, ${params.tokens + 1} tokens): cache memory ${bytes(mha.cacheBytes)} MHA, ${bytes(gqa.cacheBytes)} GQA, ${bytes(mqa.cacheBytes)} MQA; decode attention over the cache (medians) ${num(m(mha))} ms MHA, ${num(m(gqa))} ms GQA, ${num(m(mqa))} ms MQA, ${num(m(mhaControl))} ms MHA again.`,
      ),
      meaning: {
        holds: both(
          '카드의 답이 이 기기에서 확인되었습니다: K/V 헤드를 나눠 쓰면 캐시가 H/G배 작아지고, 디코드 어텐션이 메모리 병목인 이 장치에서는 읽을 바이트가 줄어 그만큼 빨라집니다.',
          "The card's answer is confirmed on this device: sharing K/V heads makes the cache H/G× smaller, and on this device, where decode attention is memory-bound, reading fewer bytes makes it faster.",
        ),
        'does-not-hold': both('이 실행에서 측정된 수치가 주장과 어긋납니다. 아래 항목에서 어느 부분인지 확인하세요.', 'A number measured in this run contradicts the claim: see which check below.'),
        'not-shown': both(
          '캐시가 H/G배 줄어드는 것은 측정되었지만, 이 장치에서는 디코드 어텐션이 메모리 병목이 아니어서(루프라인 측정 참조) 바이트가 줄어든 만큼의 속도 이득을 보여 줄 수 없습니다. 실제 GPU에서 긴 캐시로 실행해 보세요.',
          'The cache shrinking H/G× was measured, but on this device decode attention is not memory-bound (see the roofline measurement), so it cannot show the speed-up the fewer bytes allow. Run it on a real GPU with a long cache.',
        ),
      },
    });
    const kv = measures.slice(0, 3).map((v) => v.kvHeads);
    const band = (v: VariantMeasures) => spread(v.attentionMs);
    const series: Series[] = [
      { id: 'cache-bytes', label: both('캐시 메모리 (추적기)', 'Cache memory (tracker)'), x: kv, y: measures.slice(0, 3).map((v) => v.cacheBytes) },
      {
        id: 'attention-ms',
        label: both('디코드 어텐션 시간 (중앙값, 10–90%)', 'Decode attention time (median, 10–90%)'),
        x: kv,
        y: measures.slice(0, 3).map((v) => band(v).median),
        yLow: measures.slice(0, 3).map((v) => band(v).p10),
        yHigh: measures.slice(0, 3).map((v) => band(v).p90),
      },
    ];
    return finish(
      {
        experimentId: gqaMqaMeta.id,
        params,
        device: engine.info,
        metrics: {
          mhaCacheBytes: mha.cacheBytes,
          gqaCacheBytes: gqa.cacheBytes,
          mqaCacheBytes: mqa.cacheBytes,
          gqaReduction: mha.cacheBytes / gqa.cacheBytes,
          mqaReduction: mha.cacheBytes / mqa.cacheBytes,
          mhaAttentionMs: m(mha),
          gqaAttentionMs: m(gqa),
          mqaAttentionMs: m(mqa),
          controlAttentionMs: m(mhaControl),
          mhaBandwidthShare: mha.cacheBytes / (m(mha) * 1e6) / roofs.bandwidthGBs,
          bandwidthGBs: roofs.bandwidthGBs,
          memoryBoundShare: MEMORY_BOUND_SHARE,
          repeats: mha.attentionMs.length,
          kernel: decodeKernel(engine) === 'flash' ? 'flash-decoding' : 'single-pass cache attention',
        },
        table: {
          columns: [both('방식', 'Attention'), both('KV 헤드', 'KV heads'), both('캐시 바이트 (측정)', 'Cache bytes (measured)'), both('MHA ÷ 이것', 'MHA ÷ this'), both('어텐션 ms (중앙값)', 'Attention ms (median)'), both('10%', 'p10'), both('90%', 'p90')],
          rows: measures.map((v) => [v.label.en, v.kvHeads, v.cacheBytes, mha.cacheBytes / v.cacheBytes, band(v).median, band(v).p10, band(v).p90]),
        },
        series,
        charts: [
          {
            id: 'cache',
            title: both('KV 헤드 수에 따른 캐시 메모리', 'Cache memory by KV heads'),
            xLabel: both('KV 헤드 수 G (로그)', 'KV heads G (log)'),
            yLabel: both('바이트 (로그)', 'Bytes (log)'),
            xLog: true,
            yLog: true,
            series: ['cache-bytes'],
          },
          {
            id: 'time',
            title: both('KV 헤드 수에 따른 디코드 어텐션 시간', 'Decode attention time by KV heads'),
            xLabel: both('KV 헤드 수 G (로그)', 'KV heads G (log)'),
            yLabel: both('ms (모든 레이어)', 'ms (every layer)'),
            xLog: true,
            series: ['attention-ms'],
          },
        ],
        verdict,
        control,
        context: joinContext(
          both(
            `같은 디코더를 KV 헤드 수만 바꿔(${heads}, ${groups}, 1) 만들고 ${params.tokens}개 위치의 캐시를 같은 난수 키·값으로 채운 뒤 실제 디코드 한 단계를 실행했습니다. 캐시 메모리는 메모리 추적기가 본 캐시 버퍼(슬랩)의 바이트이고, 시간은 마지막 위치에서 캐시 위 어텐션만(모든 레이어; ${decodeKernel(engine) === 'flash' ? 'flash-decoding' : '소프트웨어 장치에서 더 빠른 단일 패스 커널'}) 잰 것입니다. 쿼리 헤드 h는 K/V 헤드 h·G/H를 읽으므로 계산량은 그대로이고 읽는 캐시만 작아집니다. 이 장치의 복사 대역폭은 ${num(roofs.bandwidthGBs)} GB/s로 측정되었습니다.`,
            `The same decoder was built with only its KV heads changed (${heads}, ${groups}, 1) and its cache filled with the same seeded keys and values for ${params.tokens} positions and one real decode step. Cache memory is the bytes of the cache's buffers (slabs) a memory tracker saw; the time is the attention over the cache alone (every layer; ${decodeKernel(engine) === 'flash' ? 'flash-decoding' : 'the single-pass kernel, faster on a software device'}) at the last position. Query head h reads K/V head h·G/H, so the arithmetic stays the same and only the cache it reads shrinks. This device's copy bandwidth measured ${num(roofs.bandwidthGBs)} GB/s.`,
          ),
          engine.info.isFallback ? softwareGpuContext : undefined,
        ),
      },
      startedAt,
    );
  },
};

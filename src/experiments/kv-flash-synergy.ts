import { decodeWithCache, decodeWithoutCache, seededPrompt, type DecodeRun } from '../engine/decode/decode';
import { FLASH_DECODING_CHUNK } from '../engine/decode/flash-decoding.wgsl';
import { measureParallelSpeedup, type ParallelSpeedup } from '../engine/decode/parallelism';
import { median } from '../engine/timing';
import { DecoderModel } from '../engine/transformer/DecoderModel';
import { fasterCheck, pValue } from './checks';
import { maxDifference, sameOutputCheck } from './decode-checks';
import { kvFlashSynergyMeta, type KvFlashSynergyParams } from './kv-flash-synergy.meta';
import { ALPHA, compareSamples, spread } from './statistics';
import { both, finish, guarded, joinContext, num, softwareGpuContext, throwIfAborted } from './support';
import type { Experiment, Localized } from './types';
import { judge, measured, type Check, type Outcome } from './verdict';

/** The device "can run splits side by side" when spreading the same work over more workgroups is at least this much faster. */
const PARALLEL_SPEEDUP = 1.5;
const NO_CACHE = both('캐시 없음', 'no cache');

/** One arm: cache + flash-decoding with a given split size, and what it showed. */
interface Arm {
  label: Localized;
  splitKeys: number;
  runs: DecodeRun[];
  /** Timed repeats of the whole step at the last position, and of its attention alone. */
  stepMs: number[];
  attentionMs: number[];
  /** Splits the device wrote per head at the last position (read back). */
  splits: number[];
}

function splitCheck(arm: Arm): Check {
  const fewest = Math.min(...arm.splits);
  const outcome: Outcome = fewest >= 2 ? 'holds' : 'does-not-hold';
  return {
    id: 'split',
    claim: both(`${arm.label.ko}: 헤드마다 캐시 위의 어텐션이 여러 작업 그룹에 나뉜다`, `${arm.label.en}: each head's attention over the cache is split across workgroups`),
    outcome,
    observed: both(
      `마지막 위치에서 장치가 헤드마다 쓴 부분 결과(split)는 ${fewest}개였습니다(장치에서 읽음).`,
      `At the last position the device wrote ${fewest} partial result${fewest === 1 ? '' : 's'} (splits) per head (read back from the device).`,
    ),
    evidence: [measured('split.count', both('헤드당 split 수 (장치에서 읽음)', 'Splits per head (read back)'), fewest, '')],
  };
}

/**
 * "Splitting speeds up what the cache leaves": the attention alone and the whole step, against the
 * other arm, judged only where the device measurably runs more workgroups side by side.
 */
function speedCheck(arm: Arm, other: Arm, parallel: ParallelSpeedup, at: string): Check {
  const device = compareSamples(parallel.manyMs, parallel.fewMs);
  const canShow = device.direction === 'smaller' && device.ratio >= PARALLEL_SPEEDUP;
  const attention = compareSamples(arm.attentionMs, other.attentionMs);
  const step = compareSamples(arm.stepMs, other.stepMs);
  const claim = both(`${arm.label.ko}: 남은 어텐션이 ${other.label.ko}보다 빠르다`, `${arm.label.en}: the remaining attention runs faster than with ${other.label.en}`);
  const deviceEvidence = [
    measured('speed.deviceParallel', both(`같은 계산을 작업 그룹 ${parallel.fewGroups}개 대신 ${parallel.manyGroups}개로 나눴을 때의 속도 비`, `Same compute in ${parallel.manyGroups} workgroups instead of ${parallel.fewGroups}: speed-up`), device.ratio, '×'),
    measured('speed.deviceParallelP', both('그 유의확률 p', 'its p-value'), device.pSmaller, 'p', false),
  ];
  if (!canShow) {
    return {
      id: 'speed',
      claim,
      outcome: 'not-shown',
      observed: both(
        `이 장치에서 같은 계산을 작업 그룹 ${parallel.fewGroups}개 대신 ${parallel.manyGroups}개로 나누니 속도가 ${num(device.ratio)}배였습니다(${pValue(device.pSmaller)}): 나눈 조각을 동시에 돌릴 빈 연산 유닛이 없으므로 flash-decoding의 이득을 보여 줄 수 없습니다(기준 ${PARALLEL_SPEEDUP}배 이상). 측정된 어텐션 속도 비는 ${num(attention.ratio)}배입니다.`,
        `Spreading the same compute over ${parallel.manyGroups} workgroups instead of ${parallel.fewGroups} changed its speed on this device by ${num(device.ratio)}× (${pValue(device.pSmaller)}): there are no idle compute units for the splits to fill, so this device cannot show flash-decoding's gain (it takes ${PARALLEL_SPEEDUP}× or more). Measured attention speed ratio: ${num(attention.ratio)}×.`,
      ),
      evidence: [...deviceEvidence, measured('speed.attentionRatio', both('어텐션 시간 비', 'Attention speed ratio'), attention.ratio, '×', false)],
    };
  }
  const stepSlower = step.direction === 'larger';
  const faster = attention.direction === 'smaller' && !stepSlower;
  const base = fasterCheck({ id: 'speed', arm: arm.label, other: other.label, armMs: arm.attentionMs, otherMs: other.attentionMs, at });
  return {
    ...base,
    claim,
    outcome: faster ? 'holds' : 'does-not-hold',
    observed: stepSlower
      ? both(
          `${at}: 어텐션만 보면 ${num(attention.ratio)}배였지만 디코딩 한 단계 전체는 ${other.label.ko}보다 느렸습니다(${num(1 / step.ratio)}배 시간, ${pValue(step.pLarger)}).`,
          `${at}: the attention alone was ${num(attention.ratio)}× but the whole decode step was slower than with ${other.label.en} (${num(1 / step.ratio)}× the time, ${pValue(step.pLarger)}).`,
        )
      : base.observed,
    evidence: [...base.evidence, measured('speed.stepRatio', both('디코딩 단계 전체의 속도 비', 'Whole-step speed ratio'), step.ratio, '×'), ...deviceEvidence],
  };
}

function cacheCheck(arm: Arm, noCacheMs: number[], at: string): Check {
  return fasterCheck({ id: 'cache', arm: arm.label, other: NO_CACHE, armMs: arm.stepMs, otherMs: noCacheMs, at });
}

/**
 * Decodes one prompt without a cache and with it under flash-decoding two ways — 64-key splits
 * (many workgroups per head) and one split over the whole cache (the control) — and times the
 * whole step and the attention alone at the last position, with the device's own parallel
 * speed-up measured beside them.
 */
export const kvFlashSynergy: Experiment<KvFlashSynergyParams> = {
  ...kvFlashSynergyMeta,
  async run(engine, params, progress, signal) {
    const startedAt = Date.now();
    const dModel = params.heads * params.headDim;
    const maxPositions = params.promptTokens + params.tokens;
    const model = await guarded(signal, async () =>
      new DecoderModel(engine, { layers: params.layers, heads: params.heads, kvHeads: params.heads, headDim: params.headDim, dModel, hidden: 2 * dModel, maxPositions, seed: params.seed }, { cache: { maxSequences: 2 } }),
    );
    const prompt = seededPrompt(params.seed, params.promptTokens, model.config.vocab);
    const last = maxPositions - 2;
    const at = `position ${last}`;
    const oneSplitKeys = Math.ceil(maxPositions / FLASH_DECODING_CHUNK) * FLASH_DECODING_CHUNK;
    const arms: Arm[] = [
      { label: both('캐시 + flash-decoding(64키 split)', 'cache + flash-decoding (64-key splits)'), splitKeys: FLASH_DECODING_CHUNK, runs: [], stepMs: [], attentionMs: [], splits: [] },
      { label: both('캐시 + split 하나(flash-decoding 조각 나누기 없음)', 'cache + one split (no flash-decoding split)'), splitKeys: oneSplitKeys, runs: [], stepMs: [], attentionMs: [], splits: [] },
    ];
    let noCache: DecodeRun | null = null;
    const noCacheMs: number[] = [];
    let parallel: ParallelSpeedup | null = null;
    try {
      await guarded(signal, async () => {
        progress(0.02, 'compiling kernels');
        model.attention = 'flash';
        for (const arm of arms) {
          model.flashSplitKeys = arm.splitKeys;
          await model.forward(prompt, 0, 0);
          await model.forward([prompt[0]], params.promptTokens, 0);
        }
        const total = 3 + 3 * (params.repeats - 1) + arms.length + 1;
        let done = 0;
        const tick = (label: string) => progress(0.05 + (0.9 * ++done) / total, label);
        // Each arm decodes in full once (its tokens and logits, and the first timed step at the last
        // position); without a cache every step is a full forward with the plain attention.
        for (const arm of arms) {
          model.flashSplitKeys = arm.splitKeys;
          const run = await decodeWithCache(model, { prompt, tokens: params.tokens, sequence: 0, signal });
          arm.runs.push(run);
          arm.stepMs.push(run.msPerToken[params.tokens - 1]);
          tick(`${arm.label.en}: decoding`);
        }
        model.attention = 'naive';
        noCache = await decodeWithoutCache(model, { prompt, tokens: params.tokens, sequence: 1, signal });
        noCacheMs.push(noCache.msPerToken[params.tokens - 1]);
        tick('no cache: decoding');
        // More timed repeats of the step at the last position, the three ways alternating so that a
        // change in the machine's load touches them alike.
        const lastToken = noCache.tokens[params.tokens - 2];
        const sequence = [...prompt, ...noCache.tokens.slice(0, params.tokens - 1)];
        const timed = async (work: () => Promise<unknown>) => {
          const started = performance.now();
          await work();
          return performance.now() - started;
        };
        for (let repeat = 1; repeat < params.repeats; repeat++) {
          model.attention = 'flash';
          for (const arm of arms) {
            throwIfAborted(signal);
            model.flashSplitKeys = arm.splitKeys;
            arm.stepMs.push(await timed(() => model.forward([lastToken], last, 0)));
            tick(`${arm.label.en}: step ${repeat + 1}/${params.repeats}`);
          }
          model.attention = 'naive';
          noCacheMs.push(await timed(() => model.forward(sequence, 0, 1)));
          tick(`no cache: step ${repeat + 1}/${params.repeats}`);
        }
        model.attention = 'flash';
        for (const arm of arms) {
          throwIfAborted(signal);
          model.flashSplitKeys = arm.splitKeys;
          arm.splits = (await model.flashSplitsAt(lastToken, last, 0)).splits;
          arm.attentionMs = (await model.timeCacheAttention(last, 0, { repeats: params.repeats })).samplesMs;
          tick(`${arm.label.en}: attention alone`);
        }
        const splits = Math.ceil((last + 1) / FLASH_DECODING_CHUNK);
        parallel = await measureParallelSpeedup(engine, params.heads, params.heads * Math.max(2, splits), { repeats: params.repeats });
        tick("the device's parallel speed-up");
      });
    } finally {
      model.dispose();
    }
    const device = parallel as unknown as ParallelSpeedup;
    const [many, one] = arms;
    const reference = noCache as unknown as DecodeRun;
    const same = (arm: Arm) => ({
      tokensMatch: arm.runs.every((run) => run.tokens.every((token, i) => token === reference.tokens[i])),
      maxLogitDifference: Math.max(...arm.runs.map((run) => maxDifference(run.logits, reference.logits))),
    });
    const claimTest = (arm: Arm, other: Arm): Check[] => {
      const output = same(arm);
      return [cacheCheck(arm, noCacheMs, at), splitCheck(arm), speedCheck(arm, other, device, at), sameOutputCheck(arm.label, NO_CACHE, output.tokensMatch, output.maxLogitDifference)];
    };
    const m = (samples: number[]) => median(samples);
    const deviceRatio = m(device.fewMs) / m(device.manyMs);
    const { verdict, control } = judge({
      checks: claimTest(many, one),
      control: { description: both('대조군: 같은 flash-decoding 커널을 split 하나(캐시 전체를 한 작업 그룹이 처리)로 실행', 'Control: the same flash-decoding kernel with one split (one workgroup per head walks the whole cache)'), checks: claimTest(one, many) },
      model: [],
      summary: both(
        `측정(${at}, ${params.repeats}회 반복의 중앙값): 디코딩 한 단계가 캐시 없이 ${num(m(noCacheMs))} ms, 캐시+split 하나 ${num(m(one.stepMs))} ms, 캐시+64키 split ${num(m(many.stepMs))} ms; 캐시 위 어텐션만은 split 하나 ${num(m(one.attentionMs))} ms 대 split ${Math.min(...many.splits)}개 ${num(m(many.attentionMs))} ms. 이 장치에서 같은 계산을 작업 그룹 ${device.fewGroups}개 대신 ${device.manyGroups}개로 나누니 속도가 ${num(deviceRatio)}배였습니다.`,
        `Measured (${at}, medians of ${params.repeats} repeats): a decode step took ${num(m(noCacheMs))} ms without a cache, ${num(m(one.stepMs))} ms with the cache and one split, ${num(m(many.stepMs))} ms with 64-key splits; the attention over the cache alone took ${num(m(one.attentionMs))} ms in one split against ${num(m(many.attentionMs))} ms in ${Math.min(...many.splits)}. Spread over ${device.manyGroups} workgroups instead of ${device.fewGroups}, the same compute ran at ${num(deviceRatio)}× the speed on this device.`,
      ),
      meaning: {
        holds: both(
          '카드의 답이 이 기기에서 확인되었습니다: 캐시가 반복 계산을 없애고, flash-decoding이 남은 어텐션을 여러 작업 그룹에 나눠 더 빨리 처리합니다.',
          "The card's answer is confirmed on this device: the cache removes the repeated work, and flash-decoding splits the remaining attention across workgroups and runs it faster.",
        ),
        'does-not-hold': both('이 실행에서 측정된 수치가 주장과 어긋납니다. 아래 항목에서 어느 부분인지 확인하세요.', 'A number measured in this run contradicts the claim: see which check below.'),
        'not-shown': both(
          '캐시의 효과는 측정되었지만, 이 장치는 나눈 조각을 동시에 실행할 빈 연산 유닛이 없어(측정값 참조) flash-decoding의 이득을 보여 줄 수 없습니다. 실제 GPU에서 실행해 보세요.',
          "The cache's effect was measured, but this device has no idle compute units to run the splits side by side (see the measurement), so it cannot show flash-decoding's gain. Run it on a real GPU.",
        ),
      },
    });
    const band = (samples: number[]) => spread(samples);
    const row = (label: Localized, stepMs: number[], attentionMs: number[] | null, splits: number | null) => {
      const s = band(stepMs);
      return [label.en, s.median, s.p10, s.p90, attentionMs ? m(attentionMs) : null, splits];
    };
    const positions = Array.from({ length: params.tokens - 1 }, (_, i) => params.promptTokens + i);
    const perPosition = (runs: DecodeRun[]) => positions.map((_, i) => m(runs.map((run) => run.msPerToken[i + 1])));
    return finish(
      {
        experimentId: kvFlashSynergyMeta.id,
        params,
        device: engine.info,
        metrics: {
          noCacheMs: m(noCacheMs),
          cacheOneSplitMs: m(one.stepMs),
          cacheSplitMs: m(many.stepMs),
          cacheSpeedup: m(noCacheMs) / m(many.stepMs),
          attentionOneSplitMs: m(one.attentionMs),
          attentionSplitMs: m(many.attentionMs),
          flashDecodingSpeedup: m(one.attentionMs) / m(many.attentionMs),
          stepSpeedupFromSplits: m(one.stepMs) / m(many.stepMs),
          splitsPerHead: Math.min(...many.splits),
          controlSplitsPerHead: Math.min(...one.splits),
          deviceParallelSpeedup: deviceRatio,
          deviceParallelP: compareSamples(device.manyMs, device.fewMs).pSmaller,
          deviceCanShowSplits: compareSamples(device.manyMs, device.fewMs).direction === 'smaller' && deviceRatio >= PARALLEL_SPEEDUP,
          alpha: ALPHA,
          tokensMatch: same(many).tokensMatch && same(one).tokensMatch,
          maxLogitDifference: Math.max(same(many).maxLogitDifference, same(one).maxLogitDifference),
          repeats: params.repeats,
        },
        table: {
          columns: [both('방식', 'Way'), both('단계 ms (중앙값)', 'Step ms (median)'), both('10%', 'p10'), both('90%', 'p90'), both('어텐션만 ms', 'Attention alone ms'), both('헤드당 split', 'Splits per head')],
          rows: [row(NO_CACHE, noCacheMs, null, null), row(one.label, one.stepMs, one.attentionMs, Math.min(...one.splits)), row(many.label, many.stepMs, many.attentionMs, Math.min(...many.splits))],
        },
        series: [
          { id: 'no-cache', label: both('캐시 없음', 'No cache'), x: positions, y: perPosition([reference]) },
          { id: 'cache-one-split', label: one.label, x: positions, y: perPosition(one.runs) },
          { id: 'cache-flash', label: many.label, x: positions, y: perPosition(many.runs) },
        ],
        charts: [
          {
            id: 'decode-time',
            title: both('세 방식의 토큰당 디코딩 시간 (디코딩 한 번)', 'Per-token decode time, three ways (one decode each)'),
            xLabel: both('시퀀스 위치', 'Sequence position'),
            yLabel: both('ms / 토큰 (로그)', 'ms / token (log)'),
            yLog: true,
            series: ['no-cache', 'cache-one-split', 'cache-flash'],
          },
        ],
        verdict,
        control,
        context: joinContext(
          both(
            '캐시는 매 토큰의 전체 재계산을 없애고, flash-decoding은 남은 어텐션(한 쿼리 대 긴 캐시)을 조각(split)으로 나눠 여러 작업 그룹이 동시에 처리한 뒤 logsumexp로 합칩니다. 동시에 돌릴 빈 연산 유닛이 있어야 빨라지므로, 이 실행은 장치의 병렬 속도 향상(같은 계산을 작업 그룹 여러 개로 나눴을 때)도 함께 측정합니다.',
            "The cache removes the per-token recomputation; flash-decoding splits the remaining attention (one query over a long cache) into chunks that several workgroups process at once, merged by their logsumexp. It only pays when idle compute units can run the chunks side by side, so this run also measures the device's parallel speed-up (the same compute spread over more workgroups).",
          ),
          engine.info.isFallback ? softwareGpuContext : undefined,
        ),
      },
      startedAt,
    );
  },
};

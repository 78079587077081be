import { decodeWithCache, decodeWithoutCache, seededPrompt, type DecodeRun } from '../engine/decode/decode';
import { median } from '../engine/timing';
import { DecoderModel } from '../engine/transformer/DecoderModel';
import { bandSeries, FLAT_GROWTH, flatCostCheck, maxDifference, sameOutputCheck, type PositionTimes } from './decode-checks';
import { kvCacheSpeedMeta, type KvCacheSpeedParams } from './kv-cache-speed.meta';
import { compareSamples } from './statistics';
import { both, finish, guarded, joinContext, num, sampleIndices, softwareGpuContext, throwIfAborted } from './support';
import type { Experiment } from './types';
import { judge, type Check } from './verdict';

const CACHE = both('KV-Cache 사용 시', 'With the KV-cache');
const NO_CACHE = both('캐시 없이(매 토큰 전체 재계산)', 'Without a cache (recomputing the prefix each token)');
/** Positions whose per-token time both arms measure with every repeat. */
const MEASURED_POSITIONS = 8;

/** The claim's test on one arm: its per-token cost stays flat, and its output is the other arm's. */
function claimTest(arm: PositionTimes, other: PositionTimes, same: { tokensMatch: boolean; maxLogitDifference: number }): Check[] {
  return [flatCostCheck(arm), sameOutputCheck(arm.label, other.label, same.tokensMatch, same.maxLogitDifference)];
}

/**
 * Decodes one prompt with the KV-cache (sequence 0 of the model's paged cache) `repeats` times,
 * and without it (sequence 1: every token a full forward over the prefix) once in full plus
 * `repeats − 1` more forwards at each measured position, so both arms have ≥ 5 timed repeats at
 * the same positions, measured the same way (wall clock of one forward, submit → logits read).
 */
export const kvCacheSpeed: Experiment<KvCacheSpeedParams> = {
  ...kvCacheSpeedMeta,
  async run(engine, params, progress, signal) {
    const startedAt = Date.now();
    const dModel = params.heads * params.headDim;
    const config = {
      layers: params.layers,
      heads: params.heads,
      kvHeads: params.heads,
      headDim: params.headDim,
      dModel,
      hidden: 2 * dModel,
      maxPositions: params.promptTokens + params.tokens,
      seed: params.seed,
    };
    const model = await guarded(signal, async () => new DecoderModel(engine, config, { cache: { maxSequences: 2 } }));
    const prompt = seededPrompt(params.seed, params.promptTokens, model.config.vocab);
    // Token i ≥ 1 comes from a forward at position promptTokens + i − 1; token 0 is the prefill.
    const indices = sampleIndices(params.tokens - 1, MEASURED_POSITIONS).map((i) => i + 1);
    const positions = indices.map((i) => params.promptTokens + i - 1);
    const cached: DecodeRun[] = [];
    let uncached: DecodeRun | null = null;
    const extra: number[][] = indices.map(() => []);
    try {
      await guarded(signal, async () => {
        progress(0.01, 'compiling kernels');
        for (const sequence of [0, 1]) {
          await model.forward(prompt, 0, sequence);
          await model.forward([prompt[0]], params.promptTokens, sequence);
        }
        const total = params.repeats * params.tokens + params.tokens * 4 + (params.repeats - 1) * indices.length * 4;
        let done = 0;
        const tick = (label: string, weight = 1) => progress(Math.min(0.99, (done += weight) / total), label);
        for (let repeat = 0; repeat < params.repeats; repeat++) {
          cached.push(await decodeWithCache(model, { prompt, tokens: params.tokens, sequence: 0, signal, onToken: () => tick(`with the cache, run ${repeat + 1}/${params.repeats}`) }));
        }
        uncached = await decodeWithoutCache(model, { prompt, tokens: params.tokens, sequence: 1, signal, onToken: () => tick('without a cache (full forward per token)', 4) });
        const sequence = [...prompt, ...uncached.tokens];
        for (let repeat = 1; repeat < params.repeats; repeat++) {
          for (const [slot, index] of indices.entries()) {
            throwIfAborted(signal);
            const started = performance.now();
            await model.forward(sequence.slice(0, params.promptTokens + index), 0, 1);
            extra[slot].push(performance.now() - started);
            tick(`without a cache: repeat ${repeat + 1}/${params.repeats}`, 4);
          }
        }
      });
    } finally {
      model.dispose();
    }
    const noCacheRun = uncached as unknown as DecodeRun;
    const cacheTimes: PositionTimes = { label: CACHE, positions, samples: indices.map((i) => cached.map((run) => run.msPerToken[i])) };
    const noCacheTimes: PositionTimes = { label: NO_CACHE, positions, samples: indices.map((i, slot) => [noCacheRun.msPerToken[i], ...extra[slot]]) };
    const tokensMatch = cached.every((run) => run.tokens.every((token, i) => token === noCacheRun.tokens[i]));
    const maxLogitDifference = Math.max(...cached.map((run) => maxDifference(run.logits, noCacheRun.logits)));
    const same = { tokensMatch, maxLogitDifference };
    const lastSlot = indices.length - 1;
    const atEnd = compareSamples(cacheTimes.samples[lastSlot], noCacheTimes.samples[lastSlot]);
    const speedupAtEnd = atEnd.ratio;
    const { verdict, control } = judge({
      checks: claimTest(cacheTimes, noCacheTimes, same),
      control: { description: both('대조군: 캐시 없이 디코딩(매 토큰마다 지금까지의 시퀀스 전체를 다시 계산)', 'Control: decoding without a cache (every token recomputes the whole sequence so far)'), checks: claimTest(noCacheTimes, cacheTimes, same) },
      model: [],
      summary: both(
        `측정(위치마다 ${params.repeats}회 반복의 중앙값): 위치 ${positions[0]}→${positions[lastSlot]}에서 캐시 사용 시 ${num(median(cacheTimes.samples[0]))}→${num(median(cacheTimes.samples[lastSlot]))} ms, 캐시 없이 ${num(median(noCacheTimes.samples[0]))}→${num(median(noCacheTimes.samples[lastSlot]))} ms; 마지막 위치에서 캐시가 ${num(speedupAtEnd)}배 빠름. 토큰 ${tokensMatch ? '일치' : '불일치'}, 로짓 최대 차이 ${num(maxLogitDifference)}.`,
        `Measured (medians of ${params.repeats} repeats per position): from position ${positions[0]} to ${positions[lastSlot]} a token took ${num(median(cacheTimes.samples[0]))}→${num(median(cacheTimes.samples[lastSlot]))} ms with the cache and ${num(median(noCacheTimes.samples[0]))}→${num(median(noCacheTimes.samples[lastSlot]))} ms without; at the last position the cache was ${num(speedupAtEnd)}× faster. Tokens ${tokensMatch ? 'identical' : 'differ'}, max logit difference ${num(maxLogitDifference)}.`,
      ),
      meaning: {
        holds: both(
          '카드의 답이 이 기기에서 확인되었습니다: 캐시가 있으면 새 토큰 하나만 계산하므로 토큰당 비용이 거의 일정하고, 없으면 매번 전체를 다시 계산해 위치에 따라 늘어납니다. 결과(토큰과 로짓)는 같습니다.',
          "The card's answer is confirmed on this device: with a cache only the new token is computed, so the per-token cost stays flat; without it everything is recomputed and the cost grows with the position. The output (tokens and logits) is the same.",
        ),
        'does-not-hold': both('이 실행에서 측정된 수치가 주장과 어긋납니다. 아래 항목에서 어느 부분인지 확인하세요.', 'A number measured in this run contradicts the claim: see which check below.'),
        'not-shown': both(
          '이 실행에서는 차이가 측정 흔들림 안에 있어 주장을 보여 주지 못했습니다. 토큰 수나 반복 횟수를 늘려 다시 실행해 보세요.',
          'In this run the difference stayed within the noise of the measurements. Try more tokens or repeats.',
        ),
      },
    });
    const rows = positions.map((position, slot) => {
      const cache = median(cacheTimes.samples[slot]);
      const noCache = median(noCacheTimes.samples[slot]);
      return [position, cache, noCache, noCache / cache];
    });
    return finish(
      {
        experimentId: kvCacheSpeedMeta.id,
        params,
        device: engine.info,
        metrics: {
          cacheMsAtFirst: median(cacheTimes.samples[0]),
          cacheMsAtLast: median(cacheTimes.samples[lastSlot]),
          noCacheMsAtFirst: median(noCacheTimes.samples[0]),
          noCacheMsAtLast: median(noCacheTimes.samples[lastSlot]),
          cacheGrowth: median(cacheTimes.samples[lastSlot]) / median(cacheTimes.samples[0]),
          noCacheGrowth: median(noCacheTimes.samples[lastSlot]) / median(noCacheTimes.samples[0]),
          speedupAtEnd,
          speedupAtEndP: atEnd.pSmaller,
          repeatsPerPosition: params.repeats,
          prefillMs: median(cached.map((run) => run.msPerToken[0])),
          tokensMatch,
          maxLogitDifference,
        },
        table: {
          columns: [both('위치', 'Position'), both('캐시 ms/토큰 (중앙값)', 'Cache ms/token (median)'), both('캐시 없음 ms/토큰 (중앙값)', 'No cache ms/token (median)'), both('배속', 'Speed-up')],
          rows,
        },
        series: [
          { id: 'cache', label: both('KV-Cache 사용', 'With KV-cache'), ...bandSeries(cacheTimes) },
          { id: 'no-cache', label: both('캐시 없음(전체 재계산)', 'No cache (recompute all)'), ...bandSeries(noCacheTimes) },
        ],
        charts: [
          {
            id: 'ms-per-token',
            title: both('토큰당 디코딩 시간 대 위치 (반복의 10–90% 범위)', 'Per-token decode time vs position (10–90% of repeats)'),
            xLabel: both('시퀀스 위치', 'Sequence position'),
            yLabel: both('ms / 토큰', 'ms / token'),
            series: ['cache', 'no-cache'],
          },
        ],
        verdict,
        control,
        context: joinContext(
          both(
            `캐시 없이 디코딩하면 매 토큰마다 지금까지의 시퀀스 전체를 다시 계산하므로 비용이 위치에 따라 늘어납니다. 캐시를 쓰면 새 토큰 하나만 계산하고, 캐시 위의 어텐션만 조금씩 늘어납니다. 캐시는 16토큰 블록 단위로 필요할 때 할당되는 페이지드 캐시입니다. "거의 일정"의 기준은 마지막 위치의 시간이 처음의 ${FLAT_GROWTH}배 이하입니다.`,
            `Without a cache every token recomputes the whole sequence so far, so its cost grows with the position; with the cache only the new token is computed, and only the attention over the cache grows, slightly. The cache is paged: 16-token blocks allocated as tokens arrive. "Flat" means the last position costs at most ${FLAT_GROWTH}× the first.`,
          ),
          engine.info.isFallback ? softwareGpuContext : undefined,
        ),
      },
      startedAt,
    );
  },
};

import { decodeBothWays } from '../engine/decode/decode';
import { kvCacheSpeedMeta, type KvCacheSpeedParams } from './kv-cache-speed.meta';
import { both, finish, guarded, joinContext, kendallTau, num, robustSlope, sampleIndices, sliceMedian, softwareGpuContext } from './support';
import type { Experiment } from './types';

/** Largest |logit difference| that still counts as "the same logits" (float32 summation order). */
const logitTolerance = 1e-4;

/**
 * Decodes the same prompt with and without the KV-cache on the engine's transformer and compares
 * the cost of each generated token against its position, and the tokens and logits themselves.
 */
export const kvCacheSpeed: Experiment<KvCacheSpeedParams> = {
  ...kvCacheSpeedMeta,
  async run(engine, params, progress, signal) {
    const startedAt = Date.now();
    const dModel = params.heads * params.headDim;
    const total = 2 * params.tokens;
    let done = 0;
    const run = await guarded(signal, () =>
      decodeBothWays(engine, {
        tokens: params.tokens,
        seed: params.seed,
        promptLength: params.promptTokens,
        config: { layers: params.layers, heads: params.heads, kvHeads: params.heads, headDim: params.headDim, dModel, hidden: 2 * dModel, seed: params.seed },
        signal,
        onToken: (way) => {
          done++;
          progress(done / total, way === 'cache' ? 'decoding with the KV-cache' : 'decoding without a cache');
        },
      }),
    );
    // Token i ≥ 1 comes from a forward over a sequence of promptTokens + i tokens; token 0 is the prefill.
    const positions = run.msPerTokenCache.slice(1).map((_, i) => params.promptTokens + i + 1);
    const cacheMs = run.msPerTokenCache.slice(1);
    const noCacheMs = run.msPerTokenNoCache.slice(1);
    // Growth in ms per position, by a robust fit (timing spikes of a busy machine do not move it).
    const cacheSlope = robustSlope(positions, cacheMs);
    const noCacheSlope = robustSlope(positions, noCacheMs);
    const span = positions[positions.length - 1] - positions[0];
    const noCacheGrowth = (noCacheSlope * span) / sliceMedian(noCacheMs, 0, 0.25);
    const cacheGrowth = (cacheSlope * span) / sliceMedian(cacheMs, 0, 0.25);
    const lastSpeedup = sliceMedian(noCacheMs, 0.75, 1) / sliceMedian(cacheMs, 0.75, 1);
    const same = run.tokensMatch && run.maxLogitDifference <= logitTolerance;
    // Flat: the cached step grows by less than a tenth of what the uncached step grows per position.
    const flat = cacheSlope <= 0.1 * Math.max(noCacheSlope, 0);
    // Grows: a clear upward trend (most pairs of positions cost more later), not a fixed ratio, since
    // a busy machine adds a large constant to every uncached step.
    const trend = kendallTau(positions, noCacheMs);
    const grows = noCacheSlope > 0 && trend >= 0.3;
    const holds = same && flat && grows;
    const first = positions[0];
    const last = positions[positions.length - 1];
    const per100 = (slope: number) => num(slope * 100);
    const summary = both(
      `위치 ${first}→${last}: 캐시 없이 토큰당 시간이 위치 100당 ${per100(noCacheSlope)} ms씩 늘어(추세 τ=${num(trend, 2)}) ${grows ? '증가' : '증가가 뚜렷하지 않음'}, 캐시 사용 시 위치 100당 ${per100(cacheSlope)} ms로 ${flat ? '거의 일정' : '일정하지 않음'}. 마지막 구간에서 캐시가 ${num(lastSpeedup)}배 빠름. 토큰 ${run.tokensMatch ? '일치' : '불일치'}, 로짓 최대 차이 ${num(run.maxLogitDifference)}.`,
      `Positions ${first}→${last}: without the cache the per-token time grows ${per100(noCacheSlope)} ms per 100 positions (trend τ=${num(trend, 2)}, ${grows ? 'growing' : 'not clearly growing'}); with it ${per100(cacheSlope)} ms per 100 positions (${flat ? 'flat' : 'not flat'}). The cache is ${num(lastSpeedup)}× faster at the end. Tokens ${run.tokensMatch ? 'identical' : 'differ'}, max logit difference ${num(run.maxLogitDifference)}.`,
    );
    const rows = sampleIndices(positions.length, 12).map((i) => [positions[i], cacheMs[i], noCacheMs[i], noCacheMs[i] / cacheMs[i]]);
    return finish(
      {
        experimentId: kvCacheSpeedMeta.id,
        params,
        device: engine.info,
        metrics: {
          cacheMsPerToken: run.cacheMsPerToken,
          noCacheMsPerToken: run.noCacheMsPerToken,
          speedup: run.speedup,
          speedupAtEnd: lastSpeedup,
          cacheGrowth,
          noCacheGrowth,
          noCacheTrend: trend,
          cacheMsPerPosition: cacheSlope,
          noCacheMsPerPosition: noCacheSlope,
          prefillMs: run.msPerTokenCache[0],
          tokensMatch: run.tokensMatch,
          maxLogitDifference: run.maxLogitDifference,
          cacheBytes: run.cacheBytes,
          peakBytes: run.peakBytes,
        },
        table: {
          columns: [both('위치', 'Position'), both('캐시 ms/토큰', 'Cache ms/token'), both('캐시 없음 ms/토큰', 'No cache ms/token'), both('배속', 'Speed-up')],
          rows,
        },
        series: [
          { id: 'cache', label: both('KV-Cache 사용', 'With KV-cache'), x: positions, y: cacheMs },
          { id: 'no-cache', label: both('캐시 없음(전체 재계산)', 'No cache (recompute all)'), x: positions, y: noCacheMs },
        ],
        charts: [
          {
            id: 'ms-per-token',
            title: both('토큰당 디코딩 시간 대 위치', 'Per-token decode time vs position'),
            xLabel: both('시퀀스 위치', 'Sequence position'),
            yLabel: both('ms / 토큰', 'ms / token'),
            series: ['cache', 'no-cache'],
          },
        ],
        verdict: { holds, summary },
        context: joinContext(
          both(
            '캐시 없이 디코딩하면 매 토큰마다 지금까지의 시퀀스 전체를 다시 계산하므로 비용이 위치에 비례해 늘어납니다. 캐시를 쓰면 새 토큰 하나만 계산하고, 캐시 위의 어텐션만 조금씩 늘어납니다. 캐시 없는 경로의 행렬곱은 64행 타일 단위라 비용이 64 위치마다 계단식으로 오르므로, 기본 실행은 계단을 하나 이상 넘습니다.',
            'Without a cache every token recomputes the whole sequence so far, so its cost grows with the position; with the cache only the new token is computed, and only the attention over the cache grows, slightly. The uncached projections use 64-row GEMM tiles, so their cost rises in steps of 64 positions: the default run spans more than one step.',
          ),
          engine.info.isFallback ? softwareGpuContext : undefined,
        ),
      },
      startedAt,
    );
  },
};

import { AppError } from '../shared/errors';
import { FlashAttention } from '../engine/attention/FlashAttention';
import { runAttentionForward, type ForwardResult } from '../engine/attention/runAttention';
import type { AttentionShape } from '../engine/attention/shape';
import { StandardAttention } from '../engine/attention/StandardAttention';
import { MemoryMeter } from '../engine/memory';
import type { EngineContext } from '../engine/device-info';
import { attentionInputs, compare } from './attention-inputs';
import { flashVsNaiveMeta, type FlashVsNaiveParams } from './flash-vs-naive.meta';
import { both, bytes, finish, guarded, joinContext, logLogSlope, num, softwareGpuContext, spread, throwIfAborted } from './support';
import type { Experiment } from './types';

/** N from maxN/8 (at least 64) doubling up to maxN. */
function sweep(maxN: number): number[] {
  const out: number[] = [];
  for (let n = maxN; n >= 64 && out.length < 4; n = Math.floor(n / 2)) out.unshift(n);
  return out.length ? out : [maxN];
}

/** The smallest N whose N×N matrix no longer fits the device's buffer/binding limit. */
function refusalN(engine: EngineContext, heads: number): number {
  const limit = Math.min(engine.info.limits.maxStorageBufferBindingSize, engine.info.limits.maxBufferSize);
  return Math.floor(Math.sqrt(limit / (4 * heads))) + 1;
}

/**
 * Asks the engine for both kernels at the refusal size: the standard one must refuse before
 * allocating (its N² buffers exceed the limit) while flash accepts the same shape. Nothing runs.
 */
function probeRefusal(engine: EngineContext, shape: AttentionShape): { standardRefused: string | null; flashAccepted: boolean } {
  const meter = new MemoryMeter(engine.device);
  let standardRefused: string | null = null;
  try {
    new StandardAttention(engine, shape, meter);
  } catch (error) {
    if (error instanceof AppError && error.code === 'gpu-limit') standardRefused = error.message;
    else throw error;
  } finally {
    meter.destroyAll();
  }
  let flashAccepted = false;
  try {
    new FlashAttention(engine, shape).dispose();
    flashAccepted = true;
  } catch {
    flashAccepted = false;
  }
  return { standardRefused, flashAccepted };
}

/** Times both forward kernels over a sweep of N and compares memory, traffic and the refusal point. */
export const flashVsNaive: Experiment<FlashVsNaiveParams> = {
  ...flashVsNaiveMeta,
  async run(engine, params, progress, signal) {
    const startedAt = Date.now();
    const ns = sweep(params.maxN);
    const results: { n: number; flash: ForwardResult; standard: ForwardResult | null; refusal: string | null; difference: number }[] = [];
    for (const [index, n] of ns.entries()) {
      throwIfAborted(signal);
      const shape: AttentionShape = { batchHeads: params.heads, n, d: params.headDim, causal: params.causal };
      const inputs = attentionInputs(shape, params.seed + n);
      const timing = { warmup: 1, repeats: params.repeats };
      progress((index + 0.1) / ns.length, `N=${n}: flash`);
      const flash = await guarded(signal, () => runAttentionForward(engine, 'flash', inputs, shape, { timing }));
      progress((index + 0.5) / ns.length, `N=${n}: standard`);
      let standard: ForwardResult | null = null;
      let refusal: string | null = null;
      try {
        standard = await guarded(signal, () => runAttentionForward(engine, 'standard', inputs, shape, { timing }));
      } catch (error) {
        if (!(error instanceof AppError && error.code === 'gpu-limit')) throw error;
        refusal = error.message;
      }
      results.push({ n, flash, standard, refusal, difference: standard ? compare(flash.o, standard.o).maxAbs : NaN });
    }
    const refuseAt = refusalN(engine, params.heads);
    const probe = probeRefusal(engine, { batchHeads: params.heads, n: refuseAt, d: params.headDim, causal: params.causal });
    progress(1, 'done');

    const measured = results.filter((r) => r.standard !== null);
    const x = measured.map((r) => r.n);
    const standardSlope = measured.length >= 2 ? logLogSlope(x, measured.map((r) => r.standard!.extraBytes)) : NaN;
    const flashSlope = measured.length >= 2 ? logLogSlope(x, measured.map((r) => r.flash.extraBytes)) : NaN;
    const last = results[results.length - 1];
    const lastMeasured = measured[measured.length - 1];
    const trafficRatio = lastMeasured ? lastMeasured.standard!.trafficBytes / lastMeasured.flash.trafficBytes : NaN;
    const timeRatio = lastMeasured ? lastMeasured.standard!.timing!.medianMs / lastMeasured.flash.timing!.medianMs : NaN;
    const memoryHolds = Math.abs(standardSlope - 2) <= 0.1 && Math.abs(flashSlope - 1) <= 0.1;
    const trafficHolds = trafficRatio > 1;
    const refusalHolds = probe.standardRefused !== null && probe.flashAccepted;
    const holds = memoryHolds && trafficHolds && refusalHolds;
    const faster = timeRatio > 1;
    const summary = both(
      `추가 메모리의 N에 대한 기울기: 표준 ${num(standardSlope)}(N²), Flash ${num(flashSlope)}(N). N=${lastMeasured?.n}에서 표준 ${bytes(lastMeasured?.standard?.extraBytes ?? 0)} 대 Flash ${bytes(lastMeasured?.flash.extraBytes ?? 0)}, 메모리 이동량 ${num(trafficRatio)}배 적음. N=${refuseAt}에서 표준 어텐션은 장치 한계로 거부${probe.standardRefused ? '됨' : '되지 않음'}, Flash는 ${probe.flashAccepted ? '수행 가능' : '불가'}. 시간: Flash가 ${num(timeRatio)}배 ${faster ? '빠름' : '(더 느림)'}.`,
      `Extra memory grows with slope ${num(standardSlope)} in N for standard (N²) and ${num(flashSlope)} for flash (N). At N=${lastMeasured?.n}: ${bytes(lastMeasured?.standard?.extraBytes ?? 0)} vs ${bytes(lastMeasured?.flash.extraBytes ?? 0)}, and flash moves ${num(trafficRatio)}× fewer bytes. At N=${refuseAt} standard attention is ${probe.standardRefused ? 'refused by the device limit' : 'NOT refused'} while flash ${probe.flashAccepted ? 'accepts it' : 'does not'}. Time: flash ${num(timeRatio)}× ${faster ? 'faster' : '(slower)'}.`,
    );
    const timeSeries = (kernel: 'flash' | 'standard') => {
      const rows = results.filter((r) => r[kernel] !== null);
      const spreads = rows.map((r) => spread(r[kernel]!.timing!.samplesMs));
      return { x: rows.map((r) => r.n), y: spreads.map((s) => s.median), yLow: spreads.map((s) => s.low), yHigh: spreads.map((s) => s.high) };
    };
    const memorySeries = (kernel: 'flash' | 'standard', field: 'extraBytes' | 'trafficBytes') => {
      const rows = results.filter((r) => r[kernel] !== null);
      return { x: rows.map((r) => r.n), y: rows.map((r) => r[kernel]![field]) };
    };
    return finish(
      {
        experimentId: flashVsNaiveMeta.id,
        params,
        device: engine.info,
        metrics: {
          largestN: last.n,
          flashMs: last.flash.timing!.medianMs,
          standardMs: last.standard?.timing?.medianMs ?? null,
          speedup: timeRatio,
          flashExtraBytes: last.flash.extraBytes,
          standardExtraBytes: last.standard?.extraBytes ?? null,
          flashPeakBytes: last.flash.peakBytes,
          standardPeakBytes: last.standard?.peakBytes ?? null,
          trafficRatio,
          standardMemorySlope: standardSlope,
          flashMemorySlope: flashSlope,
          refusalN: refuseAt,
          standardRefusedAtRefusalN: probe.standardRefused !== null,
          flashAcceptsRefusalN: probe.flashAccepted,
          timingMethod: last.flash.timing!.method,
          maxOutputDifference: Math.max(...results.map((r) => r.difference).filter(Number.isFinite)),
        },
        table: {
          columns: [
            both('N', 'N'),
            both('표준 ms', 'Standard ms'),
            both('Flash ms', 'Flash ms'),
            both('표준 추가 메모리', 'Standard extra bytes'),
            both('Flash 추가 메모리', 'Flash extra bytes'),
            both('표준 이동 바이트', 'Standard traffic'),
            both('Flash 이동 바이트', 'Flash traffic'),
          ],
          rows: [
            ...results.map((r) => [r.n, r.standard?.timing?.medianMs ?? (r.refusal ? 'refused' : null), r.flash.timing!.medianMs, r.standard?.extraBytes ?? null, r.flash.extraBytes, r.standard?.trafficBytes ?? null, r.flash.trafficBytes]),
            [refuseAt, probe.standardRefused ? 'refused' : 'accepted', probe.flashAccepted ? 'accepted' : 'refused', 2 * params.heads * refuseAt * refuseAt * 4, params.heads * refuseAt * 4, null, null],
          ],
        },
        series: [
          { id: 'standard-ms', label: both('표준 어텐션', 'Standard attention'), ...timeSeries('standard') },
          { id: 'flash-ms', label: both('Flash-Attention', 'Flash-Attention'), ...timeSeries('flash') },
          { id: 'standard-extra', label: both('표준: S와 P (N²)', 'Standard: S and P (N²)'), ...memorySeries('standard', 'extraBytes') },
          { id: 'flash-extra', label: both('Flash: L (N)', 'Flash: L (N)'), ...memorySeries('flash', 'extraBytes') },
          { id: 'standard-traffic', label: both('표준 메모리 이동', 'Standard traffic'), ...memorySeries('standard', 'trafficBytes') },
          { id: 'flash-traffic', label: both('Flash 메모리 이동', 'Flash traffic'), ...memorySeries('flash', 'trafficBytes') },
        ],
        charts: [
          {
            id: 'memory',
            title: both('추가 메모리와 메모리 이동량 대 N', 'Extra memory and traffic vs N'),
            xLabel: both('시퀀스 길이 N (로그)', 'Sequence length N (log)'),
            yLabel: both('바이트 (로그)', 'Bytes (log)'),
            xLog: true,
            yLog: true,
            series: ['standard-extra', 'flash-extra', 'standard-traffic', 'flash-traffic'],
          },
          {
            id: 'time',
            title: both('순전파 시간 대 N (반복 범위)', 'Forward time vs N (range of repeats)'),
            xLabel: both('시퀀스 길이 N (로그)', 'Sequence length N (log)'),
            yLabel: both('ms (로그)', 'ms (log)'),
            xLog: true,
            yLog: true,
            series: ['standard-ms', 'flash-ms'],
          },
        ],
        verdict: { holds, summary },
        context: joinContext(
          both(
            `표준 어텐션은 N×N 점수 S와 확률 P를 전역 메모리에 쓰고 다시 읽습니다. Flash는 K/V 타일을 작업 그룹 메모리에 올려 행마다 끝내므로 N×N 버퍼가 없습니다. 이 장치의 버퍼 한계(${bytes(Math.min(engine.info.limits.maxStorageBufferBindingSize, engine.info.limits.maxBufferSize))})로는 N=${refuseAt}부터 표준 어텐션이 불가능합니다.`,
            `Standard attention writes the N×N scores S and probabilities P to global memory and reads them back; flash stages K/V tiles in workgroup memory and finishes each row block there, so no N×N buffer exists. With this device's buffer limit (${bytes(Math.min(engine.info.limits.maxStorageBufferBindingSize, engine.info.limits.maxBufferSize))}) standard attention is impossible from N=${refuseAt}.`,
          ),
          engine.info.isFallback
            ? both(
                '소프트웨어 GPU에서는 "전역 메모리"도 CPU 캐시와 RAM이라 I/O 절약이 시간으로 잘 드러나지 않고 계산량이 시간을 결정합니다. 그래서 판정은 메모리와 이동 바이트로 하고, 시간은 측정한 그대로 보여 줍니다.',
                'On a software GPU, "global memory" is CPU cache and RAM, so saving I/O barely shows in time and compute decides it. The verdict therefore rests on memory and bytes moved; the time is shown as measured.',
              )
            : undefined,
          engine.info.isFallback ? softwareGpuContext : undefined,
        ),
      },
      startedAt,
    );
  },
};

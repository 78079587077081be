import { runAttentionBackward, type BackwardResult } from '../engine/attention/runBackward';
import type { AttentionShape } from '../engine/attention/shape';
import { referenceAttentionBackward } from '../engine/reference/attention';
import { attentionInputs, compare } from './attention-inputs';
import { flashBackwardMeta, type FlashBackwardParams } from './flash-backward.meta';
import { both, bytes, finish, guarded, joinContext, logLogSlope, num, softwareGpuContext, spread, throwIfAborted } from './support';
import type { Experiment } from './types';

/** Gradients agree with float64 within this relative L2 error (issue 3's bar for the backward pass). */
const tolerance = 1e-4;

function sweep(n: number): number[] {
  return [...new Set([Math.max(1, Math.round(n / 2)), n])];
}

/**
 * Backward pass two ways: flash (recomputes P tile by tile from Q, K and the saved logsumexp) and
 * standard (keeps the N×N P from the forward pass). Gradients vs float64, extra memory and time.
 */
export const flashBackward: Experiment<FlashBackwardParams> = {
  ...flashBackwardMeta,
  async run(engine, params, progress, signal) {
    const startedAt = Date.now();
    const ns = sweep(params.n);
    const runs: { n: number; flash: BackwardResult; standard: BackwardResult }[] = [];
    let errors = { dq: { flash: 0, standard: 0 }, dk: { flash: 0, standard: 0 }, dv: { flash: 0, standard: 0 } };
    for (const [index, n] of ns.entries()) {
      throwIfAborted(signal);
      const shape: AttentionShape = { batchHeads: params.heads, n, d: params.headDim, causal: params.causal };
      const inputs = attentionInputs(shape, params.seed + n, true);
      const timing = { warmup: 1, repeats: params.repeats };
      progress(index / ns.length, `N=${n}: flash backward (recompute P)`);
      const flash = await guarded(signal, () => runAttentionBackward(engine, 'flash', inputs, shape, { timing }));
      progress((index + 0.5) / ns.length, `N=${n}: standard backward (stored P)`);
      const standard = await guarded(signal, () => runAttentionBackward(engine, 'standard', inputs, shape, { timing }));
      runs.push({ n, flash, standard });
      if (n === params.n) {
        progress((index + 0.9) / ns.length, 'float64 reference gradients');
        const reference = referenceAttentionBackward(inputs.q, inputs.k, inputs.v, inputs.dO, shape);
        errors = {
          dq: { flash: compare(flash.dq, reference.dq).relative, standard: compare(standard.dq, reference.dq).relative },
          dk: { flash: compare(flash.dk, reference.dk).relative, standard: compare(standard.dk, reference.dk).relative },
          dv: { flash: compare(flash.dv, reference.dv).relative, standard: compare(standard.dv, reference.dv).relative },
        };
      }
    }
    progress(1, 'done');
    const worstFlash = Math.max(errors.dq.flash, errors.dk.flash, errors.dv.flash);
    const worstStandard = Math.max(errors.dq.standard, errors.dk.standard, errors.dv.standard);
    const x = runs.map((r) => r.n);
    const flashSlope = runs.length >= 2 ? logLogSlope(x, runs.map((r) => r.flash.extraBytes)) : NaN;
    const standardSlope = runs.length >= 2 ? logLogSlope(x, runs.map((r) => r.standard.extraBytes)) : NaN;
    const last = runs[runs.length - 1];
    const memoryRatio = last.standard.extraBytes / last.flash.extraBytes;
    const timeRatio = last.standard.timing!.medianMs / last.flash.timing!.medianMs;
    const exact = worstFlash <= tolerance;
    const lessMemory = last.flash.extraBytes < last.standard.extraBytes && (runs.length < 2 || flashSlope < standardSlope);
    const holds = exact && lessMemory;
    const summary = both(
      `N=${last.n}에서 Flash 역전파 기울기의 float64 대비 최대 상대 오차 ${num(worstFlash)} (표준 ${num(worstStandard)}, 허용 ${tolerance}). P를 저장하지 않아 추가 메모리 ${bytes(last.flash.extraBytes)} 대 표준 ${bytes(last.standard.extraBytes)} (${num(memoryRatio)}배), N에 대한 기울기 ${num(flashSlope)} 대 ${num(standardSlope)}. 시간: Flash가 ${num(timeRatio)}배 ${timeRatio > 1 ? '빠름' : '(더 느림: 재계산 비용)'}.`,
      `At N=${last.n}, flash backward gradients differ from float64 by at most ${num(worstFlash)} relative (standard ${num(worstStandard)}, tolerance ${tolerance}). Without storing P it needs ${bytes(last.flash.extraBytes)} extra vs ${bytes(last.standard.extraBytes)} (${num(memoryRatio)}×), slope in N ${num(flashSlope)} vs ${num(standardSlope)}. Time: flash ${num(timeRatio)}× ${timeRatio > 1 ? 'faster' : '(slower: the recomputation costs)'}.`,
    );
    const timeSeries = (kernel: 'flash' | 'standard') => {
      const spreads = runs.map((r) => spread(r[kernel].timing!.samplesMs));
      return { x, y: spreads.map((s) => s.median), yLow: spreads.map((s) => s.low), yHigh: spreads.map((s) => s.high) };
    };
    return finish(
      {
        experimentId: flashBackwardMeta.id,
        params,
        device: engine.info,
        metrics: {
          flashMaxRelativeError: worstFlash,
          standardMaxRelativeError: worstStandard,
          flashExtraBytes: last.flash.extraBytes,
          standardExtraBytes: last.standard.extraBytes,
          memoryRatio,
          flashMemorySlope: flashSlope,
          standardMemorySlope: standardSlope,
          flashMs: last.flash.timing!.medianMs,
          standardMs: last.standard.timing!.medianMs,
          speedup: timeRatio,
          flashTrafficBytes: last.flash.trafficBytes,
          standardTrafficBytes: last.standard.trafficBytes,
        },
        table: {
          columns: [
            both('N', 'N'),
            both('Flash ms', 'Flash ms'),
            both('표준 ms', 'Standard ms'),
            both('Flash 추가 메모리', 'Flash extra bytes'),
            both('표준 추가 메모리', 'Standard extra bytes'),
            both('Flash 최대 메모리', 'Flash peak bytes'),
            both('표준 최대 메모리', 'Standard peak bytes'),
          ],
          rows: [
            ...runs.map((r) => [r.n, r.flash.timing!.medianMs, r.standard.timing!.medianMs, r.flash.extraBytes, r.standard.extraBytes, r.flash.peakBytes, r.standard.peakBytes]),
            ['dQ rel. err', errors.dq.flash, errors.dq.standard, null, null, null, null],
            ['dK rel. err', errors.dk.flash, errors.dk.standard, null, null, null, null],
            ['dV rel. err', errors.dv.flash, errors.dv.standard, null, null, null, null],
          ],
        },
        series: [
          { id: 'flash-extra', label: both('Flash (P 재계산)', 'Flash (recompute P)'), x, y: runs.map((r) => r.flash.extraBytes) },
          { id: 'standard-extra', label: both('표준 (P 저장)', 'Standard (stored P)'), x, y: runs.map((r) => r.standard.extraBytes) },
          { id: 'flash-ms', label: both('Flash 역전파', 'Flash backward'), ...timeSeries('flash') },
          { id: 'standard-ms', label: both('표준 역전파', 'Standard backward'), ...timeSeries('standard') },
        ],
        charts: [
          {
            id: 'memory',
            title: both('역전파 추가 메모리 대 N', 'Backward extra memory vs N'),
            xLabel: both('시퀀스 길이 N (로그)', 'Sequence length N (log)'),
            yLabel: both('바이트 (로그)', 'Bytes (log)'),
            xLog: true,
            yLog: true,
            series: ['flash-extra', 'standard-extra'],
          },
          {
            id: 'time',
            title: both('역전파 시간 (반복 범위)', 'Backward time (range of repeats)'),
            xLabel: both('시퀀스 길이 N (로그)', 'Sequence length N (log)'),
            yLabel: both('ms (로그)', 'ms (log)'),
            xLog: true,
            yLog: true,
            series: ['flash-ms', 'standard-ms'],
          },
        ],
        verdict: { holds, summary },
        context: joinContext(
          both(
            'Flash 역전파는 순전파가 남긴 행별 logsumexp L만으로 P = exp(S − L)을 블록마다 다시 계산합니다. 계산은 더 하지만 N×N 행렬을 저장하지도 읽지도 않습니다. 표준 역전파는 P와 dP/dS를 N×N으로 보관합니다.',
            'The flash backward recomputes P = exp(S − L) tile by tile from the row logsumexp L saved by the forward pass: more arithmetic, but no N×N matrix stored or read. The standard backward keeps P and dP/dS as N×N buffers.',
          ),
          engine.info.isFallback ? softwareGpuContext : undefined,
        ),
      },
      startedAt,
    );
  },
};

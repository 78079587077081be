import { runAttentionBackward, type BackwardResult } from '../engine/attention/run-backward';
import type { AttentionShape } from '../engine/attention/shape';
import { referenceAttentionBackward } from '../engine/reference/attention';
import { attentionInputs, compare } from './attention-inputs';
import { linearMemoryCheck } from './checks';
import { flashBackwardMeta, type FlashBackwardParams } from './flash-backward.meta';
import { spread } from './statistics';
import { both, bytes, finish, guarded, joinContext, num, softwareGpuContext, throwIfAborted } from './support';
import type { Experiment, Localized } from './types';
import { judge, measured, modelled, type Check } from './verdict';

/** Gradients agree with float64 within this relative L2 error (float32 rounding through two passes). */
const tolerance = 1e-4;

const FLASH = both('Flash 역전파(P 재계산)', 'flash backward (recomputes P)');
const STANDARD = both('표준 역전파(P 저장)', 'standard backward (stores P)');

/** N/4, N/2 and N (at least 1): three sizes for the growth rate. */
function sweep(n: number): number[] {
  return [...new Set([Math.max(1, Math.round(n / 4)), Math.max(1, Math.round(n / 2)), n])];
}

interface Gradients {
  dq: number;
  dk: number;
  dv: number;
}

/** The claim's test on one arm: gradients equal float64's within rounding. */
function gradientCheck(label: Localized, n: number, errors: Gradients): Check {
  const worst = Math.max(errors.dq, errors.dk, errors.dv);
  const exact = worst <= tolerance;
  return {
    id: 'exact-gradients',
    claim: both(`${label.ko}: dQ, dK, dV가 float64 기울기와 반올림 오차(${num(tolerance)}) 안에서 같다`, `${label.en}: dQ, dK, dV equal float64's within rounding (${num(tolerance)})`),
    outcome: exact ? 'holds' : 'does-not-hold',
    observed: both(
      `${label.ko}: N=${n}에서 float64 대비 상대 오차 dQ ${num(errors.dq)}, dK ${num(errors.dk)}, dV ${num(errors.dv)}.`,
      `${label.en}: relative error against float64 at N=${n}: dQ ${num(errors.dq)}, dK ${num(errors.dk)}, dV ${num(errors.dv)}.`,
    ),
    evidence: [measured('exact-gradients.worst', both('float64 대비 최대 상대 오차', 'Worst relative error vs float64'), worst, '')],
  };
}

/**
 * Backward pass two ways on the same inputs: flash (recomputes P tile by tile from Q, K and the
 * saved logsumexp) and its control, standard (keeps the N×N P from the forward pass). Measured:
 * the device memory each really held across N, gradients vs float64, and time.
 */
export const flashBackward: Experiment<FlashBackwardParams> = {
  ...flashBackwardMeta,
  async run(engine, params, progress, signal) {
    const startedAt = Date.now();
    const ns = sweep(params.n);
    const runs: { n: number; flash: BackwardResult; standard: BackwardResult }[] = [];
    let errors = { flash: { dq: 0, dk: 0, dv: 0 }, standard: { dq: 0, dk: 0, dv: 0 } };
    const timing = { warmup: 1, repeats: params.repeats };
    for (const [index, n] of ns.entries()) {
      throwIfAborted(signal);
      const shape: AttentionShape = { batchHeads: params.heads, n, d: params.headDim, causal: params.causal };
      const inputs = attentionInputs(shape, params.seed + n, true);
      progress(index / ns.length, `N=${n}: flash backward (recompute P)`);
      const flash = await guarded(signal, () => runAttentionBackward(engine, 'flash', inputs, shape, { timing }));
      progress((index + 0.5) / ns.length, `N=${n}: standard backward (stored P)`);
      const standard = await guarded(signal, () => runAttentionBackward(engine, 'standard', inputs, shape, { timing }));
      runs.push({ n, flash, standard });
      if (n === params.n) {
        progress((index + 0.9) / ns.length, 'float64 reference gradients');
        const reference = referenceAttentionBackward(inputs.q, inputs.k, inputs.v, inputs.dO, shape);
        const of = (run: BackwardResult) => ({ dq: compare(run.dq, reference.dq).relative, dk: compare(run.dk, reference.dk).relative, dv: compare(run.dv, reference.dv).relative });
        errors = { flash: of(flash), standard: of(standard) };
      }
    }
    progress(1, 'done');
    const x = runs.map((r) => r.n);
    const last = runs[runs.length - 1];
    const flashMs = spread(last.flash.timing!.samplesMs).median;
    const standardMs = spread(last.standard.timing!.samplesMs).median;
    const { verdict, control } = judge({
      checks: [
        linearMemoryCheck({ id: 'linear-memory', arm: FLASH, ns: x, extraBytes: runs.map((r) => r.flash.extraBytes) }),
        gradientCheck(FLASH, last.n, errors.flash),
      ],
      control: {
        description: both('대조군: 순전파의 N×N 확률 P를 저장해 두고 읽는 표준 역전파(재계산 없음)', 'Control: the standard backward, which stores the N×N probabilities P from the forward pass and reads them (no recomputation)'),
        checks: [
          linearMemoryCheck({ id: 'linear-memory', arm: STANDARD, ns: x, extraBytes: runs.map((r) => r.standard.extraBytes) }),
          gradientCheck(STANDARD, last.n, errors.standard),
        ],
      },
      model: [
        modelled('traffic.flash', both('Flash 역전파 메모리 이동량', 'Flash backward traffic'), last.flash.trafficBytes, 'B'),
        modelled('traffic.standard', both('표준 역전파 메모리 이동량', 'Standard backward traffic'), last.standard.trafficBytes, 'B'),
      ],
      summary: both(
        `측정: N=${last.n}에서 역전파가 실제로 잡은 추가 메모리 Flash ${bytes(last.flash.extraBytes)} 대 표준 ${bytes(last.standard.extraBytes)}; float64 대비 기울기 오차 Flash ${num(Math.max(errors.flash.dq, errors.flash.dk, errors.flash.dv))}; 시간 Flash ${num(flashMs)} ms, 표준 ${num(standardMs)} ms (재계산은 계산을 더 합니다).`,
        `Measured: at N=${last.n} the backward really held ${bytes(last.flash.extraBytes)} of extra memory with flash against ${bytes(last.standard.extraBytes)} with standard; flash's gradients differ from float64 by ${num(Math.max(errors.flash.dq, errors.flash.dk, errors.flash.dv))}; time ${num(flashMs)} ms for flash, ${num(standardMs)} ms for standard (recomputation costs arithmetic).`,
      ),
      meaning: {
        holds: both(
          '카드의 답이 확인되었습니다: 역전파는 저장한 logsumexp로 P를 다시 계산하므로 N×N 메모리 없이 같은 기울기를 냅니다. 대신 계산을 더 합니다.',
          "The card's answer is confirmed: recomputing P from the saved logsumexp gives the same gradients without N×N memory, at the cost of more arithmetic.",
        ),
        'does-not-hold': both('이 실행에서 측정된 수치 중 하나가 주장과 어긋납니다. 아래 항목을 보세요.', 'A number measured in this run contradicts the claim: see the checks below.'),
        'not-shown': both('이 실행으로는 메모리 증가율을 판별할 수 없었습니다(크기가 너무 작음). N을 늘려 보세요.', 'This run could not tell the growth rates apart (sizes too small). Try a larger N.'),
      },
    });
    const timeSeries = (kernel: 'flash' | 'standard') => {
      const spreads = runs.map((r) => spread(r[kernel].timing!.samplesMs));
      return { x, y: spreads.map((s) => s.median), yLow: spreads.map((s) => s.p10), yHigh: spreads.map((s) => s.p90) };
    };
    return finish(
      {
        experimentId: flashBackwardMeta.id,
        params,
        device: engine.info,
        metrics: {
          flashMaxRelativeError: Math.max(errors.flash.dq, errors.flash.dk, errors.flash.dv),
          standardMaxRelativeError: Math.max(errors.standard.dq, errors.standard.dk, errors.standard.dv),
          flashExtraBytes: last.flash.extraBytes,
          standardExtraBytes: last.standard.extraBytes,
          memoryRatio: last.standard.extraBytes / last.flash.extraBytes,
          flashMs,
          standardMs,
          speedup: standardMs / flashMs,
          modelFlashTrafficBytes: last.flash.trafficBytes,
          modelStandardTrafficBytes: last.standard.trafficBytes,
        },
        table: {
          columns: [
            both('N', 'N'),
            both('Flash ms (중앙값)', 'Flash ms (median)'),
            both('표준 ms (중앙값)', 'Standard ms (median)'),
            both('Flash 추가 메모리 (측정)', 'Flash extra bytes (measured)'),
            both('표준 추가 메모리 (측정)', 'Standard extra bytes (measured)'),
            both('Flash 최대 메모리 (측정)', 'Flash peak bytes (measured)'),
            both('표준 최대 메모리 (측정)', 'Standard peak bytes (measured)'),
          ],
          rows: [
            ...runs.map((r) => [r.n, spread(r.flash.timing!.samplesMs).median, spread(r.standard.timing!.samplesMs).median, r.flash.extraBytes, r.standard.extraBytes, r.flash.peakBytes, r.standard.peakBytes]),
            ['dQ rel. err', errors.flash.dq, errors.standard.dq, null, null, null, null],
            ['dK rel. err', errors.flash.dk, errors.standard.dk, null, null, null, null],
            ['dV rel. err', errors.flash.dv, errors.standard.dv, null, null, null, null],
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
            title: both('역전파 추가 메모리(측정) 대 N', 'Backward extra memory (measured) vs N'),
            xLabel: both('시퀀스 길이 N (로그)', 'Sequence length N (log)'),
            yLabel: both('바이트 (로그)', 'Bytes (log)'),
            xLog: true,
            yLog: true,
            series: ['flash-extra', 'standard-extra'],
          },
          {
            id: 'time',
            title: both('역전파 시간 (10–90% 범위)', 'Backward time (10–90% of repeats)'),
            xLabel: both('시퀀스 길이 N (로그)', 'Sequence length N (log)'),
            yLabel: both('ms (로그)', 'ms (log)'),
            xLog: true,
            yLog: true,
            series: ['flash-ms', 'standard-ms'],
          },
        ],
        verdict,
        control,
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

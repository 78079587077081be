import { runAttentionForward } from '../engine/attention/run-attention';
import type { AttentionShape } from '../engine/attention/shape';
import type { DeviceInfo } from '../engine/device-info';
import { referenceAttentionForward } from '../engine/reference/attention';
import { attentionInputs, compare } from './attention-inputs';
import { flashExactMeta, type FlashExactParams } from './flash-exact.meta';
import { onlineSoftmaxAttention } from './flash-exact-cpu';
import { both, cpuReferenceDevice, finish, guarded, num, throwIfAborted, yieldToEvents } from './support';
import type { Experiment, ExperimentResult, Localized, Series } from './types';
import { judge, measured, type Check } from './verdict';

/** Float32 kernels agree with float64 within this relative L2 error: float32 rounding (2⁻²⁴ ≈ 6e-8) summed over N terms. */
const tolerance = 1e-5;

/** Sizes checked: a few awkward ones (not multiples of any tile) up to the chosen N. */
function sizes(n: number): number[] {
  return [...new Set([1, 65, n].filter((s) => s <= n))].sort((a, b) => a - b);
}

type Measured = { relative: number; maxAbs: number };

interface Row {
  n: number;
  /** Errors against float64, measured in this run, by arm. */
  flash: Measured;
  control: Measured;
  /** The standard kernel's own float32 error, for scale (GPU runs only). */
  standard: Measured | null;
}

const FLASH = both('Flash-Attention', 'Flash-Attention');
const CONTROL = both('재조정 없는 온라인 소프트맥스', 'online softmax without the rescale');

/** The claim's test on one arm: at every size, its output is float64's within float32 rounding. */
function exactCheck(label: Localized, ns: number[], errors: Measured[]): Check {
  const worst = Math.max(...errors.map((e) => e.relative));
  const at = ns[errors.findIndex((e) => e.relative === worst)];
  const exact = worst <= tolerance;
  return {
    id: 'exact',
    claim: both(`${label.ko}: 모든 크기에서 float64 결과와 float32 반올림 오차(${num(tolerance)}) 안에서 같다`, `${label.en} equals float64 within float32 rounding (${num(tolerance)}) at every size`),
    outcome: exact ? 'holds' : 'does-not-hold',
    observed: both(
      `${label.ko}: N ∈ {${ns.join(', ')}}에서 float64 대비 최대 상대 L2 오차 ${num(worst)} (N=${at}) — ${exact ? '반올림 범위 안' : `허용치 ${num(tolerance)}의 ${num(worst / tolerance)}배`}.`,
      `${label.en}: worst relative L2 error against float64 over N ∈ {${ns.join(', ')}} is ${num(worst)} (at N=${at}) — ${exact ? 'within rounding' : `${num(worst / tolerance)}× the ${num(tolerance)} bar`}.`,
    ),
    evidence: [
      measured('exact.worstRelative', both('float64 대비 최대 상대 L2 오차', 'Worst relative L2 error vs float64'), worst, ''),
      measured('exact.worstAbs', both('최대 절대 오차', 'Worst absolute error'), Math.max(...errors.map((e) => e.maxAbs)), '', false),
    ],
  };
}

function assemble(params: FlashExactParams, device: DeviceInfo, rows: Row[], startedAt: number): ExperimentResult {
  const ns = rows.map((r) => r.n);
  const onGpu = device.backend === 'webgpu';
  const where = onGpu ? both('GPU 커널', 'GPU kernel') : both('CPU에서 float32로 계산한 같은 알고리즘', 'the same algorithm in float32 on the CPU');
  const worst = (pick: (row: Row) => Measured | null) => Math.max(...rows.map((r) => pick(r)?.relative ?? 0));
  const { verdict, control } = judge({
    checks: [exactCheck(FLASH, ns, rows.map((r) => r.flash))],
    control: {
      description: both(
        '대조군: 최댓값이 커질 때 누적 합과 출력을 exp(m_old − m_new)로 재조정하지 않는 같은 커널(근사가 되는 경우)',
        'Control: the same kernel without rescaling its running sum and output by exp(m_old − m_new) when the max grows (what an approximation would look like)',
      ),
      checks: [exactCheck(CONTROL, ns, rows.map((r) => r.control))],
    },
    summary: both(
      `측정(${where.ko}): float64 대비 최대 상대 오차 Flash ${num(worst((r) => r.flash))}, 재조정 없는 대조군 ${num(worst((r) => r.control))}${onGpu ? `, 표준 어텐션 ${num(worst((r) => r.standard))}` : ''}.`,
      `Measured (${where.en}): worst relative error against float64 ${num(worst((r) => r.flash))} for flash, ${num(worst((r) => r.control))} for the control without the rescale${onGpu ? `, ${num(worst((r) => r.standard))} for standard attention` : ''}.`,
    ),
    meaning: {
      holds: both(
        `Flash-Attention은 근사가 아닙니다: 남은 차이는 float32 반올림뿐이고${onGpu ? ' 표준 어텐션과 같은 크기입니다' : ''}. 재조정을 빼면 결과가 틀어지므로, 정확성은 온라인 소프트맥스의 재조정에서 나옵니다.${onGpu ? '' : ' (GPU가 없어 CPU에서 측정했습니다.)'}`,
        `Flash-Attention is not an approximation: what is left is float32 rounding${onGpu ? ", the size of standard attention's own" : ''}. Without the rescale the result goes wrong, so the exactness comes from the online softmax's rescale.${onGpu ? '' : ' (Measured on the CPU: no GPU was available.)'}`,
      ),
      'does-not-hold': both('이 실행에서 Flash 커널의 오차가 float32 반올림 범위를 넘었습니다: 커널 결함입니다.', 'In this run the flash kernel erred beyond float32 rounding: a kernel defect.'),
      'not-shown': both('이 실행으로는 정확성을 보여 줄 수 없었습니다.', 'This run could not show exactness.'),
    },
  });
  const series: Series[] = [
    { id: 'flash', label: FLASH, x: ns, y: rows.map((r) => r.flash.relative) },
    { id: 'control', label: both('대조군: 재조정 없음', 'Control: no rescale'), x: ns, y: rows.map((r) => r.control.relative) },
    ...(onGpu ? [{ id: 'standard', label: both('표준 어텐션', 'Standard attention'), x: ns, y: rows.map((r) => r.standard?.relative ?? 0) }] : []),
    { id: 'tolerance', label: both(`허용 오차 ${num(tolerance)}`, `Tolerance ${num(tolerance)}`), x: ns, y: ns.map(() => tolerance) },
  ];
  const columns: Localized[] = [both('N', 'N'), both('Flash 상대 L2', 'Flash rel. L2'), both('Flash 최대 절대', 'Flash max abs'), both('대조군 상대 L2', 'Control rel. L2')];
  if (onGpu) columns.push(both('표준 상대 L2', 'Standard rel. L2'));
  return finish(
    {
      experimentId: flashExactMeta.id,
      params,
      device,
      metrics: {
        flashMaxRelativeError: worst((r) => r.flash),
        controlMaxRelativeError: worst((r) => r.control),
        standardMaxRelativeError: onGpu ? worst((r) => r.standard) : null,
        flashMaxAbsError: Math.max(...rows.map((r) => r.flash.maxAbs)),
      },
      table: {
        columns,
        rows: rows.map((r) => [r.n, r.flash.relative, r.flash.maxAbs, r.control.relative, ...(onGpu ? [r.standard?.relative ?? null] : [])]),
      },
      series,
      charts: [
        {
          id: 'errors',
          title: both('float64 기준 대비 상대 오차', 'Relative error vs float64'),
          xLabel: both('시퀀스 길이 N (로그)', 'Sequence length N (log)'),
          yLabel: both('상대 L2 오차 (로그)', 'Relative L2 error (log)'),
          xLog: true,
          yLog: true,
          series: series.map((s) => s.id),
        },
      ],
      verdict,
      control,
      context: both(
        'Flash-Attention은 블록마다 최댓값과 합을 갱신하며(온라인 소프트맥스) 최댓값이 커지면 지금까지의 합과 출력을 다시 스케일합니다. 수학적으로 같은 식이므로 남는 차이는 덧셈 순서에 따른 float32 반올림뿐입니다. 오차가 정확히 0인 점은 로그 축에 그릴 수 없어 빠집니다.',
        'Flash-Attention keeps a running max and sum per row (online softmax) and rescales what it has when the max grows. It is the same formula, so the only difference left is float32 rounding from another summation order. An error of exactly 0 cannot be drawn on a log axis and is left out.',
      ),
    },
    startedAt,
  );
}

/** Runs flash, its no-rescale control and standard on fresh seeded inputs, each against float64. */
export const flashExact: Experiment<FlashExactParams> = {
  ...flashExactMeta,
  async run(engine, params, progress, signal) {
    const startedAt = Date.now();
    const rows: Row[] = [];
    const ns = sizes(params.n);
    for (const [index, n] of ns.entries()) {
      throwIfAborted(signal);
      progress(index / ns.length, `N=${n}: flash, its control and standard vs float64`);
      const shape: AttentionShape = { batchHeads: params.heads, n, d: params.headDim, causal: params.causal };
      const inputs = attentionInputs(shape, params.seed + n);
      const reference = referenceAttentionForward(inputs.q, inputs.k, inputs.v, shape);
      const flash = await guarded(signal, () => runAttentionForward(engine, 'flash', inputs, shape));
      const approximate = await guarded(signal, () => runAttentionForward(engine, 'flash', inputs, shape, { approximate: 'no-rescale' }));
      const standard = await guarded(signal, () => runAttentionForward(engine, 'standard', inputs, shape));
      rows.push({ n, flash: compare(flash.o, reference.o), control: compare(approximate.o, reference.o), standard: compare(standard.o, reference.o) });
    }
    progress(1, 'done');
    return assemble(params, engine.info, rows, startedAt);
  },
  async runReference(params, progress, signal) {
    const startedAt = Date.now();
    const rows: Row[] = [];
    // The CPU is O(N²d) in JavaScript: keep it to sizes that take a moment.
    const ns = sizes(Math.min(params.n, 512));
    for (const [index, n] of ns.entries()) {
      await yieldToEvents(signal);
      progress(index / ns.length, `N=${n}: online softmax in float32 on the CPU vs float64`);
      const shape: AttentionShape = { batchHeads: Math.min(params.heads, 2), n, d: params.headDim, causal: params.causal };
      const inputs = attentionInputs(shape, params.seed + n);
      const reference = referenceAttentionForward(inputs.q, inputs.k, inputs.v, shape);
      const flash = onlineSoftmaxAttention(inputs.q, inputs.k, inputs.v, shape, { tile: 64, float32: true, rescale: true });
      const approximate = onlineSoftmaxAttention(inputs.q, inputs.k, inputs.v, shape, { tile: 64, float32: true, rescale: false });
      rows.push({ n, flash: compare(flash, reference.o), control: compare(approximate, reference.o), standard: null });
    }
    return assemble(params, cpuReferenceDevice, rows, startedAt);
  },
};

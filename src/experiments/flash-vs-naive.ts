import { AppError } from '../shared/errors';
import { flashForwardFlops, standardPassCosts } from '../engine/attention/costs';
import { probeAttention, type ProbeResult } from '../engine/attention/probe-attention';
import { runAttentionForward, type ForwardResult } from '../engine/attention/run-attention';
import type { AttentionShape } from '../engine/attention/shape';
import type { EngineContext } from '../engine/device-info';
import { referenceAttentionForward } from '../engine/reference/attention';
import { deviceRoofline, placeOnRoofline } from '../engine/roofline/roofline';
import { attentionInputs, compare } from './attention-inputs';
import { fasterCheck, linearMemoryCheck } from './checks';
import { flashVsNaiveMeta, type FlashVsNaiveParams } from './flash-vs-naive.meta';
import { both, bytes, finish, guarded, joinContext, num, rooflineChart, softwareGpuContext, throwIfAborted } from './support';
import { spread } from './statistics';
import type { Experiment, Localized, RooflineResult } from './types';
import { judge, measured, modelled, type Check } from './verdict';

const FLASH = both('Flash-Attention', 'Flash-Attention');
const STANDARD = both('표준 어텐션', 'standard attention');
/**
 * Flash rows checked against float64 at the refusal size: flash-exact's float32 bar (1e-5 up to
 * N = 1024), widened as √(N/1024) since rounding in a sum of N terms grows about as √N.
 */
function probeTolerance(n: number): number {
  return 1e-5 * Math.max(1, Math.sqrt(n / 1024));
}

/** N from maxN/8 (at least 64) doubling up to maxN. */
function sweep(maxN: number): number[] {
  const out: number[] = [];
  for (let n = maxN; n >= 64 && out.length < 4; n = Math.floor(n / 2)) out.unshift(n);
  return out.length ? out : [maxN];
}

/** The smallest N whose batch of N×N float32 matrices exceeds the device's buffer or binding limit. */
function refusalN(engine: EngineContext, heads: number): number {
  const limit = Math.min(engine.info.limits.maxStorageBufferBindingSize, engine.info.limits.maxBufferSize);
  return Math.floor(Math.sqrt(limit / (4 * heads))) + 1;
}

interface SizeRun {
  n: number;
  flash: ForwardResult;
  standard: ForwardResult | null;
  /** The device's refusal of standard attention at this N, if it gave one. */
  refusal: string | null;
}

interface Probe {
  n: number;
  standard: ProbeResult;
  flash: ProbeResult;
  /** Relative L2 error of the flash rows that ran, vs float64. */
  flashError: number | null;
}

/** What one arm showed in this run: the claim's test reads only these. */
interface ArmMeasures {
  label: Localized;
  ns: number[];
  extraBytes: number[];
  /** Timed repeats at the largest N both arms ran. */
  samplesMs: number[];
  probe: ProbeResult;
  probeError: number | null;
}

/**
 * The claim's test, applied to an arm against the other: its extra memory grows at most linearly
 * (measured allocations), the device accepts it where an N×N matrix no longer fits (a real attempt),
 * and it is faster (timed repeats, Mann–Whitney). Flash must pass; standard (the control) must not.
 */
function claimTest(arm: ArmMeasures, other: ArmMeasures, at: number): Check[] {
  const accepted = arm.probe.refusal === null;
  const exact = arm.probeError === null || arm.probeError <= probeTolerance(arm.probe.shape.n);
  const probeN = arm.probe.shape.n;
  const ran = arm.probe.rowsRun;
  const acceptance: Check = {
    id: 'fits-at-limit',
    claim: both(`${arm.label.ko}: N×N 행렬이 장치 한계를 넘는 크기(N=${probeN})에서도 실행된다`, `${arm.label.en} runs where an N×N matrix exceeds the device's limit (N=${probeN})`),
    outcome: accepted && exact ? 'holds' : 'does-not-hold',
    observed: accepted
      ? both(
          `N=${probeN}에서 장치가 ${arm.label.ko}의 버퍼와 바인딩을 모두 받아들였고(최대 ${bytes(arm.probe.peakBytes)})${ran ? `, 실행한 앞쪽 ${ran}개 행은 float64 기준과 상대 오차 ${num(arm.probeError ?? 0)}로 일치했습니다` : ''}.`,
          `At N=${probeN} the device accepted every buffer and binding of ${arm.label.en} (peak ${bytes(arm.probe.peakBytes)})${ran ? `, and the first ${ran} rows it ran match float64 to ${num(arm.probeError ?? 0)} relative` : ''}.`,
        )
      : both(
          `N=${probeN}에서 장치가 ${arm.label.ko}를 거부했습니다: "${arm.probe.refusal?.message}".`,
          `At N=${probeN} the device refused ${arm.label.en}: "${arm.probe.refusal?.message}".`,
        ),
    evidence: [
      measured('fits-at-limit.accepted', both(`N=${probeN}에서 장치가 받아들임`, `Accepted by the device at N=${probeN}`), accepted, ''),
      measured('fits-at-limit.deviceMessage', both('장치의 거부 메시지', "The device's refusal"), arm.probe.refusal?.message ?? null, '', false),
      ...(ran ? [measured('fits-at-limit.error', both(`실행한 ${ran}개 행의 float64 대비 오차`, `Error of the ${ran} rows run vs float64`), arm.probeError, '')] : []),
    ],
  };
  return [
    linearMemoryCheck({ id: 'linear-memory', arm: arm.label, ns: arm.ns, extraBytes: arm.extraBytes }),
    acceptance,
    fasterCheck({ id: 'faster', arm: arm.label, other: other.label, armMs: arm.samplesMs, otherMs: other.samplesMs, at: `N=${at}` }),
  ];
}

/** Probes both kernels at the size where the device can no longer hold N×N scores. */
async function probeRefusal(engine: EngineContext, params: FlashVsNaiveParams): Promise<Probe> {
  const n = refusalN(engine, params.heads);
  const shape: AttentionShape = { batchHeads: params.heads, n, d: params.headDim, causal: params.causal };
  const inputs = attentionInputs(shape, params.seed + n);
  const standard = await probeAttention(engine, 'standard', inputs, shape);
  // A software GPU would take minutes for all N² work at this size: it runs the first row block of
  // every head, which still needs every buffer and binding the whole run needs.
  const flash = await probeAttention(engine, 'flash', inputs, shape, { rowBlocks: engine.info.isFallback ? 1 : undefined });
  let flashError: number | null = null;
  if (flash.o && flash.rowsRun > 0) {
    const rows = flash.rowsRun;
    const reference = referenceAttentionForward(inputs.q, inputs.k, inputs.v, shape, rows);
    const expected = new Float64Array(shape.batchHeads * rows * shape.d);
    for (let head = 0; head < shape.batchHeads; head++) expected.set(reference.o.subarray(head * n * shape.d, (head * n + rows) * shape.d), head * rows * shape.d);
    flashError = compare(flash.o, expected).relative;
  }
  return { n, standard, flash, flashError };
}

/** Where standard attention's three passes and the flash kernel sit on the device's roofline. */
async function roofline(engine: EngineContext, largest: SizeRun, shape: AttentionShape): Promise<RooflineResult | undefined> {
  if (!largest.standard?.passTimings || !largest.flash.timing) return undefined;
  const roofs = await deviceRoofline(engine);
  const costs = standardPassCosts(shape);
  const labels = {
    scores: both('표준: S = QKᵀ', 'Standard: S = QKᵀ'),
    softmax: both('표준: softmax(S)', 'Standard: softmax(S)'),
    output: both('표준: O = PV', 'Standard: O = PV'),
  };
  const points = (['scores', 'softmax', 'output'] as const).map((pass) => ({
    id: `standard-${pass}`,
    label: labels[pass],
    ...placeOnRoofline(roofs, { ...costs[pass], ms: largest.standard!.passTimings![pass].medianMs }),
  }));
  points.push({
    id: 'flash',
    label: both('Flash-Attention (한 번의 패스)', 'Flash-Attention (one pass)'),
    ...placeOnRoofline(roofs, { flops: flashForwardFlops(shape), bytes: largest.flash.trafficBytes, ms: largest.flash.timing.medianMs }),
  });
  return { bandwidthGBs: roofs.bandwidthGBs, computeGflops: roofs.computeGflops, gemmGflops: roofs.gemmGflops, measuredAt: roofs.measuredAt, points };
}

/** Times both forward kernels over a sweep of N and compares memory, refusal and speed, all measured. */
export const flashVsNaive: Experiment<FlashVsNaiveParams> = {
  ...flashVsNaiveMeta,
  async run(engine, params, progress, signal) {
    const startedAt = Date.now();
    const ns = sweep(params.maxN);
    const runs: SizeRun[] = [];
    const timing = { warmup: 1, repeats: params.repeats };
    for (const [index, n] of ns.entries()) {
      throwIfAborted(signal);
      const shape: AttentionShape = { batchHeads: params.heads, n, d: params.headDim, causal: params.causal };
      const inputs = attentionInputs(shape, params.seed + n);
      const last = index === ns.length - 1;
      progress((index + 0.1) / (ns.length + 2), `N=${n}: flash`);
      const flash = await guarded(signal, () => runAttentionForward(engine, 'flash', inputs, shape, { timing }));
      progress((index + 0.5) / (ns.length + 2), `N=${n}: standard`);
      let standard: ForwardResult | null = null;
      let refusal: string | null = null;
      try {
        standard = await guarded(signal, () => runAttentionForward(engine, 'standard', inputs, shape, { timing, timePasses: last }));
      } catch (error) {
        if (!(error instanceof AppError && error.code === 'gpu-limit')) throw error;
        refusal = error.message;
      }
      runs.push({ n, flash, standard, refusal });
    }
    progress(ns.length / (ns.length + 2), 'the size where N×N no longer fits');
    const probe = await guarded(signal, () => probeRefusal(engine, params));
    const ranBoth = runs.filter((r) => r.standard !== null);
    const largest = ranBoth[ranBoth.length - 1] ?? runs[runs.length - 1];
    progress((ns.length + 1) / (ns.length + 2), "the device's roofline");
    const placed = await guarded(signal, () => roofline(engine, largest, { batchHeads: params.heads, n: largest.n, d: params.headDim, causal: params.causal }));
    progress(1, 'done');

    const flashArm: ArmMeasures = {
      label: FLASH,
      ns: runs.map((r) => r.n),
      extraBytes: runs.map((r) => r.flash.extraBytes),
      samplesMs: largest.flash.timing!.samplesMs,
      probe: probe.flash,
      probeError: probe.flashError,
    };
    const standardArm: ArmMeasures = {
      label: STANDARD,
      ns: ranBoth.map((r) => r.n),
      extraBytes: ranBoth.map((r) => r.standard!.extraBytes),
      samplesMs: largest.standard?.timing?.samplesMs ?? [],
      probe: probe.standard,
      probeError: null,
    };
    const checks = claimTest(flashArm, standardArm, largest.n);
    const controlChecks = claimTest(standardArm, flashArm, largest.n);
    const trafficRatio = largest.standard ? largest.standard.trafficBytes / largest.flash.trafficBytes : null;
    const model = [
      modelled('traffic.standard', both(`N=${largest.n} 표준 메모리 이동량`, `Standard traffic at N=${largest.n}`), largest.standard?.trafficBytes ?? null, 'B'),
      modelled('traffic.flash', both(`N=${largest.n} Flash 메모리 이동량`, `Flash traffic at N=${largest.n}`), largest.flash.trafficBytes, 'B'),
      modelled('traffic.ratio', both('이동량 비 (표준/Flash)', 'Traffic ratio (standard / flash)'), trafficRatio, '×'),
    ];
    const { verdict, control } = judge({
      checks,
      model,
      control: { description: both('대조군: 표준 어텐션(N×N 점수 S와 확률 P를 전역 메모리에 씀)', 'Control: standard attention (writes the N×N scores S and probabilities P to global memory)'), checks: controlChecks },
      summary: both(
        `측정: N=${largest.n}에서 추가 메모리 Flash ${bytes(largest.flash.extraBytes)} 대 표준 ${bytes(largest.standard?.extraBytes ?? 0)}; N=${probe.n}에서 장치는 표준 어텐션을 ${probe.standard.refusal ? '거부' : '받아들임'}, Flash는 ${probe.flash.refusal ? '거부' : '실행'}; 시간은 Flash ${num(spread(flashArm.samplesMs).median)} ms 대 표준 ${num(spread(standardArm.samplesMs).median)} ms.`,
        `Measured: at N=${largest.n} flash needed ${bytes(largest.flash.extraBytes)} of extra memory against ${bytes(largest.standard?.extraBytes ?? 0)} for standard; at N=${probe.n} the device ${probe.standard.refusal ? 'refused' : 'accepted'} standard attention and ${probe.flash.refusal ? 'refused' : 'ran'} flash; flash took ${num(spread(flashArm.samplesMs).median)} ms against ${num(spread(standardArm.samplesMs).median)} ms.`,
      ),
      meaning: {
        holds: both(
          '카드의 답이 이 기기에서 확인되었습니다: Flash-Attention은 N×N 행렬 없이 선형 메모리로 같은 결과를 더 빨리 내고, 표준 어텐션은 N²이 필요해 장치 한계에서 실행되지 못합니다.',
          "The card's answer is confirmed on this device: Flash-Attention gets the same result faster with linear memory and no N×N matrix, while standard attention needs N² and cannot run at the device's limit.",
        ),
        'does-not-hold': both(
          '이 실행에서 측정된 수치 중 하나가 주장과 어긋납니다. 아래 항목에서 어느 부분인지 확인하세요.',
          'A number measured in this run contradicts the claim: see which check below.',
        ),
        'not-shown': both(
          '이 기기에서는 주장의 일부를 보여 줄 수 없었습니다(예: 차이가 측정 흔들림 안). 반복 횟수나 N을 늘려 다시 실행해 보세요.',
          'This device could not show part of the claim in this run (e.g. a difference within the noise). Try more repeats or a larger N.',
        ),
      },
    });

    const timeSeries = (kernel: 'flash' | 'standard') => {
      const rows = runs.filter((r) => r[kernel] !== null);
      const spreads = rows.map((r) => spread(r[kernel]!.timing!.samplesMs));
      return { x: rows.map((r) => r.n), y: spreads.map((s) => s.median), yLow: spreads.map((s) => s.p10), yHigh: spreads.map((s) => s.p90) };
    };
    const bytesSeries = (kernel: 'flash' | 'standard', field: 'extraBytes' | 'trafficBytes') => {
      const rows = runs.filter((r) => r[kernel] !== null);
      return { x: rows.map((r) => r.n), y: rows.map((r) => r[kernel]![field]) };
    };
    const last = runs[runs.length - 1];
    return finish(
      {
        experimentId: flashVsNaiveMeta.id,
        params,
        device: engine.info,
        metrics: {
          largestN: last.n,
          flashKernel: last.flash.kernel,
          flashMs: spread(flashArm.samplesMs).median,
          standardMs: standardArm.samplesMs.length ? spread(standardArm.samplesMs).median : null,
          speedup: standardArm.samplesMs.length ? spread(standardArm.samplesMs).median / spread(flashArm.samplesMs).median : null,
          flashExtraBytes: largest.flash.extraBytes,
          standardExtraBytes: largest.standard?.extraBytes ?? null,
          flashPeakBytes: largest.flash.peakBytes,
          standardPeakBytes: largest.standard?.peakBytes ?? null,
          refusalN: probe.n,
          standardRefusedAtRefusalN: probe.standard.refusal !== null,
          flashAcceptsRefusalN: probe.flash.refusal === null,
          flashRowsRunAtRefusalN: probe.flash.rowsRun,
          modelTrafficRatio: trafficRatio,
          timingMethod: last.flash.timing!.method,
          maxOutputDifference: Math.max(0, ...runs.filter((r) => r.standard).map((r) => compare(r.flash.o, r.standard!.o).maxAbs)),
        },
        table: {
          columns: [
            both('N', 'N'),
            both('표준 ms (중앙값)', 'Standard ms (median)'),
            both('Flash ms (중앙값)', 'Flash ms (median)'),
            both('표준 추가 메모리 (측정)', 'Standard extra bytes (measured)'),
            both('Flash 추가 메모리 (측정)', 'Flash extra bytes (measured)'),
            both('표준 이동량 (모델)', 'Standard traffic (model)'),
            both('Flash 이동량 (모델)', 'Flash traffic (model)'),
          ],
          rows: [
            ...runs.map((r) => [
              r.n,
              r.standard ? spread(r.standard.timing!.samplesMs).median : r.refusal ? 'refused' : null,
              spread(r.flash.timing!.samplesMs).median,
              r.standard?.extraBytes ?? null,
              r.flash.extraBytes,
              r.standard?.trafficBytes ?? null,
              r.flash.trafficBytes,
            ]),
            [probe.n, probe.standard.refusal ? 'refused' : 'accepted', probe.flash.refusal ? 'refused' : `ran ${probe.flash.rowsRun} rows`, null, probe.flash.refusal ? null : probe.flash.peakBytes, null, null],
          ],
        },
        series: [
          { id: 'standard-ms', label: both('표준 어텐션', 'Standard attention'), ...timeSeries('standard') },
          { id: 'flash-ms', label: both('Flash-Attention', 'Flash-Attention'), ...timeSeries('flash') },
          { id: 'standard-extra', label: both('표준: 추가 메모리 (측정)', 'Standard: extra memory (measured)'), ...bytesSeries('standard', 'extraBytes') },
          { id: 'flash-extra', label: both('Flash: 추가 메모리 (측정)', 'Flash: extra memory (measured)'), ...bytesSeries('flash', 'extraBytes') },
          { id: 'standard-traffic', label: both('표준: 이동량 (모델)', 'Standard: traffic (model)'), ...bytesSeries('standard', 'trafficBytes') },
          { id: 'flash-traffic', label: both('Flash: 이동량 (모델)', 'Flash: traffic (model)'), ...bytesSeries('flash', 'trafficBytes') },
        ],
        charts: [
          {
            id: 'time',
            title: both('순전파 시간 대 N (10–90% 범위)', 'Forward time vs N (10–90% of repeats)'),
            xLabel: both('시퀀스 길이 N (로그)', 'Sequence length N (log)'),
            yLabel: both('ms (로그)', 'ms (log)'),
            xLog: true,
            yLog: true,
            series: ['standard-ms', 'flash-ms'],
          },
          {
            id: 'memory',
            title: both('추가 메모리(측정)와 이동량(모델) 대 N', 'Extra memory (measured) and traffic (model) vs N'),
            xLabel: both('시퀀스 길이 N (로그)', 'Sequence length N (log)'),
            yLabel: both('바이트 (로그)', 'Bytes (log)'),
            xLog: true,
            yLog: true,
            series: ['standard-extra', 'flash-extra', 'standard-traffic', 'flash-traffic'],
          },
          ...(placed ? [rooflineChart(both(`이 장치의 루프라인과 N=${largest.n}의 각 패스`, `This device's roofline and each pass at N=${largest.n}`))] : []),
        ],
        verdict,
        control,
        roofline: placed,
        context: joinContext(rooflineContext(placed), engine.info.isFallback ? softwareGpuContext : undefined),
      },
      startedAt,
    );
  },
};

/** What the roofline says about the standard passes on this device, in words. */
function rooflineContext(roofline: RooflineResult | undefined): Localized | undefined {
  const softmax = roofline?.points.find((p) => p.id === 'standard-softmax');
  if (!roofline || !softmax) return undefined;
  const share = num(softmax.gbs / roofline.bandwidthGBs * 100, 2);
  const limitedByMemory = softmax.gbs / roofline.bandwidthGBs >= 0.5;
  return both(
    `루프라인: 이 장치는 복사 커널로 ${num(roofline.bandwidthGBs)} GB/s, FMA 커널로 ${num(roofline.computeGflops)} GFLOP/s를 냈습니다. 표준 어텐션의 softmax 패스는 바이트당 연산이 적어 메모리 쪽 지붕 아래에 있고, 측정된 대역폭의 ${share}%를 썼습니다: ${limitedByMemory ? '메모리 대역폭이 이 패스를 제한합니다(메모리 병목).' : '대역폭에 한참 못 미치므로 이 장치에서는 메모리가 아니라 계산이 이 패스를 제한합니다. "표준 어텐션은 메모리 병목"이라는 설명은 이 장치에서 보이지 않습니다.'} (연산량과 바이트는 모델, 시간은 측정)`,
    `Roofline: this device reached ${num(roofline.bandwidthGBs)} GB/s with a copy kernel and ${num(roofline.computeGflops)} GFLOP/s with an FMA kernel. Standard attention's softmax pass does few FLOPs per byte, so it sits under the memory roof; it used ${share}% of the measured bandwidth: ${limitedByMemory ? 'memory bandwidth limits it (memory-bound).' : 'far below the bandwidth, so on this device compute, not memory, limits it; "standard attention is memory-bound" is not shown here.'} (FLOPs and bytes are a model, the times are measured.)`,
  );
}

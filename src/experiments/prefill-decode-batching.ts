import type { EngineContext } from '../engine/device-info';
import { deviceRoofline, placeOnRoofline, type DeviceRoofline } from '../engine/roofline/roofline';
import { timeProjection, type ProjectionTiming } from '../engine/roofline/projection';
import { pValue } from './checks';
import { prefillDecodeBatchingMeta, type PrefillDecodeBatchingParams } from './prefill-decode-batching.meta';
import { ALPHA, compareSamples, spread } from './statistics';
import { both, bytes, finish, guarded, joinContext, num, rooflineChart, softwareGpuContext, throwIfAborted } from './support';
import type { Experiment, Localized, RooflinePoint, Series } from './types';
import { judge, measured, modelled, type Check, type Outcome } from './verdict';

/** "Throughput grows with the batch": the largest batch at least this many times batch 1's tokens/s. */
export const GROWTH_BAR = 2;
/** At most this ratio counts as "does not grow" (the time grows with the tokens: the device is saturated). */
export const FLAT_BAR = 1.5;
/** A projection is memory-bound when it moves its buffers at this share of the measured copy bandwidth or more. */
export const MEMORY_BOUND_SHARE = 0.5;
/** "Reaches the compute roof": the largest batch's tokens/s at least this share of the prefill's (compute-bound) rate. */
export const ROOF_SHARE = 0.5;

/** One kind of request batched: each request brings `tokensPerRequest` rows to the projection. */
interface Arm {
  id: 'decode' | 'prefill';
  label: Localized;
  tokensPerRequest: number;
  batches: number[];
  runs: ProjectionTiming[];
}

const rowsOf = (arm: Arm, index: number) => arm.batches[index] * arm.tokensPerRequest;
/** Milliseconds per token of every repeat at the batch `index`. */
const msPerToken = (arm: Arm, index: number) => arm.runs[index].samplesMs.map((ms) => ms / rowsOf(arm, index));
const tokensPerSecond = (arm: Arm, index: number) => 1000 / spread(msPerToken(arm, index)).median;

function growth(arm: Arm) {
  return compareSamples(msPerToken(arm, arm.batches.length - 1), msPerToken(arm, 0));
}

/** "Batching this kind of request raises the throughput": tokens/s of the largest batch against one request. */
function growsCheck(arm: Arm): Check {
  const c = growth(arm);
  const last = arm.batches.length - 1;
  const outcome: Outcome = c.ratio >= GROWTH_BAR && c.direction === 'smaller' ? 'holds' : c.ratio <= FLAT_BAR ? 'does-not-hold' : 'not-shown';
  return {
    id: 'grows',
    claim: both(`${arm.label.ko}: 요청을 묶으면 처리량(토큰/초)이 ${GROWTH_BAR}배 이상 늘어난다`, `${arm.label.en}: batching requests raises the throughput (tokens/s) ${GROWTH_BAR}× or more`),
    outcome,
    observed: both(
      `${arm.label.ko}: 요청 1개 ${num(tokensPerSecond(arm, 0))} 토큰/초 → ${arm.batches[last]}개 ${num(tokensPerSecond(arm, last))} 토큰/초, ${num(c.ratio)}배(${pValue(c.pSmaller)}${outcome === 'does-not-hold' ? `; ${FLAT_BAR}배 이하면 늘지 않은 것` : ''}).`,
      `${arm.label.en}: ${num(tokensPerSecond(arm, 0))} tokens/s for one request → ${num(tokensPerSecond(arm, last))} for ${arm.batches[last]}, ${num(c.ratio)}× (${pValue(c.pSmaller)}${outcome === 'does-not-hold' ? `; ${FLAT_BAR}× or less counts as no growth` : ''}).`,
    ),
    evidence: [
      measured('grows.ratio', both(`묶음 ${arm.batches[last]} ÷ 요청 1개의 처리량`, `Throughput of ${arm.batches[last]} requests ÷ one`), c.ratio, '×'),
      measured('grows.p', both('유의확률 p (Mann–Whitney, 토큰당 시간)', 'p-value (Mann–Whitney, time per token)'), c.pSmaller, 'p'),
    ],
  };
}

/**
 * "One request is memory-bound": it moves its buffers (sizes from a tracker, each touched at least
 * once) at ≥ MEMORY_BOUND_SHARE of the measured copy bandwidth. Below that, an arm whose throughput
 * does not grow with batching is compute-bound (does not hold); otherwise something else (launch
 * overhead, idle arithmetic) limits it and the run cannot say.
 */
function memoryBoundCheck(arm: Arm, roofline: DeviceRoofline): Check {
  const run = arm.runs[0];
  const gbs = run.bufferBytes / (run.medianMs * 1e6);
  const share = gbs / roofline.bandwidthGBs;
  const flat = growth(arm).ratio <= FLAT_BAR;
  const outcome: Outcome = share >= MEMORY_BOUND_SHARE ? 'holds' : flat ? 'does-not-hold' : 'not-shown';
  const what = both(`요청 1개(${rowsOf(arm, 0)}토큰, ${run.kernel === 'gemv' ? 'GEMV' : 'GEMM'})`, `one request (${rowsOf(arm, 0)} token${rowsOf(arm, 0) === 1 ? '' : 's'}, ${run.kernel === 'gemv' ? 'a GEMV' : 'a GEMM'})`);
  const reason =
    outcome === 'holds'
      ? both('메모리 대역폭이 이것을 제한합니다(메모리 병목).', 'memory bandwidth limits it (memory-bound).')
      : outcome === 'does-not-hold'
        ? both('대역폭에 한참 못 미치고 묶어도 처리량이 늘지 않으니 계산이 이것을 제한합니다(계산 병목).', 'far below the bandwidth, and batching does not raise its throughput: compute limits it (compute-bound).')
        : both(
            `대역폭의 ${MEMORY_BOUND_SHARE * 100}%에 못 미치므로 이 장치에서 이것은 메모리 병목이 아닙니다: 묶음이 처리량을 올린 것은 놀던 연산(타일의 빈 행, 실행 오버헤드) 때문입니다.`,
            `under ${MEMORY_BOUND_SHARE * 100}% of the bandwidth, so on this device it is not memory-bound: what batching gained came from idle arithmetic (unused rows of a tile, launch overhead).`,
          );
  return {
    id: 'memory-bound',
    claim: both(`${arm.label.ko}: 요청 하나는 메모리 병목이다(측정된 루프라인)`, `${arm.label.en}: one request is memory-bound (on the measured roofline)`),
    outcome,
    observed: both(
      `${what.ko}: 버퍼 ${bytes(run.bufferBytes)}를 ${num(run.medianMs)} ms에 — ${num(gbs)} GB/s, 측정된 복사 대역폭 ${num(roofline.bandwidthGBs)} GB/s의 ${num(share * 100)}%. ${reason.ko}`,
      `${what.en}: ${bytes(run.bufferBytes)} of buffers in ${num(run.medianMs)} ms — ${num(gbs)} GB/s, ${num(share * 100)}% of the ${num(roofline.bandwidthGBs)} GB/s copy bandwidth measured: ${reason.en}`,
    ),
    evidence: [
      measured('memory-bound.share', both('요청 1개가 버퍼를 옮긴 속도 ÷ 복사 대역폭', "One request's buffer rate ÷ copy bandwidth"), share, ''),
      measured('memory-bound.growth', both('묶음으로 늘어난 처리량 (배)', 'Throughput gained by batching (×)'), growth(arm).ratio, '×', outcome === 'does-not-hold'),
    ],
  };
}

/** "Batching raises throughput up to the compute roof": the largest batch reaches ROOF_SHARE of the compute-bound (prefill) rate. */
function roofCheck(arm: Arm, roofRate: number): Check {
  const last = arm.batches.length - 1;
  const share = tokensPerSecond(arm, last) / roofRate;
  return {
    id: 'roof',
    claim: both(`${arm.label.ko}: 가장 큰 묶음이 계산 한계(프리필의 토큰/초)에 다가간다`, `${arm.label.en}: the largest batch approaches the compute roof (prefill's tokens/s)`),
    outcome: share >= ROOF_SHARE ? 'holds' : 'not-shown',
    observed: both(
      `묶음 ${arm.batches[last]}: ${num(tokensPerSecond(arm, last))} 토큰/초, 계산 병목인 프리필 속도 ${num(roofRate)} 토큰/초의 ${num(share * 100)}%${share >= ROOF_SHARE ? '' : ` — 아직 한계에 닿지 않았습니다(더 큰 묶음이 필요, 기준 ${ROOF_SHARE * 100}%)`}.`,
      `Batch of ${arm.batches[last]}: ${num(tokensPerSecond(arm, last))} tokens/s, ${num(share * 100)}% of the compute-bound prefill's ${num(roofRate)} tokens/s${share >= ROOF_SHARE ? '' : ` — not at the roof yet (it takes a larger batch; bar ${ROOF_SHARE * 100}%)`}.`,
    ),
    evidence: [measured('roof.share', both('가장 큰 묶음의 토큰/초 ÷ 프리필의 토큰/초', "Largest batch's tokens/s ÷ prefill's"), share, '')],
  };
}

function place(roofline: DeviceRoofline, arm: Arm, index: number, dim: number, label: Localized): RooflinePoint {
  const rows = rowsOf(arm, index);
  return { id: `${arm.id}-${arm.batches[index]}`, label, ...placeOnRoofline(roofline, { flops: 2 * rows * dim * dim, bytes: 4 * (2 * rows * dim + dim * dim), ms: arm.runs[index].medianMs }) };
}

async function measureArm(engine: EngineContext, arm: Arm, dim: number, repeats: number, signal: AbortSignal, tick: (label: string) => void): Promise<void> {
  for (const [index] of arm.batches.entries()) {
    throwIfAborted(signal);
    arm.runs.push(await guarded(signal, () => timeProjection(engine, { rows: rowsOf(arm, index), inFeatures: dim, outFeatures: dim }, { repeats })));
    tick(`${arm.id}: ${arm.batches[index]} request(s)`);
  }
}

/**
 * Times one d×d projection as decode requests batched (1, 2, 4 … rows: the GEMV, then the tiled
 * GEMM) and, the control, as prefill requests of `promptTokens` rows batched 1, 2, 4; places them on
 * the device's measured roofline.
 */
export const prefillDecodeBatching: Experiment<PrefillDecodeBatchingParams> = {
  ...prefillDecodeBatchingMeta,
  async run(engine, params, progress, signal) {
    const startedAt = Date.now();
    const doubling = (max: number) => Array.from({ length: Math.floor(Math.log2(max)) + 1 }, (_, i) => 2 ** i);
    const decode: Arm = { id: 'decode', label: both('디코드 요청(요청당 1토큰)', 'decode requests (1 token each)'), tokensPerRequest: 1, batches: doubling(params.maxBatch), runs: [] };
    const prefill: Arm = { id: 'prefill', label: both(`프리필 요청(요청당 ${params.promptTokens}토큰)`, `prefill requests (${params.promptTokens} tokens each)`), tokensPerRequest: params.promptTokens, batches: [1, 2, 4], runs: [] };
    const total = decode.batches.length + prefill.batches.length + 1;
    let done = 0;
    const tick = (label: string) => progress(++done / total, label);
    await measureArm(engine, decode, params.dim, params.repeats, signal, tick);
    await measureArm(engine, prefill, params.dim, params.repeats, signal, tick);
    const roofs = await guarded(signal, () => deviceRoofline(engine));
    tick("the device's roofline");
    const roofRate = tokensPerSecond(prefill, prefill.batches.length - 1);
    const claimTest = (arm: Arm) => [growsCheck(arm), memoryBoundCheck(arm, roofs), roofCheck(arm, roofRate)];
    const lastDecode = decode.batches.length - 1;
    const oneGbs = decode.runs[0].bufferBytes / (decode.runs[0].medianMs * 1e6);
    const { verdict, control } = judge({
      checks: claimTest(decode),
      control: {
        description: both(`대조군: 이미 계산 병목인 프리필 요청(${params.promptTokens}토큰씩)을 1, 2, 4개 묶음`, `Control: batching prefill requests (${params.promptTokens} tokens each), already compute-bound, 1, 2 and 4 at a time`),
        checks: claimTest(prefill),
      },
      model: [
        modelled('intensity.decode', both('디코드 1개의 연산 강도 FLOP/바이트', 'Arithmetic intensity of one decode request, FLOP/byte'), (2 * params.dim * params.dim) / (4 * (2 * params.dim + params.dim * params.dim)), ''),
        modelled('intensity.prefill', both('프리필 1개의 연산 강도 FLOP/바이트', 'Arithmetic intensity of one prefill request, FLOP/byte'), (2 * params.promptTokens * params.dim * params.dim) / (4 * (2 * params.promptTokens * params.dim + params.dim * params.dim)), ''),
        modelled('ridge', both('이 장치의 능선점 (측정된 FMA ÷ 대역폭)', "This device's ridge point (measured FMA ÷ bandwidth)"), roofs.computeGflops / roofs.bandwidthGBs, ''),
      ],
      summary: both(
        `측정(${params.dim}×${params.dim} 투영, ${params.repeats}회 반복의 중앙값): 디코드 요청 1개 ${num(tokensPerSecond(decode, 0))} 토큰/초(${num(oneGbs)} GB/s, 장치 복사 대역폭 ${num(roofs.bandwidthGBs)} GB/s) → ${decode.batches[lastDecode]}개 묶음 ${num(tokensPerSecond(decode, lastDecode))} 토큰/초; 프리필 요청 1개 ${num(tokensPerSecond(prefill, 0))} → 4개 ${num(roofRate)} 토큰/초.`,
        `Measured (a ${params.dim}×${params.dim} projection, medians of ${params.repeats} repeats): one decode request ran at ${num(tokensPerSecond(decode, 0))} tokens/s (${num(oneGbs)} GB/s against the device's ${num(roofs.bandwidthGBs)} GB/s copy bandwidth) → ${num(tokensPerSecond(decode, lastDecode))} tokens/s for a batch of ${decode.batches[lastDecode]}; one prefill request ${num(tokensPerSecond(prefill, 0))} → ${num(roofRate)} tokens/s for 4.`,
      ),
      meaning: {
        holds: both(
          '카드의 답이 이 기기에서 확인되었습니다: 디코드 한 토큰은 가중치를 읽는 데 시간을 쓰는 메모리 병목이어서, 요청을 묶으면 한 번 읽은 가중치로 여러 토큰을 만들어 처리량이 계산 한계까지 늘어납니다. 이미 계산 병목인 프리필은 묶어도 늘지 않습니다.',
          "The card's answer is confirmed on this device: one decode token is memory-bound, spending its time reading the weights, so batching requests makes one read serve many tokens and raises throughput up to the compute roof; prefill, already compute-bound, gains nothing.",
        ),
        'does-not-hold': both('이 실행에서 측정된 수치가 주장과 어긋납니다. 아래 항목에서 어느 부분인지 확인하세요.', 'A number measured in this run contradicts the claim: see which check below.'),
        'not-shown': both(
          '이 장치에서는 디코드 한 토큰이 메모리 병목이 아니어서(루프라인 측정 참조) 주장의 이유를 보여 줄 수 없습니다. 묶음이 처리량을 올리더라도 그것은 놀던 연산 때문입니다. 실제 GPU에서 큰 가중치(d = 4096 이상)로 실행해 보세요.',
          'On this device one decode token is not memory-bound (see the roofline measurement), so the reason the claim gives cannot be shown; whatever batching gains here comes from idle arithmetic. Run it on a real GPU with large weights (d = 4096 or more).',
        ),
      },
    });
    const points: RooflinePoint[] = [
      place(roofs, decode, 0, params.dim, both('디코드 1개 (GEMV)', 'Decode, 1 request (GEMV)')),
      place(roofs, decode, lastDecode, params.dim, both(`디코드 ${decode.batches[lastDecode]}개 묶음`, `Decode, batch of ${decode.batches[lastDecode]}`)),
      place(roofs, prefill, 0, params.dim, both(`프리필 1개 (${params.promptTokens}토큰)`, `Prefill, 1 request (${params.promptTokens} tokens)`)),
    ];
    const series = (arm: Arm): Series => {
      const bands = arm.batches.map((_, index) => spread(msPerToken(arm, index)));
      return {
        id: `${arm.id}-throughput`,
        label: arm.label,
        x: arm.batches,
        y: bands.map((b) => 1000 / b.median),
        yLow: bands.map((b) => 1000 / b.p90),
        yHigh: bands.map((b) => 1000 / b.p10),
      };
    };
    const rows = [decode, prefill].flatMap((arm) =>
      arm.runs.map((run, index) => {
        const s = spread(run.samplesMs);
        return [arm.label.en, arm.batches[index], rowsOf(arm, index), run.kernel, s.median, s.p10, s.p90, tokensPerSecond(arm, index), run.bufferBytes / (s.median * 1e6)];
      }),
    );
    return finish(
      {
        experimentId: prefillDecodeBatchingMeta.id,
        params,
        device: engine.info,
        metrics: {
          decodeTokensPerSecond: tokensPerSecond(decode, 0),
          decodeBatchTokensPerSecond: tokensPerSecond(decode, lastDecode),
          decodeBatchGain: growth(decode).ratio,
          decodeBatchGainP: growth(decode).pSmaller,
          prefillTokensPerSecond: tokensPerSecond(prefill, 0),
          prefillBatchGain: growth(prefill).ratio,
          decodeBandwidthShare: oneGbs / roofs.bandwidthGBs,
          bandwidthGBs: roofs.bandwidthGBs,
          computeGflops: roofs.computeGflops,
          gemmGflops: roofs.gemmGflops,
          alpha: ALPHA,
          timingMethod: decode.runs[0].method,
        },
        table: {
          columns: [
            both('요청', 'Requests'),
            both('묶음', 'Batch'),
            both('행(토큰)', 'Rows (tokens)'),
            both('커널', 'Kernel'),
            both('ms (중앙값)', 'ms (median)'),
            both('10%', 'p10'),
            both('90%', 'p90'),
            both('토큰/초', 'Tokens/s'),
            both('버퍼 GB/s (하한)', 'Buffer GB/s (lower bound)'),
          ],
          rows,
        },
        series: [series(decode), series(prefill)],
        charts: [
          {
            id: 'throughput',
            title: both('묶음 크기에 따른 처리량 (10–90%)', 'Throughput vs batch size (10–90%)'),
            xLabel: both('묶은 요청 수 (로그)', 'Requests in the batch (log)'),
            yLabel: both('토큰/초 (로그)', 'Tokens/s (log)'),
            xLog: true,
            yLog: true,
            series: ['decode-throughput', 'prefill-throughput'],
          },
          rooflineChart(both('루프라인: 디코드(GEMV)와 프리필(GEMM)', 'Roofline: decode (GEMV), prefill (GEMM)')),
        ],
        verdict,
        control,
        roofline: { bandwidthGBs: roofs.bandwidthGBs, computeGflops: roofs.computeGflops, gemmGflops: roofs.gemmGflops, measuredAt: roofs.measuredAt, points },
        context: joinContext(
          both(
            `한 층의 투영 y = x·W(W는 ${params.dim}×${params.dim} float32)를 엔진의 GEMM으로 실행했습니다: 한 행은 GEMV, 여러 행은 타일 GEMM입니다. 디코드 요청 B개를 묶으면 B행, 프리필 요청은 요청마다 ${params.promptTokens}행입니다. 대역폭은 버퍼(입력, 가중치, 출력) 크기를 시간으로 나눈 하한이고, 루프라인의 FLOP과 바이트는 모델, 시간은 측정입니다.`,
            `One layer's projection y = x·W (W is ${params.dim}×${params.dim} float32) ran on the engine's GEMM: its GEMV for one row, the tiled GEMM for more. A batch of B decode requests is B rows; a prefill request is ${params.promptTokens} rows. Bandwidth is a lower bound: the buffers' sizes (input, weights, output) over the time. On the roofline the FLOPs and bytes are a model, the times measured.`,
          ),
          engine.info.isFallback ? softwareGpuContext : undefined,
        ),
      },
      startedAt,
    );
  },
};

import { codeWords, metaWords, quantizedDecodeAttention, quantizeKv, type KvQuantBits, type KvQuantScaling, type KvQuantShape } from '../engine/quant/kv-quant';
import { referenceDecodeAttention } from '../engine/reference/kv-quant';
import { SeededRandom } from '../engine/reference/random';
import { compare } from './attention-inputs';
import { kvQuantizationMeta, type KvQuantizationParams } from './kv-quantization.meta';
import { spread } from './statistics';
import { both, bytes, finish, guarded, joinContext, num, softwareGpuContext, throwIfAborted } from './support';
import type { Experiment, Localized, Series } from './types';
import { judge, measured, modelled, type Check } from './verdict';

/** Largest relative L2 error of the attention output that counts as a bounded cost, per bit width. */
export const ERROR_BARS = { 8: 0.02, 4: 0.3 } as const;
/** A saving "holds" at this share of the nominal factor (32 / bits): the scales and zero points take the rest. */
export const SAVING_SHARE = 0.85;

const SCALINGS: Record<KvQuantScaling, Localized> = {
  'channel-token': both('키는 채널별·값은 토큰별 스케일', 'keys per channel, values per token'),
  tensor: both('캐시 전체에 스케일 하나', 'one scale for the whole cache'),
};

interface SchemeRun {
  bits: KvQuantBits;
  scaling: KvQuantScaling;
  /** Bytes of the cache's buffers, as the device accepted them. */
  allocatedBytes: number;
  /** Relative L2 error of the attention output vs float64 attention over the float32 cache. */
  error: number;
  samplesMs: number[];
}

/** Seeded keys (with `outlierChannels` channels `outlierScale`× larger, the same channels in every head), values and query. */
function inputs(params: KvQuantizationParams, shape: KvQuantShape) {
  const random = new SeededRandom(params.seed);
  const outliers = new Set<number>();
  while (outliers.size < Math.min(params.outlierChannels, shape.headDim)) outliers.add(random.nextUint32() % shape.headDim);
  const count = shape.heads * shape.tokens * shape.headDim;
  const keys = Float32Array.from({ length: count }, (_, index) => random.nextNormal() * (outliers.has(index % shape.headDim) ? params.outlierScale : 1));
  const values = Float32Array.from({ length: count }, () => random.nextNormal());
  const query = Float32Array.from({ length: shape.heads * shape.headDim }, () => random.nextNormal());
  return { keys, values, query, outliers: [...outliers].sort((a, b) => a - b) };
}

/** The claim's test on one way of scaling: both bit widths save their share of memory, and keep the error within the bar. */
function claimTest(label: Localized, base: SchemeRun, runs: SchemeRun[]): Check[] {
  const checks: Check[] = [];
  for (const run of runs) {
    const saving = base.allocatedBytes / run.allocatedBytes;
    const nominal = 32 / run.bits;
    checks.push({
      id: `memory-int${run.bits}`,
      claim: both(`${label.ko}, ${run.bits}비트: f32 캐시의 1/${nominal}에 가깝게(${SAVING_SHARE * 100}% 이상의 절감) 메모리를 쓴다`, `${label.en}, ${run.bits}-bit: the cache takes close to 1/${nominal} of f32's memory (at least ${SAVING_SHARE * 100}% of the ${nominal}× saving)`),
      outcome: saving >= SAVING_SHARE * nominal ? 'holds' : 'does-not-hold',
      observed: both(
        `${run.bits}비트(${label.ko}): 장치가 받아들인 캐시 버퍼 ${bytes(run.allocatedBytes)}, f32 ${bytes(base.allocatedBytes)}의 1/${num(saving)}.`,
        `${run.bits}-bit (${label.en}): the device holds ${bytes(run.allocatedBytes)} of cache buffers against ${bytes(base.allocatedBytes)} in f32, ${num(saving)}× less.`,
      ),
      evidence: [
        measured(`memory-int${run.bits}.bytes`, both(`${run.bits}비트 캐시 바이트 (측정)`, `${run.bits}-bit cache bytes (measured)`), run.allocatedBytes, 'B', false),
        measured(`memory-int${run.bits}.saving`, both('f32 대비 절감 배수', 'Saving against f32'), saving, '×'),
      ],
    });
  }
  for (const run of runs) {
    const bar = ERROR_BARS[run.bits as 8 | 4];
    checks.push({
      id: `error-int${run.bits}`,
      claim: both(`${label.ko}, ${run.bits}비트: 어텐션 출력의 상대 오차가 ${num(bar * 100)}% 이하다`, `${label.en}, ${run.bits}-bit: the attention output's relative error is at most ${num(bar * 100)}%`),
      outcome: run.error <= bar ? 'holds' : 'does-not-hold',
      observed: both(
        `${run.bits}비트(${label.ko}): float64 어텐션 대비 상대 오차 ${num(run.error * 100)}%(기준 ${num(bar * 100)}%).`,
        `${run.bits}-bit (${label.en}): relative error ${num(run.error * 100)}% against float64 attention (bar ${num(bar * 100)}%).`,
      ),
      evidence: [measured(`error-int${run.bits}.relative`, both(`${run.bits}비트 출력의 float64 대비 상대 L2 오차`, `${run.bits}-bit output's relative L2 error vs float64`), run.error, '')],
    });
  }
  return checks;
}

/**
 * Quantises one seeded KV-cache (keys with outlier channels, as KIVI observed) on the device to
 * int8 and 4-bit, keys per channel and values per token, and — the control — with one scale for the
 * whole cache; reads the bytes the device holds for each, and runs one decode step's attention
 * straight from each cache against float64 attention over the float32 cache.
 */
export const kvQuantization: Experiment<KvQuantizationParams> = {
  ...kvQuantizationMeta,
  async run(engine, params, progress, signal) {
    const startedAt = Date.now();
    const shape: KvQuantShape = { heads: params.heads, tokens: params.tokens, headDim: params.headDim, groupTokens: params.groupTokens };
    const { keys, values, query, outliers } = inputs(params, shape);
    const exact = referenceDecodeAttention(query, keys, values, shape.heads, shape.tokens, shape.headDim);
    const schemes: { bits: KvQuantBits; scaling: KvQuantScaling }[] = [
      { bits: 32, scaling: 'channel-token' },
      { bits: 8, scaling: 'channel-token' },
      { bits: 4, scaling: 'channel-token' },
      { bits: 8, scaling: 'tensor' },
      { bits: 4, scaling: 'tensor' },
    ];
    const runs: SchemeRun[] = [];
    for (const [index, scheme] of schemes.entries()) {
      throwIfAborted(signal);
      progress(index / schemes.length, `${scheme.bits}-bit, ${scheme.scaling}`);
      runs.push(
        await guarded(signal, async () => {
          const kv = await quantizeKv(engine, keys, values, shape, scheme);
          try {
            const { out, timing } = await quantizedDecodeAttention(engine, kv, query, { timing: { repeats: 5 } });
            return { ...scheme, allocatedBytes: kv.allocatedBytes, error: compare(out, exact).relative, samplesMs: timing!.samplesMs };
          } finally {
            kv.dispose();
          }
        }),
      );
    }
    progress(1, 'done');
    const [base, int8, int4, int8Tensor, int4Tensor] = runs;
    const formulaBytes = (bits: KvQuantBits) => {
      const meta = metaWords(bits, shape);
      return (2 * shape.heads * shape.tokens * codeWords(bits, shape.headDim) + meta.keys + meta.values) * 4;
    };
    const percent = (x: number) => `${num(x * 100)}%`;
    const { verdict, control } = judge({
      checks: claimTest(SCALINGS['channel-token'], base, [int8, int4]),
      control: {
        description: both('대조군: 같은 비트 수로, 키 전체와 값 전체에 스케일과 영점을 하나씩만 둔 양자화', 'Control: the same bit widths with one scale and zero point for all keys and one for all values'),
        checks: claimTest(SCALINGS.tensor, base, [int8Tensor, int4Tensor]),
      },
      model: [
        modelled('formula.int8', both('int8 캐시 바이트 (공식: 코드 + 스케일)', 'int8 cache bytes (formula: codes + scales)'), formulaBytes(8), 'B'),
        modelled('formula.int4', both('4비트 캐시 바이트 (공식)', '4-bit cache bytes (formula)'), formulaBytes(4), 'B'),
      ],
      summary: both(
        `측정(토큰 ${shape.tokens}개, KV 헤드 ${shape.heads}개, 헤드 차원 ${shape.headDim}, 키의 이상치 채널 ${outliers.length}개 ×${params.outlierScale}): 캐시 메모리 f32 ${bytes(base.allocatedBytes)} → int8 ${bytes(int8.allocatedBytes)}(1/${num(base.allocatedBytes / int8.allocatedBytes)}), 4비트 ${bytes(int4.allocatedBytes)}(1/${num(base.allocatedBytes / int4.allocatedBytes)}). float64 대비 어텐션 출력 오차: 채널·토큰별 int8 ${percent(int8.error)}, 4비트 ${percent(int4.error)}; 스케일 하나 int8 ${percent(int8Tensor.error)}, 4비트 ${percent(int4Tensor.error)}; f32 ${num(base.error)}.`,
        `Measured (${shape.tokens} tokens, ${shape.heads} KV heads of dimension ${shape.headDim}, ${outliers.length} outlier key channels ×${params.outlierScale}): cache memory ${bytes(base.allocatedBytes)} in f32 → ${bytes(int8.allocatedBytes)} int8 (${num(base.allocatedBytes / int8.allocatedBytes)}× less), ${bytes(int4.allocatedBytes)} 4-bit (${num(base.allocatedBytes / int4.allocatedBytes)}× less). Attention output error against float64: ${percent(int8.error)} int8 and ${percent(int4.error)} 4-bit per channel/token; ${percent(int8Tensor.error)} and ${percent(int4Tensor.error)} with one scale; ${num(base.error)} in f32.`,
      ),
      meaning: {
        holds: both(
          '카드의 답이 이 기기에서 확인되었습니다: int8은 캐시를 약 4배, 4비트는 약 8배 줄이고(스케일이 조금 차지), 그 대가인 오차는 측정된 만큼입니다 — 키를 채널별로 양자화해 이상치 채널이 다른 채널의 스케일을 키우지 않을 때 작게 유지됩니다. 스케일 하나로는 이상치가 모든 값의 오차를 키웁니다.',
          "The card's answer is confirmed on this device: int8 cuts the cache about 4× and 4-bit about 8× (the scales take a little), at the error measured here — kept small when keys are quantised per channel, so outlier channels do not widen every other channel's scale. With one scale the outliers raise every value's error.",
        ),
        'does-not-hold': both('이 실행에서 측정된 수치가 주장과 어긋납니다. 아래 항목에서 어느 부분인지 확인하세요(헤드 차원이 작으면 스케일이 차지하는 몫이 커집니다).', 'A number measured in this run contradicts the claim: see which check below (with a small head dimension the scales take a larger share).'),
        'not-shown': both(
          '이 실행에서는 대조군(스케일 하나)도 기준을 통과해 차이를 보여 주지 못했습니다. 키의 이상치 채널을 늘리거나 크게 해 보세요.',
          'In this run the control (one scale) passed too, so the difference is not shown. Try more or larger outlier key channels.',
        ),
      },
    });
    const median = (run: SchemeRun) => spread(run.samplesMs).median;
    const widths = [32, 8, 4];
    const series: Series[] = [
      { id: 'bytes-channel', label: both('채널·토큰별 (측정)', 'Per channel / token (measured)'), x: widths, y: [base, int8, int4].map((r) => r.allocatedBytes) },
      { id: 'bytes-tensor', label: both('스케일 하나 (측정)', 'One scale (measured)'), x: widths, y: [base, int8Tensor, int4Tensor].map((r) => r.allocatedBytes) },
      { id: 'error-channel', label: both('채널·토큰별', 'Per channel / token'), x: widths, y: [base, int8, int4].map((r) => Math.max(r.error, 1e-12)) },
      { id: 'error-tensor', label: both('스케일 하나', 'One scale'), x: widths, y: [base, int8Tensor, int4Tensor].map((r) => Math.max(r.error, 1e-12)) },
      { id: 'ms-channel', label: both('채널·토큰별', 'Per channel / token'), x: widths, y: [base, int8, int4].map(median) },
      { id: 'ms-tensor', label: both('스케일 하나', 'One scale'), x: widths, y: [base, int8Tensor, int4Tensor].map(median) },
    ];
    return finish(
      {
        experimentId: kvQuantizationMeta.id,
        params,
        device: engine.info,
        metrics: {
          f32Bytes: base.allocatedBytes,
          int8Bytes: int8.allocatedBytes,
          int4Bytes: int4.allocatedBytes,
          int8Saving: base.allocatedBytes / int8.allocatedBytes,
          int4Saving: base.allocatedBytes / int4.allocatedBytes,
          f32Error: base.error,
          int8Error: int8.error,
          int4Error: int4.error,
          int8TensorError: int8Tensor.error,
          int4TensorError: int4Tensor.error,
          f32Ms: median(base),
          int8Ms: median(int8),
          int4Ms: median(int4),
          outlierChannels: outliers.join(' '),
        },
        table: {
          columns: [
            both('비트', 'Bits'),
            both('스케일', 'Scaling'),
            both('캐시 바이트 (측정)', 'Cache bytes (measured)'),
            both('f32 대비 절감', 'Saving vs f32'),
            both('출력의 상대 오차 (float64 대비)', 'Output relative error (vs float64)'),
            both('어텐션 ms (중앙값)', 'Attention ms (median)'),
            both('10%', 'p10'),
            both('90%', 'p90'),
          ],
          rows: runs.map((run) => {
            const s = spread(run.samplesMs);
            return [run.bits, run.bits === 32 ? 'none (float32)' : SCALINGS[run.scaling].en, run.allocatedBytes, base.allocatedBytes / run.allocatedBytes, run.error, s.median, s.p10, s.p90];
          }),
        },
        series,
        charts: [
          {
            id: 'memory',
            kind: 'bar',
            title: both('캐시 메모리 (장치, 비트 수별)', 'Cache memory on the device, by bits'),
            xLabel: both('원소당 비트', 'Bits per element'),
            yLabel: both('바이트', 'Bytes'),
            series: ['bytes-channel', 'bytes-tensor'],
          },
          {
            id: 'error',
            title: both('어텐션 출력의 오차 (float64 대비)', 'Attention output error vs float64'),
            xLabel: both('원소당 비트 (로그)', 'Bits per element (log)'),
            yLabel: both('상대 L2 오차 (로그)', 'Relative L2 error (log)'),
            xLog: true,
            yLog: true,
            series: ['error-channel', 'error-tensor'],
          },
          {
            id: 'time',
            kind: 'bar',
            title: both('디코드 어텐션 시간 (참고)', 'Decode attention time (reference)'),
            xLabel: both('원소당 비트', 'Bits per element'),
            yLabel: both('ms (중앙값)', 'ms (median)'),
            series: ['ms-channel', 'ms-tensor'],
          },
        ],
        verdict,
        control,
        context: joinContext(
          both(
            `키는 ${shape.groupTokens}토큰씩 채널마다, 값은 토큰마다 최솟값과 범위로 스케일을 정해(비대칭 min-max) 코드를 u32에 채워 넣습니다(int8은 4개, 4비트는 8개). 스케일과 영점은 float16 두 개로 u32 하나에 담기며, 이 몫까지 장치가 받아들인 버퍼 크기로 셉니다. 어텐션 커널은 캐시를 읽으면서 바로 복원(코드·스케일 + 영점)하므로 f32 사본을 만들지 않습니다. 키 ${outliers.length}개 채널(${outliers.join(', ')})은 다른 채널보다 ${params.outlierScale}배 크게 만들었습니다(KIVI가 관찰한 키의 이상치 채널). 임의의 값은 어텐션 출력이 작은 값들의 평균이 되는 어려운 경우라 상대 오차가 실제 모델보다 크게 나옵니다. 시간은 참고용이며 판정에 쓰이지 않습니다.`,
            `Keys are scaled per channel over ${shape.groupTokens} tokens and values per token, by their minimum and range (asymmetric min-max), and the codes are packed into u32 words (4 per word for int8, 8 for 4-bit). Scale and zero point are two float16 in one u32, counted with the rest in the buffer sizes the device accepted. The attention kernel dequantises (code · scale + zero) as it reads, never making an f32 copy. ${outliers.length} key channels (${outliers.join(', ')}) were made ${params.outlierScale}× larger than the others (the key outlier channels KIVI observed). With random values every attention output is an average of small values, a hard case for relative error, so it reads larger than in a trained model. Times are for reference and decide nothing.`,
          ),
          engine.info.isFallback ? softwareGpuContext : undefined,
        ),
      },
      startedAt,
    );
  },
};

import { referenceSoftmax } from '../engine/reference/softmax';
import { SeededRandom } from '../engine/reference/random';
import { runSoftmaxForm, type SoftmaxForm, type SoftmaxFormResult } from '../engine/softmax/softmax-forms';
import { compare } from './attention-inputs';
import { onlineSoftmaxMeta, type OnlineSoftmaxParams } from './online-softmax.meta';
import { both, finish, guarded, joinContext, num, softwareGpuContext, throwIfAborted } from './support';
import type { Experiment, Localized, Series } from './types';
import { judge, measured, type Check, type Outcome } from './verdict';

/** A float32 softmax agrees with float64 within this relative L2 error per row (float32 rounding over the row). */
export const SOFTMAX_TOLERANCE = 1e-5;
/** Below this a logit's exp overflows float32 (ln of its largest value, 3.4e38). */
const FLOAT32_EXP_LIMIT = 88.72;

type RowKind = 'ordinary' | 'large' | 'negative';

const KINDS: Record<RowKind, Localized> = {
  ordinary: both('보통 로짓(표준편차 4)', 'ordinary logits (spread 4)'),
  large: both('큰 로짓', 'large logits'),
  negative: both('아주 작은(음수) 로짓', 'very negative logits'),
};

const FORMS: Record<SoftmaxForm, Localized> = {
  online: both('온라인 소프트맥스(한 번에 최댓값과 합)', 'online softmax (max and sum in one pass)'),
  safe: both('안전한 2패스 소프트맥스(최댓값, 그다음 합)', 'safe two-pass softmax (max, then sum)'),
  naive: both('정의대로의 소프트맥스(exp 먼저)', 'softmax by its definition (exp first)'),
};

/** Seeded logits: `rowsPerKind` rows of each kind, row-major. */
function makeLogits(params: OnlineSoftmaxParams): { logits: Float32Array; kinds: RowKind[]; rowMax: number[] } {
  const random = new SeededRandom(params.seed);
  const kinds = (['ordinary', 'large', 'negative'] as const).flatMap((kind) => Array.from({ length: params.rowsPerKind }, () => kind));
  const logits = new Float32Array(kinds.length * params.length);
  const rowMax: number[] = [];
  kinds.forEach((kind, row) => {
    const centre = kind === 'large' ? params.maxLogit : kind === 'negative' ? -params.maxLogit : 0;
    let max = -Infinity;
    for (let index = 0; index < params.length; index++) {
      const value = Math.fround(centre + 4 * random.nextNormal());
      logits[row * params.length + index] = value;
      max = Math.max(max, value);
    }
    rowMax.push(max);
  });
  return { logits, kinds, rowMax };
}

/** What one form showed on every row. */
interface FormMeasures {
  form: SoftmaxForm;
  label: Localized;
  /** Relative L2 error of each row vs float64 (NaN when the row holds inf/NaN). */
  rowErrors: number[];
  nonFinite: number;
  /** Logits loaded per logit before normalising (the kernel's own count ÷ length). */
  loadsPerLogit: number;
  /** Worst relative difference from the safe two-pass form over the rows. */
  fromSafe: number;
  ms: number | null;
}

function rowErrors(probabilities: Float32Array, reference: Float64Array, rows: number, length: number): number[] {
  return Array.from({ length: rows }, (_, row) => {
    const actual = probabilities.subarray(row * length, (row + 1) * length);
    if (actual.some((v) => !Number.isFinite(v))) return Number.NaN;
    return compare(actual, reference.subarray(row * length, (row + 1) * length)).relative;
  });
}

const worst = (values: number[]) => (values.some(Number.isNaN) ? Number.NaN : Math.max(...values));

/** The claim's test on one form: no inf/NaN, float64's result, the two-pass form's result, one read before normalising. */
function claimTest(arm: FormMeasures, length: number): Check[] {
  const error = worst(arm.rowErrors);
  const exact = Number.isFinite(error) && error <= SOFTMAX_TOLERANCE;
  const sameAsSafe = Number.isFinite(arm.fromSafe) && arm.fromSafe <= SOFTMAX_TOLERANCE;
  const onePass = arm.loadsPerLogit <= 1;
  const decided = (holds: boolean): Outcome => (holds ? 'holds' : 'does-not-hold');
  return [
    {
      id: 'finite',
      claim: both(`${arm.label.ko}: 큰 로짓에서도 inf/NaN이 나오지 않는다`, `${arm.label.en} gives no inf/NaN on large logits`),
      outcome: decided(arm.nonFinite === 0),
      observed: both(
        `${arm.label.ko}: 출력 ${arm.nonFinite}개가 inf 또는 NaN이었습니다.`,
        `${arm.label.en}: ${arm.nonFinite} output${arm.nonFinite === 1 ? ' was' : 's were'} inf or NaN.`,
      ),
      evidence: [measured('finite.count', both('inf/NaN 출력 수', 'Outputs that are inf or NaN'), arm.nonFinite, '')],
    },
    {
      id: 'exact',
      claim: both(`${arm.label.ko}: 모든 행에서 float64 결과와 float32 반올림 오차(${num(SOFTMAX_TOLERANCE)}) 안에서 같다`, `${arm.label.en} equals float64 within float32 rounding (${num(SOFTMAX_TOLERANCE)}) on every row`),
      outcome: decided(exact),
      observed: Number.isFinite(error)
        ? both(`${arm.label.ko}: float64 대비 최대 상대 오차 ${num(error)}.`, `${arm.label.en}: worst relative error against float64 ${num(error)}.`)
        : both(`${arm.label.ko}: inf/NaN이 나온 행이 있어 float64와 비교할 수 없습니다.`, `${arm.label.en}: some rows came out inf/NaN, nothing like float64's.`),
      evidence: [measured('exact.worstRelative', both('float64 대비 최대 상대 L2 오차 (NaN: 넘침)', 'Worst relative L2 error vs float64 (NaN: overflowed)'), Number.isFinite(error) ? error : null, '')],
    },
    {
      id: 'same-as-two-pass',
      claim: both(`${arm.label.ko}: 안전한 2패스 형태와 반올림 오차 안에서 같은 결과를 낸다`, `${arm.label.en} gives the safe two-pass form's result to rounding`),
      outcome: decided(sameAsSafe),
      observed: both(
        `${arm.label.ko}: 2패스 형태와의 최대 상대 차이 ${Number.isFinite(arm.fromSafe) ? num(arm.fromSafe) : 'NaN'}.`,
        `${arm.label.en}: worst relative difference from the two-pass form ${Number.isFinite(arm.fromSafe) ? num(arm.fromSafe) : 'NaN'}.`,
      ),
      evidence: [measured('same-as-two-pass.difference', both('2패스 형태와의 최대 상대 차이', 'Worst relative difference from the two-pass form'), Number.isFinite(arm.fromSafe) ? arm.fromSafe : null, '')],
    },
    {
      id: 'one-pass',
      claim: both(`${arm.label.ko}: 정규화 전에 각 로짓을 한 번만 읽는다`, `${arm.label.en} reads each logit once before normalising`),
      outcome: decided(onePass),
      observed: both(
        `장치의 커널이 센 읽기: 로짓 ${length}개짜리 행마다 정규화 전에 로짓당 ${num(arm.loadsPerLogit)}번.`,
        `Loads counted by the kernel on the device: ${num(arm.loadsPerLogit)} per logit before normalising (rows of ${length}).`,
      ),
      evidence: [measured('one-pass.loadsPerLogit', both('정규화 전 로짓당 읽기 수 (커널이 셈)', 'Loads per logit before normalising (counted by the kernel)'), arm.loadsPerLogit, '')],
    },
  ];
}

/** Runs the naive, safe and online softmax on seeded rows of ordinary, large and very negative logits, each against float64. */
export const onlineSoftmax: Experiment<OnlineSoftmaxParams> = {
  ...onlineSoftmaxMeta,
  async run(engine, params, progress, signal) {
    const startedAt = Date.now();
    const { logits, kinds, rowMax } = makeLogits(params);
    const rows = kinds.length;
    const reference = referenceSoftmax(logits, rows, params.length);
    const results = {} as Record<SoftmaxForm, SoftmaxFormResult>;
    const forms: SoftmaxForm[] = ['safe', 'online', 'naive'];
    for (const [index, form] of forms.entries()) {
      throwIfAborted(signal);
      progress(index / forms.length, `${form} softmax`);
      results[form] = await guarded(signal, () => runSoftmaxForm(engine, form, logits, { rows, length: params.length }, { timing: { repeats: 5 } }));
    }
    progress(1, 'done');
    const measures = (form: SoftmaxForm): FormMeasures => {
      const result = results[form];
      const errors = rowErrors(result.probabilities, reference, rows, params.length);
      const fromSafe = worst(rowErrors(result.probabilities, Float64Array.from(results.safe.probabilities), rows, params.length));
      return {
        form,
        label: FORMS[form],
        rowErrors: errors,
        nonFinite: result.probabilities.reduce((count, v) => count + (Number.isFinite(v) ? 0 : 1), 0),
        loadsPerLogit: Math.max(...result.loadsPerRow) / params.length,
        fromSafe,
        ms: result.timing?.medianMs ?? null,
      };
    };
    const online = measures('online');
    const safe = measures('safe');
    const naive = measures('naive');
    const errorText = (arm: FormMeasures) => (Number.isFinite(worst(arm.rowErrors)) ? num(worst(arm.rowErrors)) : 'NaN');
    const { verdict, control } = judge({
      checks: claimTest(online, params.length),
      control: {
        description: both('대조군: 정의대로의 소프트맥스(exp(x)의 합으로 나눔, 최댓값을 빼지 않음)', 'Control: the softmax by its definition (divide by Σ exp(x), no max subtracted)'),
        checks: claimTest(naive, params.length),
      },
      summary: both(
        `측정(행 ${rows}개 × 로짓 ${params.length}개, 큰 로짓 ±${params.maxLogit}): float64 대비 최대 상대 오차 — 온라인 ${errorText(online)}, 2패스 ${errorText(safe)}, 정의대로 ${errorText(naive)}(inf/NaN 출력 ${naive.nonFinite}개). 정규화 전 로짓당 읽기: 온라인 ${num(online.loadsPerLogit)}, 2패스 ${num(safe.loadsPerLogit)}.`,
        `Measured (${rows} rows of ${params.length} logits, large logits ±${params.maxLogit}): worst relative error against float64 ${errorText(online)} online, ${errorText(safe)} two-pass, ${errorText(naive)} by the definition (${naive.nonFinite} outputs inf or NaN). Loads per logit before normalising: ${num(online.loadsPerLogit)} online, ${num(safe.loadsPerLogit)} two-pass.`,
      ),
      meaning: {
        holds: both(
          '카드의 답이 이 기기에서 확인되었습니다: 최댓값을 빼면 exp가 넘치지 않고, 온라인 소프트맥스는 입력을 한 번 읽으며 최댓값과 합을 함께 구해 2패스 형태와 반올림 오차 안에서 같은 값을 냅니다. 정의대로 계산하면 큰 로짓에서 inf/NaN이 됩니다.',
          "The card's answer is confirmed on this device: with the max subtracted exp never overflows, and the online softmax finds the max and the sum together in one read of the input and gives the two-pass form's values to rounding. Computed by its definition, large logits turn into inf/NaN.",
        ),
        'does-not-hold': both('이 실행에서 측정된 수치가 주장과 어긋납니다. 아래 항목에서 어느 부분인지 확인하세요.', 'A number measured in this run contradicts the claim: see which check below.'),
        'not-shown': both(
          `이 실행에서는 대조군이 실패하지 않았습니다. 큰 로짓의 크기를 float32의 exp 한계(${FLOAT32_EXP_LIMIT})보다 크게 잡아 보세요.`,
          `In this run the control did not fail. Make the large logits bigger than float32's exp limit (${FLOAT32_EXP_LIMIT}).`,
        ),
      },
    });
    const order = rowMax.map((max, row) => ({ max, row })).sort((a, b) => a.max - b.max);
    const errorSeries = (arm: FormMeasures): Series => ({
      id: arm.form,
      label: arm.label,
      x: order.filter(({ row }) => Number.isFinite(arm.rowErrors[row])).map(({ max }) => max),
      y: order.filter(({ row }) => Number.isFinite(arm.rowErrors[row])).map(({ row }) => Math.max(arm.rowErrors[row], 1e-12)),
    });
    const series: Series[] = [
      errorSeries(online),
      errorSeries(safe),
      errorSeries(naive),
      { id: 'tolerance', label: both(`허용 오차 ${num(SOFTMAX_TOLERANCE)}`, `Tolerance ${num(SOFTMAX_TOLERANCE)}`), x: [order[0].max, order[order.length - 1].max], y: [SOFTMAX_TOLERANCE, SOFTMAX_TOLERANCE] },
    ];
    const tableRows: (number | string | null)[][] = [];
    for (const arm of [online, safe, naive]) {
      for (const kind of ['ordinary', 'large', 'negative'] as const) {
        const rowsOfKind = kinds.map((k, row) => (k === kind ? row : -1)).filter((row) => row >= 0);
        const errors = rowsOfKind.map((row) => arm.rowErrors[row]);
        const nonFinite = rowsOfKind.reduce((count, row) => count + results[arm.form].probabilities.subarray(row * params.length, (row + 1) * params.length).filter((v) => !Number.isFinite(v)).length, 0);
        tableRows.push([arm.label.en, KINDS[kind].en, Math.max(...rowsOfKind.map((row) => rowMax[row])), Number.isFinite(worst(errors)) ? worst(errors) : 'inf/NaN', nonFinite, arm.loadsPerLogit, arm.ms]);
      }
    }
    return finish(
      {
        experimentId: onlineSoftmaxMeta.id,
        params,
        device: engine.info,
        metrics: {
          onlineMaxRelativeError: worst(online.rowErrors),
          safeMaxRelativeError: worst(safe.rowErrors),
          naiveMaxRelativeError: Number.isFinite(worst(naive.rowErrors)) ? worst(naive.rowErrors) : null,
          naiveNonFinite: naive.nonFinite,
          onlineNonFinite: online.nonFinite,
          onlineVsSafe: online.fromSafe,
          onlineLoadsPerLogit: online.loadsPerLogit,
          safeLoadsPerLogit: safe.loadsPerLogit,
          naiveLoadsPerLogit: naive.loadsPerLogit,
          onlineMs: online.ms,
          safeMs: safe.ms,
          naiveMs: naive.ms,
          tolerance: SOFTMAX_TOLERANCE,
        },
        table: {
          columns: [
            both('형태', 'Form'),
            both('행 종류', 'Rows'),
            both('가장 큰 로짓', 'Largest logit'),
            both('float64 대비 최대 상대 오차', 'Worst rel. error vs float64'),
            both('inf/NaN 출력', 'inf/NaN outputs'),
            both('정규화 전 로짓당 읽기 (측정)', 'Loads per logit before normalising (measured)'),
            both('시간 ms (중앙값, 참고)', 'Time ms (median, for reference)'),
          ],
          rows: tableRows,
        },
        series,
        charts: [
          {
            id: 'errors',
            title: both('행마다 float64 대비 오차 (inf/NaN 행 제외)', 'Error vs float64 per row (inf/NaN left out)'),
            xLabel: both('행의 가장 큰 로짓', "The row's largest logit"),
            yLabel: both('상대 L2 오차 (로그)', 'Relative L2 error (log)'),
            yLog: true,
            series: series.map((s) => s.id),
          },
        ],
        verdict,
        control,
        context: joinContext(
          both(
            `float32에서 exp(x)는 x > ${FLOAT32_EXP_LIMIT}이면 inf가 되고, 모든 로짓이 아주 작으면 합이 0이 되어 0/0 = NaN이 됩니다. 세 형태 모두 같은 장치에서 한 행에 작업 그룹 하나로 실행되며, 각 커널이 정규화 전에 읽은 로짓 수를 스스로 셉니다. 온라인 형태는 호출마다 (최댓값, 합)을 갱신한 뒤 (m, d) ⊕ 연산으로 합칩니다. 시간은 참고용이며 판정에 쓰이지 않습니다.`,
            `In float32 exp(x) is inf for x > ${FLOAT32_EXP_LIMIT}, and when every logit is very negative the sum is 0 and 0/0 = NaN. All three forms run on the same device, one workgroup per row, each kernel counting the logits it loaded before normalising. The online form keeps a (max, sum) per invocation and merges them with the (m, d) ⊕ operation. Times are for reference and decide nothing.`,
          ),
          engine.info.isFallback ? softwareGpuContext : undefined,
        ),
      },
      startedAt,
    );
  },
};

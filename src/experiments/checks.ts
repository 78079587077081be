import { ALPHA, compareSamples, logLogSlope, median } from './statistics';
import { both, bytes, num } from './support';
import type { Localized } from './types';
import { measured, type Check, type Outcome } from './verdict';

/**
 * Checks several experiments share, each a claim's test that can be applied to either arm: the
 * claim arm and the control arm are judged by the same function on their own measurements.
 */

/** "p = 0.004" for a sentence; the significance level it was judged at is ALPHA. */
export function pValue(p: number): string {
  return p < 0.001 ? 'p < 0.001' : `p = ${num(p, 2)}`;
}

/**
 * "`arm` runs faster than `other`": Mann–Whitney on the two sets of timed repeats. Holds when the
 * arm is faster at p ≤ ALPHA, does not hold when it is slower at p ≤ ALPHA, not shown when the run
 * cannot tell them apart (the difference is within its own noise).
 */
export function fasterCheck(input: { id: string; arm: Localized; other: Localized; armMs: number[]; otherMs: number[]; at: string }): Check {
  const c = compareSamples(input.armMs, input.otherMs);
  const outcome: Outcome = c.direction === 'smaller' ? 'holds' : c.direction === 'larger' ? 'does-not-hold' : 'not-shown';
  const armMedian = median(input.armMs);
  const otherMedian = median(input.otherMs);
  const p = outcome === 'does-not-hold' ? c.pLarger : c.pSmaller;
  const observedEn =
    outcome === 'holds'
      ? `${input.arm.en} was ${num(c.ratio)}× faster than ${input.other.en} at ${input.at} (${pValue(p)}, ${c.samplesA} and ${c.samplesB} timed runs).`
      : outcome === 'does-not-hold'
        ? `${input.arm.en} was slower than ${input.other.en} at ${input.at}: ${num(1 / c.ratio)}× the time (${pValue(p)}).`
        : `At ${input.at} this run could not tell ${input.arm.en} and ${input.other.en} apart: ${num(c.ratio)}× within the spread of its repeats (${pValue(c.pSmaller)}, needs ≤ ${ALPHA}).`;
  const observedKo =
    outcome === 'holds'
      ? `${input.at} — ${input.arm.ko}: ${input.other.ko}보다 ${num(c.ratio)}배 빠름(${pValue(p)}, 각각 ${c.samplesA}·${c.samplesB}회 측정).`
      : outcome === 'does-not-hold'
        ? `${input.at} — ${input.arm.ko}: ${input.other.ko}보다 느림, 시간 ${num(1 / c.ratio)}배(${pValue(p)}).`
        : `${input.at} — ${input.arm.ko}와 ${input.other.ko}의 차이(${num(c.ratio)}배)가 반복 측정의 흔들림 안에 있어 이 실행으로는 구별되지 않음(${pValue(c.pSmaller)}, 기준 ${ALPHA} 이하).`;
  return {
    id: input.id,
    claim: both(`${input.arm.ko}: ${input.other.ko}보다 빠르다`, `${input.arm.en} is faster than ${input.other.en}`),
    outcome,
    observed: { ko: observedKo, en: observedEn },
    evidence: [
      measured(`${input.id}.armMs`, both(`${input.arm.ko} 시간(중앙값)`, `${input.arm.en} time (median)`), armMedian, 'ms'),
      measured(`${input.id}.otherMs`, both(`${input.other.ko} 시간(중앙값)`, `${input.other.en} time (median)`), otherMedian, 'ms'),
      measured(`${input.id}.ratio`, both('속도 비', 'Speed ratio'), c.ratio, '×'),
      measured(`${input.id}.p`, both('유의확률 p (Mann–Whitney)', 'p-value (Mann–Whitney)'), p, 'p'),
      measured(`${input.id}.samples`, both('측정 반복 수', 'Timed repeats'), Math.min(c.samplesA, c.samplesB), ''),
    ],
  };
}

function linearClaim(arm: Localized): Localized {
  return both(`${arm.ko}: 추가 메모리가 N에 대해 선형 이하로 늘어난다`, `${arm.en}'s extra memory grows at most linearly with N`);
}

/**
 * "`arm`'s extra device memory grows at most linearly with N": the log-log slope of the bytes the
 * device really held (tracked allocations) across the sizes run. Linear ≤ 1.3, quadratic ≥ 1.7;
 * in between the run cannot say (e.g. fixed costs dominating at small N).
 */
export function linearMemoryCheck(input: { id: string; arm: Localized; ns: number[]; extraBytes: number[] }): Check {
  if (input.ns.length < 2) {
    return {
      id: input.id,
      claim: linearClaim(input.arm),
      outcome: 'not-shown',
      observed: both('크기를 두 가지 이상 측정해야 기울기를 알 수 있습니다.', 'It takes two sizes or more to measure a growth rate.'),
      evidence: [],
    };
  }
  const slope = logLogSlope(input.ns, input.extraBytes);
  const outcome: Outcome = slope <= 1.3 ? 'holds' : slope >= 1.7 ? 'does-not-hold' : 'not-shown';
  const last = input.ns.length - 1;
  const grows = both(slope >= 1.7 ? '제곱(N²)으로' : slope <= 1.3 ? '선형(N) 이하로' : '선형과 제곱 사이로', slope >= 1.7 ? 'quadratically (N²)' : slope <= 1.3 ? 'at most linearly (N)' : 'between linearly and quadratically');
  return {
    id: input.id,
    claim: linearClaim(input.arm),
    outcome,
    observed: both(
      `${input.arm.ko}: 장치가 실제로 할당한 추가 메모리가 N=${input.ns[0]}→${input.ns[last]}에서 ${bytes(input.extraBytes[0])}→${bytes(input.extraBytes[last])}, ${grows.ko} 늘었습니다(로그-로그 기울기 ${num(slope)}).`,
      `The extra memory the device really allocated for ${input.arm.en} went from ${bytes(input.extraBytes[0])} to ${bytes(input.extraBytes[last])} over N=${input.ns[0]}→${input.ns[last]}: it grows ${grows.en} (log-log slope ${num(slope)}).`,
    ),
    evidence: [
      measured(`${input.id}.slope`, both('추가 메모리의 N에 대한 기울기(로그-로그)', 'Growth of extra memory in N (log-log slope)'), slope, ''),
      measured(`${input.id}.bytes`, both(`N=${input.ns[last]}의 추가 메모리`, `Extra memory at N=${input.ns[last]}`), input.extraBytes[last], 'B', false),
    ],
  };
}

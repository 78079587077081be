import { median } from '../engine/timing';
import { pValue } from './checks';
import { ALPHA, compareSamples, kendallTrend, spread } from './statistics';
import { both, num } from './support';
import type { Localized } from './types';
import { measured, type Check, type Outcome } from './verdict';

/** Largest |logit difference| that still counts as "the same logits" (float32 summation order). */
export const LOGIT_TOLERANCE = 1e-4;

/**
 * "Flat": the per-token cost at the last measured position is at most this many times the cost at
 * the first. A cached step still reads a cache that grows by one row per token, so it is never
 * perfectly flat; recomputing the whole prefix grows with every position instead.
 */
export const FLAT_GROWTH = 1.5;

/** Per-token times of one arm at the positions measured: samples[i] are the repeats at positions[i]. */
export interface PositionTimes {
  label: Localized;
  positions: number[];
  samples: number[][];
}

/**
 * "`arm`'s per-token cost stays flat as the position grows": the median at the last measured
 * position against the first (≤ FLAT_GROWTH holds), the rise judged by Mann–Whitney (last vs first
 * repeats) and Kendall's τ over every (position, time) pair. Above the bar with both tests
 * significant it does not hold; above it without significance the run cannot tell.
 */
export function flatCostCheck(arm: PositionTimes): Check {
  const first = arm.samples[0];
  const last = arm.samples[arm.samples.length - 1];
  const growth = median(last) / median(first);
  const rise = compareSamples(first, last);
  const xs = arm.positions.flatMap((position, index) => arm.samples[index].map(() => position));
  const trend = kendallTrend(xs, arm.samples.flat());
  const significant = rise.direction === 'smaller' && trend.pRising <= ALPHA;
  const outcome: Outcome = growth <= FLAT_GROWTH ? 'holds' : significant ? 'does-not-hold' : 'not-shown';
  const from = arm.positions[0];
  const to = arm.positions[arm.positions.length - 1];
  const ms = (samples: number[]) => `${num(median(samples))} ms`;
  const observed =
    outcome === 'holds'
      ? both(
          `${arm.label.ko}: 토큰당 시간이 위치 ${from}의 ${ms(first)}에서 위치 ${to}의 ${ms(last)}로 ${num(growth)}배(기준 ${FLAT_GROWTH}배 이하) — 거의 일정합니다(추세 τ=${num(trend.tau, 2)}).`,
          `${arm.label.en}, the per-token time went from ${ms(first)} at position ${from} to ${ms(last)} at position ${to}: ${num(growth)}× (at most ${FLAT_GROWTH}× counts as flat; trend τ=${num(trend.tau, 2)}).`,
        )
      : outcome === 'does-not-hold'
        ? both(
            `${arm.label.ko}: 토큰당 시간이 위치 ${from}의 ${ms(first)}에서 위치 ${to}의 ${ms(last)}로 ${num(growth)}배 늘었습니다(τ=${num(trend.tau, 2)}, ${pValue(trend.pRising)}; 처음 대 마지막 ${pValue(rise.pSmaller)}).`,
            `${arm.label.en}, the per-token time grew from ${ms(first)} at position ${from} to ${ms(last)} at position ${to}: ${num(growth)}× (τ=${num(trend.tau, 2)}, ${pValue(trend.pRising)}; first vs last ${pValue(rise.pSmaller)}).`,
          )
        : both(
            `${arm.label.ko}: 위치 ${from}→${to}에서 ${num(growth)}배였지만 반복 측정의 흔들림 안이라 증가인지 판별되지 않습니다(τ ${pValue(trend.pRising)}, 처음 대 마지막 ${pValue(rise.pSmaller)}).`,
            `${arm.label.en}, positions ${from}→${to} differ by ${num(growth)}×, but within the spread of the repeats: this run cannot tell whether it grows (τ ${pValue(trend.pRising)}, first vs last ${pValue(rise.pSmaller)}).`,
          );
  return {
    id: 'flat',
    claim: both(`${arm.label.ko}: 토큰당 비용이 위치가 늘어도 거의 일정하다`, `${arm.label.en}, the per-token cost stays flat as the position grows`),
    outcome,
    observed,
    evidence: [
      measured('flat.growth', both(`위치 ${to} 대 ${from}의 시간 비(중앙값)`, `Time at position ${to} over position ${from} (medians)`), growth, '×'),
      measured('flat.firstMs', both(`위치 ${from}의 시간(중앙값)`, `Time at position ${from} (median)`), median(first), 'ms', false),
      measured('flat.lastMs', both(`위치 ${to}의 시간(중앙값)`, `Time at position ${to} (median)`), median(last), 'ms', false),
      measured('flat.tau', both('위치에 대한 추세 (켄달 τ)', "Trend in position (Kendall's τ)"), trend.tau, ''),
      measured('flat.p', both('증가 추세의 유의확률 p', 'p-value of a rising trend'), trend.pRising, 'p'),
      measured('flat.samples', both('위치마다 측정 반복 수', 'Timed repeats per position'), Math.min(...arm.samples.map((s) => s.length)), '', false),
    ],
  };
}

/** "`arm` decodes the same tokens and logits as `other`": measured on both runs of this experiment. */
export function sameOutputCheck(arm: Localized, other: Localized, tokensMatch: boolean, maxLogitDifference: number): Check {
  const outcome: Outcome = tokensMatch && maxLogitDifference <= LOGIT_TOLERANCE ? 'holds' : 'does-not-hold';
  return {
    id: 'same-output',
    claim: both(`${arm.ko}: ${other.ko}와 같은 토큰과 로짓을 낸다`, `${arm.en} gives the same tokens and logits as ${other.en}`),
    outcome,
    observed: both(
      `토큰 ${tokensMatch ? '일치' : '불일치'}, 로짓 최대 차이 ${num(maxLogitDifference)}(허용 ${LOGIT_TOLERANCE}).`,
      `Tokens ${tokensMatch ? 'identical' : 'differ'}; max logit difference ${num(maxLogitDifference)} (tolerance ${LOGIT_TOLERANCE}).`,
    ),
    evidence: [
      measured('same-output.tokens', both('토큰 일치', 'Tokens identical'), tokensMatch, ''),
      measured('same-output.logits', both('로짓 최대 차이', 'Max logit difference'), maxLogitDifference, ''),
    ],
  };
}

/** Median and 10–90% band per position, for a chart's series. */
export function bandSeries(times: PositionTimes): { x: number[]; y: number[]; yLow: number[]; yHigh: number[] } {
  const spreads = times.samples.map((samples) => spread(samples));
  return { x: times.positions, y: spreads.map((s) => s.median), yLow: spreads.map((s) => s.p10), yHigh: spreads.map((s) => s.p90) };
}

/** Largest |a − b| over two logit matrices. */
export function maxDifference(a: Float32Array, b: Float32Array): number {
  let worst = 0;
  for (let index = 0; index < a.length; index++) worst = Math.max(worst, Math.abs(a[index] - b[index]));
  return worst;
}

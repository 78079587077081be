import type { KvFillPoint } from '../engine/decode/kv-memory';
import { pValue } from './checks';
import { ALPHA, kendallTrend } from './statistics';
import { both, bytes, num } from './support';
import type { Localized } from './types';
import { measured, modelled, type Check, type Outcome } from './verdict';

/**
 * "Little waste": the device holds at most this many times the bytes the tokens need. Doubling
 * slabs keep the paged cache under 2× (plus its last, partly filled block); a cache reserved at
 * the maximum length holds maxTokens / T times the need at length T.
 */
export const WASTE_FACTOR = 3;

export interface Variant {
  id: 'mha' | 'gqa' | 'mqa';
  kvHeads: number;
  label: Localized;
}

/** What one cache layout showed: a sweep of lengths per variant, and a batch of mixed lengths. */
export interface MemoryArm {
  label: Localized;
  ts: number[];
  sweeps: Record<string, KvFillPoint[]>;
  batch: KvFillPoint;
  refusal: string | null;
}

const allocated = (points: KvFillPoint[]) => points.filter((p) => p.status === 'allocated' && p.allocatedBytes !== null);

function notRun(arm: MemoryArm, points: KvFillPoint[]): Localized {
  const missing = points.filter((p) => p.status !== 'allocated').map((p) => p.tokens);
  return arm.refusal
    ? both(`장치가 T=${missing.join(', ')}에 필요한 할당을 거부했습니다: "${arm.refusal}".`, `The device refused the allocation needed for T=${missing.join(', ')}: "${arm.refusal}".`)
    : both(`T=${missing.join(', ')}는 이 실험의 메모리 예산을 넘어 실행하지 않았습니다.`, `T=${missing.join(', ')} would exceed this experiment's memory budget and were not run.`);
}

/** "The cache's memory grows with the tokens it holds" (MHA sweep): Kendall's τ, and at least halving from the longest to the shortest length. */
function growsCheck(arm: MemoryArm): Check {
  const points = allocated(arm.sweeps.mha);
  const claim = both(`${arm.label.ko}: 장치 메모리가 담은 토큰 수에 따라 늘어난다`, `${arm.label.en}: its device memory grows with the tokens it holds`);
  if (points.length < 3) {
    return { id: 'grows', claim, outcome: 'not-shown', observed: notRun(arm, arm.sweeps.mha), evidence: [measured('grows.refusal', both('장치의 거부 메시지', "The device's refusal"), arm.refusal, '', false)] };
  }
  const ts = points.map((p) => p.tokens);
  const held = points.map((p) => p.allocatedBytes!);
  const trend = kendallTrend(ts, held);
  const first = held[0];
  const last = held[held.length - 1];
  const outcome: Outcome = trend.pRising <= ALPHA && first <= last / 2 ? 'holds' : first >= 0.9 * last ? 'does-not-hold' : 'not-shown';
  return {
    id: 'grows',
    claim,
    outcome,
    observed: both(
      `MHA: T=${ts[0]}에서 ${bytes(first)}, T=${ts[ts.length - 1]}에서 ${bytes(last)} — ${outcome === 'does-not-hold' ? '토큰 수와 무관하게 거의 같습니다' : `${num(last / first)}배`}(τ=${num(trend.tau, 2)}, ${pValue(trend.pRising)}).`,
      `MHA: ${bytes(first)} at T=${ts[0]}, ${bytes(last)} at T=${ts[ts.length - 1]} — ${outcome === 'does-not-hold' ? 'about the same whatever the tokens held' : `${num(last / first)}×`} (τ=${num(trend.tau, 2)}, ${pValue(trend.pRising)}).`,
    ),
    evidence: [
      measured('grows.first', both(`T=${ts[0]}에 할당된 바이트`, `Bytes allocated at T=${ts[0]}`), first, 'B'),
      measured('grows.last', both(`T=${ts[ts.length - 1]}에 할당된 바이트`, `Bytes allocated at T=${ts[ts.length - 1]}`), last, 'B'),
      measured('grows.tau', both('T에 대한 추세 (켄달 τ)', "Trend in T (Kendall's τ)"), trend.tau, ''),
      measured('grows.p', both('증가 추세의 유의확률 p', 'p-value of a rising trend'), trend.pRising, 'p'),
    ],
  };
}

/** "It holds little more than its tokens need": allocated ÷ needed at every length of the MHA sweep and for the mixed batch. */
function wasteCheck(arm: MemoryArm): Check {
  const points = [...allocated(arm.sweeps.mha).map((p) => ({ ...p, what: `MHA T=${p.tokens}` })), ...allocated([arm.batch]).map((p) => ({ ...p, what: `batch (${p.tokens} tokens)` }))];
  const claim = both(`${arm.label.ko}: 토큰이 필요한 바이트의 ${WASTE_FACTOR}배를 넘게 잡지 않는다`, `${arm.label.en}: it never holds more than ${WASTE_FACTOR}× the bytes its tokens need`);
  if (points.length === 0) return { id: 'waste', claim, outcome: 'not-shown', observed: notRun(arm, [...arm.sweeps.mha, arm.batch]), evidence: [] };
  const worst = points.reduce((a, b) => (b.allocatedBytes! / b.neededBytes > a.allocatedBytes! / a.neededBytes ? b : a));
  const ratio = worst.allocatedBytes! / worst.neededBytes;
  const outcome: Outcome = ratio <= WASTE_FACTOR ? 'holds' : 'does-not-hold';
  return {
    id: 'waste',
    claim,
    outcome,
    observed: both(
      `가장 낭비가 큰 경우(${worst.what}): 할당 ${bytes(worst.allocatedBytes!)}, 토큰이 필요한 양 ${bytes(worst.neededBytes)} — ${num(ratio)}배(낭비 ${num((1 - 1 / ratio) * 100, 2)}%).`,
      `Worst case (${worst.what}): ${bytes(worst.allocatedBytes!)} allocated for ${bytes(worst.neededBytes)} the tokens need — ${num(ratio)}× (${num((1 - 1 / ratio) * 100, 2)}% wasted).`,
    ),
    evidence: [
      measured('waste.allocated', both(`${worst.what}에 할당된 바이트`, `Bytes allocated, ${worst.what}`), worst.allocatedBytes, 'B'),
      modelled('waste.needed', both(`${worst.what}의 토큰이 필요한 바이트 (공식)`, `Bytes the tokens need, ${worst.what} (formula)`), worst.neededBytes, 'B'),
      measured('waste.ratio', both('할당 ÷ 필요 (가장 큰 경우)', 'Allocated ÷ needed (worst case)'), ratio, '×'),
    ],
  };
}

/** "GQA and MQA cut it by heads / kv_heads": measured ratios of the allocations at the longest length. */
function kvHeadsCheck(arm: MemoryArm, kinds: Variant[], heads: number): Check {
  const last = arm.ts.length - 1;
  const bytesOf = (id: string) => arm.sweeps[id][last].allocatedBytes;
  const claim = both(`${arm.label.ko}: GQA와 MQA는 KV 헤드 수에 비례해 메모리를 줄인다`, `${arm.label.en}: GQA and MQA cut the memory by the number of KV heads`);
  const mha = bytesOf('mha');
  const others = kinds.slice(1).map((v) => ({ v, held: bytesOf(v.id) }));
  if (mha === null || others.some((o) => o.held === null)) return { id: 'kv-heads', claim, outcome: 'not-shown', observed: notRun(arm, kinds.map((v) => arm.sweeps[v.id][last])), evidence: [] };
  const ratios = others.map((o) => ({ ...o, ratio: mha / o.held!, expected: heads / o.v.kvHeads }));
  const outcome: Outcome = ratios.every((r) => Math.abs(r.ratio / r.expected - 1) <= 0.02) ? 'holds' : 'does-not-hold';
  return {
    id: 'kv-heads',
    claim,
    outcome,
    observed: both(
      `T=${arm.ts[last]}: ${ratios.map((r) => `MHA ÷ ${r.v.id.toUpperCase()} = ${num(r.ratio)}(헤드 비 ${r.expected})`).join(', ')}.`,
      `At T=${arm.ts[last]}: ${ratios.map((r) => `MHA ÷ ${r.v.id.toUpperCase()} = ${num(r.ratio)} (head ratio ${r.expected})`).join(', ')}.`,
    ),
    evidence: ratios.map((r) => measured(`kv-heads.${r.v.id}`, both(`MHA ÷ ${r.v.id.toUpperCase()} 할당 바이트`, `MHA ÷ ${r.v.id.toUpperCase()} allocated bytes`), r.ratio, '×')),
  };
}

/** The claim's test on one cache layout: memory grows with tokens, little waste, GQA/MQA ratios. */
export function memoryClaimTest(arm: MemoryArm, kinds: Variant[], heads: number): Check[] {
  return [growsCheck(arm), wasteCheck(arm), kvHeadsCheck(arm, kinds, heads)];
}

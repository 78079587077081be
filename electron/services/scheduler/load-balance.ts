import { seededRandom } from '../../../src/shared/random';

/**
 * Anki's load balancer (rslib scheduler/states/load_balancer.rs, 24.11): a review's due day is
 * drawn within the fuzz range, each day weighted by how light it is, so the daily load flattens
 * instead of piling up where the intervals happen to land.
 */

/** Past this interval (days) the load is not balanced, as in Anki: far days matter little. */
export const maxBalancedInterval = 90;
/** Days of load the load simulation keeps ahead: the largest fuzz range past the balanced limit. */
export const balanceHorizon = Math.floor(maxBalancedInterval * 1.1);
/** A day with another card of the same note gets almost no weight. */
const siblingPenalty = 0.001;

/** What a day of the week weighs under easy days: Anki's load modifiers. */
const easyDayLoad = (value: number): number => (value === 1 ? 1 : value === 0 ? 0.0001 : 0.5);

/** Where a review may land and what is there already. */
export interface Placement {
  /** Review cards of the card's preset already due on each day `from`…`to` from today (day 0). */
  load(from: number, to: number): readonly number[];
  /** The weekday of day `d` from today: 0 Monday … 6 Sunday. */
  weekday(day: number): number;
  /** The preset's easy days, Monday first: 1 normal, 0.5 reduced, 0 minimum. */
  easyDays: readonly number[];
  /** Days on which another card of the note is due. */
  siblingDays: ReadonlySet<number>;
  /** Weigh days by their load (the collection's load-balancing setting). */
  balance: boolean;
}

/**
 * Anki's easy-day modifiers for the days of a range: a normal day stays, a minimum day almost
 * vanishes, and a reduced day stays only while its load is under half of what the other days
 * carry on average (past it, it counts as a minimum day).
 */
export function easyDayModifiers(easyDays: readonly number[], weekdays: readonly number[], counts: readonly number[]): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  const percents = weekdays.reduce((sum, w) => sum + easyDayLoad(easyDays[w] ?? 1), 0);
  return weekdays.map((w, i) => {
    const value = easyDays[w] ?? 1;
    if (value !== 0.5) return easyDayLoad(value);
    const threshold = (total - counts[i]) / (percents - 0.5);
    return counts[i] / 0.5 > threshold ? easyDayLoad(0) : 1;
  });
}

/**
 * The day (interval in days) a review lands on, within [min, max]. Each day weighs
 * `(1 / load)² × (1 / day)` when balancing (1 on an empty day), times its easy-day modifier and
 * the sibling penalty; without balancing, days weigh the same but for those two. The draw uses
 * `seed` (Anki seeds it with the card id and its reps), so the same card gets the same day.
 *
 * One difference from Anki: an empty day's weight is multiplied by its easy-day modifier too (Anki
 * gives an empty day the full weight), so easy days hold in a young collection as well.
 */
export function pickDay(interval: number, min: number, max: number, placement: Placement, seed: number): number {
  if (max <= min) return Math.max(1, min);
  const balance = placement.balance && interval <= maxBalancedInterval && min <= maxBalancedInterval;
  const days: number[] = [];
  for (let d = min; d <= max; d++) days.push(d);
  const range = placement.load(min, max);
  const counts = days.map((_, i) => range[i] ?? 0);
  const modifiers = easyDayModifiers(
    placement.easyDays,
    days.map((d) => placement.weekday(d)),
    counts,
  );
  const weights = days.map((d, i) => {
    const load = balance ? (counts[i] === 0 ? 1 : (1 / counts[i]) ** 2 / d) : 1;
    return load * modifiers[i] * (placement.siblingDays.has(d) ? siblingPenalty : 1);
  });
  const total = weights.reduce((a, b) => a + b, 0);
  let draw = seededRandom(seed)() * total;
  for (let i = 0; i < days.length; i++) {
    draw -= weights[i];
    if (draw < 0) return days[i];
  }
  return days[days.length - 1];
}

/** Anki's fuzz seed: the card id plus its reps, so each answer of a card draws anew. */
export function fuzzSeed(cardId: number, reps: number): number {
  return (Math.imul(cardId, 2654435761) + reps) >>> 0;
}

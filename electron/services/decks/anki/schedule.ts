import type { AnkiCardRecord } from '../../store/anki/collection';
import type { ExchangeCard, ExchangeReview } from '../types';
import type { AnkiDayClock } from '../../../../src/shared/anki/day-clock';
import { dueFromAnki } from '../../../../src/shared/anki/card-due';
import { ratingFromAnkiReview } from '../../../../src/shared/anki/collection-config';

const DAY_MS = 86_400_000;

/** The columns of an Anki `cards` row that scheduling needs; a filtered deck's home due and deck, and the flags, may be absent. */
export type AnkiCardRow = Pick<AnkiCardRecord, 'id' | 'ord' | 'type' | 'queue' | 'due' | 'ivl' | 'factor' | 'reps' | 'lapses' | 'data'> & Partial<Pick<AnkiCardRecord, 'odue' | 'odid' | 'flags'>>;

export interface AnkiReviewRow {
  id: number;
  cid: number;
  ease: number;
  ivl: number;
  time: number;
  type: number;
}

/**
 * Anki's SM-2 ease (permille, 1300..~3500, 2500 by default) mapped onto FSRS difficulty 1..10:
 * the default ease sits at the middle (5), each 0.2 of ease below it adds one point.
 */
export function difficultyFromEase(factor: number): number {
  if (!factor) return 5;
  return Math.min(10, Math.max(1, 5 + (2500 - factor) / 200));
}

/**
 * Maps an Anki card onto ProofDeck's FSRS columns.
 * - state and due: `dueFromAnki` (src/shared/anki/card-due.ts) with the package's day clock:
 *   Anki's card type is ts-fsrs's State; a learning card's `due` is a Unix time, a review or
 *   day-learn card's a day number, and a suspended or buried (re)learning card's a timestamp when
 *   it is over 1,000,000,000, as Anki decides. On a v1 package a review card in a learning queue
 *   is relearning, as Anki's upgrade makes it. New cards are due now (their Anki position becomes
 *   the order of introduction).
 * - stability/difficulty: Anki ≥ 23.10 with FSRS keeps them in `cards.data` (`s`, `d`); otherwise
 *   stability is the SM-2 interval in days (both are "days until recall falls to ~90%") and
 *   difficulty comes from the ease factor.
 * - suspended: queue -1. Buried cards (queue -2/-3) come in unburied.
 * - flag: the low 3 bits of `cards.flags`, as Anki reads them (the higher bits are not a flag).
 */
export function mapAnkiCard(card: AnkiCardRow, clock: AnkiDayClock, schedulerVersion: 1 | 2, lastReviewMs: number | null, now: number): ExchangeCard {
  let memory: { s?: number; d?: number } = {};
  try {
    const parsed: unknown = card.data ? JSON.parse(card.data) : {};
    if (parsed && typeof parsed === 'object') memory = parsed as { s?: number; d?: number };
  } catch {
    // cards.data is free-form in old collections; nothing to recover from it
  }
  const read = dueFromAnki({ type: card.type, queue: card.queue, due: card.due, odue: card.odue, odid: card.odid }, clock, schedulerVersion);
  const state = read.state;
  let due = read.due ?? now;
  if (!Number.isFinite(due) || due < 0) due = now;
  const intervalDays = card.ivl > 0 ? card.ivl : 0;
  const stability = typeof memory.s === 'number' && memory.s > 0 ? memory.s : state === 0 ? 0 : Math.max(intervalDays, 0.1);
  const difficulty = typeof memory.d === 'number' && memory.d >= 1 && memory.d <= 10 ? memory.d : state === 0 ? 0 : difficultyFromEase(card.factor);
  const lastReview = state === 0 ? null : (lastReviewMs ?? (state === 2 ? due - intervalDays * DAY_MS : null));
  return {
    ord: card.ord,
    due,
    stability,
    difficulty,
    elapsedDays: lastReview !== null ? Math.max(0, Math.floor((now - lastReview) / DAY_MS)) : 0,
    scheduledDays: intervalDays,
    learningSteps: 0,
    reps: Math.max(0, card.reps),
    lapses: Math.max(0, card.lapses),
    state,
    lastReview,
    suspended: read.suspended,
    ...(flagOf(card.flags) ? { flag: flagOf(card.flags) } : {}),
  };
}

/** The flag in Anki's `cards.flags` (its low 3 bits); 0 for anything that is not a whole number. */
export function flagOf(flags: unknown): number {
  return typeof flags === 'number' && Number.isInteger(flags) ? flags & 0b111 : 0;
}

/**
 * Maps one card's Anki review log (sorted by time) onto ProofDeck's revlog rows. The rating is
 * Anki's ease (1..4; 0 = a manual reschedule, as in ts-fsrs), read from a v1 package as Anki's own
 * upgrade rewrites it (`ratingFromAnkiReview`: a learning Good was v1's 2); the state before the answer follows
 * Anki's revlog type (0 learn → new for the first answer, else learning; 1 review; 2 relearn);
 * Anki's `ivl` (days, or negative seconds) gives the due time the answer produced. Stability and
 * difficulty are unknown for SM-2 history (0): the FSRS optimizer needs only ratings and times.
 */
export function mapAnkiReviews(rows: AnkiReviewRow[], ord: number, schedulerVersion: 1 | 2 = 2): ExchangeReview[] {
  const reviews: ExchangeReview[] = [];
  let previous: number | null = null;
  let previousElapsed = 0;
  rows.forEach((row, index) => {
    const state = row.type === 1 ? 2 : row.type === 2 ? 3 : index === 0 ? 0 : 1;
    const intervalMs = row.ivl > 0 ? row.ivl * DAY_MS : -row.ivl * 1000;
    const elapsed = previous === null ? 0 : Math.max(0, Math.floor((row.id - previous) / DAY_MS));
    reviews.push({
      ord,
      id: row.id,
      rating: ratingFromAnkiReview(row.ease, row.type, schedulerVersion),
      state,
      due: row.id + intervalMs,
      stability: 0,
      difficulty: 0,
      elapsedDays: elapsed,
      lastElapsedDays: previousElapsed,
      scheduledDays: row.ivl > 0 ? row.ivl : 0,
      learningSteps: 0,
      durationMs: Math.max(0, Math.min(row.time, 3_600_000)),
    });
    previous = row.id;
    previousElapsed = elapsed;
  });
  return reviews;
}

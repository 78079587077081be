import type { ExchangeCard, ExchangeReview } from '../types';

const DAY_MS = 86_400_000;

/** The columns of an Anki `cards` row that scheduling needs. */
export interface AnkiCardRow {
  id: number;
  ord: number;
  type: number;
  queue: number;
  due: number;
  ivl: number;
  factor: number;
  reps: number;
  lapses: number;
  data: string;
}

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
 * - state: Anki's card type is ts-fsrs's State (0 new, 1 learning, 2 review, 3 relearning).
 * - due: new cards are due now (their Anki position becomes the order of introduction);
 *   learning cards (queue 1/4) carry a Unix time in seconds; review and day-learning cards carry
 *   a day number counted from the collection's creation day (`col.crt`).
 * - stability/difficulty: Anki ≥ 23.10 with FSRS keeps them in `cards.data` (`s`, `d`); otherwise
 *   stability is the SM-2 interval in days (both are "days until recall falls to ~90%") and
 *   difficulty comes from the ease factor.
 * - suspended: queue -1. Buried cards (queue -2/-3) come in unburied.
 */
export function mapAnkiCard(card: AnkiCardRow, collectionCreatedSeconds: number, lastReviewMs: number | null, now: number): ExchangeCard {
  let memory: { s?: number; d?: number } = {};
  try {
    const parsed: unknown = card.data ? JSON.parse(card.data) : {};
    if (parsed && typeof parsed === 'object') memory = parsed as { s?: number; d?: number };
  } catch {
    // cards.data is free-form in old collections; nothing to recover from it
  }
  const state = card.type >= 0 && card.type <= 3 ? card.type : 0;
  let due: number;
  if (state === 0) due = now;
  else if (card.queue === 1 || card.queue === 4) due = card.due * 1000;
  else due = (collectionCreatedSeconds + card.due * 86_400) * 1000;
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
    suspended: card.queue === -1,
  };
}

/**
 * Maps one card's Anki review log (sorted by time) onto ProofDeck's revlog rows. The rating is
 * Anki's ease (1..4; 0 = a manual reschedule, as in ts-fsrs); the state before the answer follows
 * Anki's revlog type (0 learn → new for the first answer, else learning; 1 review; 2 relearn);
 * Anki's `ivl` (days, or negative seconds) gives the due time the answer produced. Stability and
 * difficulty are unknown for SM-2 history (0): the FSRS optimizer needs only ratings and times.
 */
export function mapAnkiReviews(rows: AnkiReviewRow[], ord: number): ExchangeReview[] {
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
      rating: row.ease >= 0 && row.ease <= 4 ? row.ease : 0,
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

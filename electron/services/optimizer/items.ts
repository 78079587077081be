/** Where the answers come from: [card id, time, rating, state before], by card and time. */
export interface HistorySource {
  iterateHistories(): IterableIterator<[number, number, number, number]>;
}

const DAY_MS = 86_400_000;

/** One card's answers in order, as the optimizer sees them: rating and study days since the previous answer. */
export interface ReviewSequence {
  cardId: number;
  reviews: { rating: number; deltaDays: number }[];
}

/**
 * Reads the review log into per-card sequences. Days are study days (the day starts at
 * `dayStartHour` local time, given as `dayStartOffsetMs` from UTC midnight), so two answers on the
 * same study day have delta 0, as FSRS expects. Only cards whose history starts with a new-card
 * answer (state 0) are used: a history that starts midway cannot be replayed.
 */
export function readSequences(revlog: HistorySource, dayStartOffsetMs: number): ReviewSequence[] {
  const rows = revlog.iterateHistories();
  const sequences: ReviewSequence[] = [];
  let current: ReviewSequence | null = null;
  let lastDay = 0;
  let usable = false;
  for (const [cardId, time, rating, state] of rows) {
    const day = Math.floor((time - dayStartOffsetMs) / DAY_MS);
    if (!current || current.cardId !== cardId) {
      if (current && usable) sequences.push(current);
      current = { cardId, reviews: [] };
      usable = state === 0;
      lastDay = day;
    }
    current.reviews.push({ rating, deltaDays: current.reviews.length === 0 ? 0 : day - lastDay });
    lastDay = day;
  }
  if (current && usable) sequences.push(current);
  return sequences;
}

/** How many training items a set of sequences yields (one per answer after the first). */
export function countItems(sequences: ReviewSequence[]): number {
  return sequences.reduce((n, s) => n + Math.max(0, s.reviews.length - 1), 0);
}

import { default_w, forgetting_curve } from 'ts-fsrs';
import type { CardInfo, CardInfoReview, Rating } from '../../../src/shared/contract';
import { isMarked } from '../../../src/shared/contract/card-info';
import { defaultPresetConfig, defaultPresetId } from '../../../src/shared/contract/presets';
import { AppError } from '../../../src/shared/errors';
import type { ServiceContext } from '../context';
import type { CardRow } from '../store/cards';
import type { ReviewRow } from '../store/revlog';
import { createScheduler } from '../scheduler/fsrs';

const DAY_MS = 86_400_000;
/**
 * Points of the recall curve between two answers: enough for a smooth line, fewer as the history
 * grows so the whole curve stays near `maxPoints`; a gap always keeps its two ends (the drop at
 * each answer is what the chart shows).
 */
const pointsPerGap = 24;
const maxPoints = 1_200;
/** How far past now the curve goes when the card is due later: its next due date, within a year. */
const maxFutureMs = 365 * DAY_MS;

/** A card before its first answer, as the replay starts it. */
function newCard(id: number, at: number): CardRow {
  return {
    id, note_id: 0, ord: 0, due: at, stability: 0, difficulty: 0, elapsed_days: 0, scheduled_days: 0, learning_steps: 0,
    reps: 0, lapses: 0, state: 0, last_review: null, suspended: 0, buried_until: null, new_position: 0, flags: 0,
  };
}

/**
 * Replays a card's review log with FSRS (the user's weights and steps, no fuzz: the same history
 * gives the same figures): the memory state after each answer and the recall probability just
 * before it. A manual reschedule (rating 0) leaves the memory state as it was.
 */
export function replayReviews(reviews: readonly ReviewRow[], weights: readonly number[], schedule: (card: CardRow, at: number, rating: Rating) => CardRow): CardInfoReview[] {
  let card = newCard(0, reviews[0]?.id ?? 0);
  return reviews.map((review) => {
    const retrievability = card.last_review !== null && card.stability > 0 ? forgetting_curve(weights as number[], Math.max(0, review.id - card.last_review) / DAY_MS, card.stability) : null;
    if (review.rating >= 1 && review.rating <= 4) card = schedule(card, review.id, review.rating as Rating);
    return {
      at: review.id,
      rating: review.rating,
      state: review.state,
      intervalDays: Math.max(0, review.due - review.id) / DAY_MS,
      durationMs: review.duration_ms,
      stability: card.stability,
      difficulty: card.difficulty,
      retrievability,
    };
  });
}

/** Recall probability from the first answer until `end`: 1 at each answer, falling with that answer's stability. */
export function recallCurve(reviews: readonly CardInfoReview[], weights: readonly number[], end: number): { at: number; r: number }[] {
  const answered = reviews.filter((r) => r.rating >= 1 && r.stability > 0);
  const gaps = Math.max(1, answered.length);
  const perGap = Math.max(1, Math.min(pointsPerGap, Math.floor(maxPoints / gaps)));
  const curve: { at: number; r: number }[] = [];
  answered.forEach((review, index) => {
    const until = index + 1 < answered.length ? answered[index + 1].at : Math.max(end, review.at);
    for (let k = 0; k <= perGap; k++) {
      const at = review.at + ((until - review.at) * k) / perGap;
      curve.push({ at: Math.round(at), r: forgetting_curve(weights as number[], (at - review.at) / DAY_MS, review.stability) });
    }
  });
  return curve;
}

/** A card's info (Anki's Card Info): the card, its memory state now, every answer replayed with FSRS, and the recall curve. */
export function cardInfo(ctx: ServiceContext, cardId: number): CardInfo {
  const card = ctx.store.cards.byId(cardId);
  const note = card && ctx.store.notes.byId(card.note_id);
  if (!card || !note) throw new AppError('not-found', `card ${cardId} does not exist`, { cardId });
  const now = ctx.now();
  // The card's deck's preset: its weights, retention and steps, as its answers were scheduled.
  const presetId = ctx.store.presets.presetOfCard(card.id);
  const config = (ctx.store.presets.byId(presetId) ?? ctx.store.presets.byId(defaultPresetId))?.config ?? defaultPresetConfig;
  const weights = config.fsrsWeights ?? default_w;
  const scheduler = createScheduler(config, { fuzz: false });
  const reviews = replayReviews(ctx.store.revlog.ofCard(cardId), weights, (row, at, rating) => ({ ...row, ...scheduler.answer(row, at, rating).card }));
  const reviewed = card.state !== 0 && card.stability > 0;
  const end = Math.min(now + maxFutureMs, Math.max(now, card.state !== 0 ? card.due : now));
  return {
    cardId: card.id,
    noteId: note.id,
    deck: ctx.store.decks.byId(note.deckId)?.name ?? '',
    question: note.front.slice(0, 300),
    added: note.created,
    state: card.state,
    due: card.due,
    reps: card.reps,
    lapses: card.lapses,
    flag: card.flags,
    marked: isMarked(note.tags),
    suspended: card.suspended === 1,
    stability: reviewed ? card.stability : null,
    difficulty: reviewed ? card.difficulty : null,
    retrievability: reviewed && card.last_review !== null ? forgetting_curve(weights as number[], Math.max(0, now - card.last_review) / DAY_MS, card.stability) : null,
    reviews,
    curve: recallCurve(reviews, weights, end),
    now,
  };
}

import { AppError } from '../../../src/shared/errors';
import type { Rating } from '../../../src/shared/contract';
import type { ServiceContext } from '../context';
import type { CardRow } from '../store/cards';
import { studyDay } from '../scheduler/study-day';
import { undoable } from '../undo/undo';

export function loadCard(ctx: ServiceContext, cardId: number): CardRow {
  const row = ctx.store.cards.byId(cardId);
  if (!row) throw new AppError('not-found', `card ${cardId} does not exist`, { cardId });
  return row;
}

/** The end of the study day `now` falls in: buried cards come back then. */
export function endOfStudyDay(ctx: ServiceContext, now: number): number {
  return studyDay(now, ctx.settings.get().dayStartHour, ctx.timeZone).end;
}

/**
 * Records an answer: the card's new schedule and its review-log row in one transaction, as one
 * operation of the undo history. After it, the note's other new and review cards that are not
 * buried or suspended yet are buried until the next study day (Anki's "bury siblings"; learning
 * cards keep their steps), and undo brings them back with the card. Once this returns, the answer
 * is in the WAL and survives a kill.
 * @returns the card's new due time.
 */
export function recordAnswer(ctx: ServiceContext, cardId: number, rating: Rating, durationMs: number): number {
  const now = ctx.now();
  return undoable(
    ctx,
    'answer',
    () => {
      const before = loadCard(ctx, cardId);
      if (ctx.settings.get().burySiblings) {
        const siblings = ctx.store.cards.siblingsToBury(cardId, now);
        if (siblings.length) ctx.store.cards.bury(siblings, endOfStudyDay(ctx, now));
      }
      const { card, log } = ctx.scheduler().answer(before, now, rating);
      ctx.store.cards.answer(cardId, card);
      ctx.store.revlog.insertAnswer(
        {
          card_id: cardId,
          rating,
          state: before.state,
          due: card.due,
          stability: card.stability,
          difficulty: card.difficulty,
          elapsed_days: log.elapsed_days,
          last_elapsed_days: log.last_elapsed_days,
          scheduled_days: card.scheduled_days,
          learning_steps: card.learning_steps,
          duration_ms: durationMs,
        },
        now,
      );
      return card.due;
    },
    { count: 1, rating, cardId },
  );
}

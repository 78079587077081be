import { AppError } from '../../../src/shared/errors';
import type { Handlers } from '../dispatch';
import type { ServiceContext } from '../context';
import { studyDay } from '../scheduler/study-day';
import { recordAnswer, undoLastAnswer } from './answer';
import { nextReviewCard } from './review-card';
import { countsOf, currentQueue, todaySummary } from './today';

type ReviewMethods = 'review.today' | 'review.next' | 'review.answer' | 'review.undo' | 'review.suspend' | 'review.bury';

function requireChange(changes: number, cardId: number): void {
  if (changes === 0) throw new AppError('not-found', `card ${cardId} does not exist`, { cardId });
}

/** The daily review loop: today's queue, the next card, answers and their undo, suspend and bury. */
export function reviewHandlers(ctx: ServiceContext): Pick<Handlers, ReviewMethods> {
  return {
    'review.today': () => todaySummary(ctx),
    'review.next': ({ locale, deckId }) => nextReviewCard(ctx, locale, deckId),
    'review.answer': ({ cardId, rating, durationMs }) => {
      const due = recordAnswer(ctx, cardId, rating, durationMs);
      return { counts: countsOf(currentQueue(ctx)), due };
    },
    'review.undo': () => ({ cardId: undoLastAnswer(ctx) }),
    'review.suspend': ({ cardId, suspended }) => {
      requireChange(ctx.sql.run(`UPDATE cards SET suspended = ? WHERE id = ?`, suspended ? 1 : 0, cardId).changes, cardId);
      return { counts: countsOf(currentQueue(ctx)) };
    },
    'review.bury': ({ cardId }) => {
      const { end } = studyDay(ctx.now(), ctx.settings.get().dayStartHour, ctx.timeZone);
      requireChange(ctx.sql.run(`UPDATE cards SET buried_until = ? WHERE id = ?`, end, cardId).changes, cardId);
      return { counts: countsOf(currentQueue(ctx)) };
    },
  };
}

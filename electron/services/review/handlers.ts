import { AppError } from '../../../src/shared/errors';
import type { Handlers } from '../dispatch';
import type { ServiceContext } from '../context';
import { undoable } from '../undo/undo';
import { endOfStudyDay, recordAnswer } from './answer';
import { nextReviewCard } from './review-card';
import { countsOf, currentQueue, todaySummary } from './today';

type ReviewMethods = 'review.today' | 'review.next' | 'review.answer' | 'review.suspend' | 'review.bury';

function requireChange(changes: number, cardId: number): void {
  if (changes === 0) throw new AppError('not-found', `card ${cardId} does not exist`, { cardId });
}

/** The daily review loop: today's queue, the next card, answers, suspend and bury (each an operation of the undo history). */
export function reviewHandlers(ctx: ServiceContext): Pick<Handlers, ReviewMethods> {
  return {
    'review.today': () => todaySummary(ctx),
    'review.next': ({ locale, cardId, deckId }) => nextReviewCard(ctx, locale, { cardId, deckId }),
    'review.answer': ({ cardId, rating, durationMs }) => {
      const due = recordAnswer(ctx, cardId, rating, durationMs);
      return { counts: countsOf(currentQueue(ctx)), due };
    },
    'review.suspend': ({ cardId, suspended }) => {
      undoable(
        ctx,
        suspended ? 'suspend' : 'unsuspend',
        () => requireChange(ctx.store.cards.suspend([cardId], suspended), cardId),
        { count: 1, cardId },
      );
      return { counts: countsOf(currentQueue(ctx)) };
    },
    'review.bury': ({ cardId }) => {
      const until = endOfStudyDay(ctx, ctx.now());
      undoable(ctx, 'bury', () => requireChange(ctx.store.cards.bury([cardId], until), cardId), { count: 1, cardId });
      return { counts: countsOf(currentQueue(ctx)) };
    },
  };
}

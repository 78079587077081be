import { default_w } from 'ts-fsrs';
import type { Handlers } from '../dispatch';
import type { ServiceContext } from '../context';
import { studyDay } from '../scheduler/study-day';
import { parseQuery } from './query';
import { applyBulk } from './bulk';
import { cardInfo } from './card-info';
import { flagCards, markNote } from './marks';

/** The card browser: search, one change to many cards; a card's info, flags and marks (Browse and Review). */
export function cardHandlers(ctx: ServiceContext): Pick<Handlers, 'cards.search' | 'cards.bulk' | 'cards.info' | 'cards.flag' | 'notes.mark'> {
  // Read before each search: the weights are the Default preset's row, and SQLite cannot run a
  // statement from inside a function called by the search's own.
  let weights: readonly number[] = default_w;
  ctx.store.search.registerRetrievability(() => weights);
  return {
    'cards.search': ({ query, ...page }) => {
      const t0 = performance.now();
      weights = ctx.settings.get().fsrsWeights ?? default_w;
      const now = ctx.now();
      const nextDayStart = studyDay(now, ctx.settings.get().dayStartHour, ctx.timeZone).end;
      const found = ctx.store.search.search({ ...page, terms: parseQuery(query), now, nextDayStart });
      return { ...found, ms: performance.now() - t0 };
    },
    'cards.bulk': ({ cardIds, change }) => applyBulk(ctx, cardIds, change),
    'cards.info': ({ cardId }) => cardInfo(ctx, cardId),
    'cards.flag': ({ cardIds, flag }) => flagCards(ctx, cardIds, flag),
    'notes.mark': ({ noteId, marked }) => markNote(ctx, noteId, marked),
  };
}

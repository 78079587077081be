import { default_w } from 'ts-fsrs';
import type { Handlers } from '../dispatch';
import type { ServiceContext } from '../context';
import { studyDay } from '../scheduler/study-day';
import { registerRetrievability, searchCards } from './search';
import { applyBulk, undoBulk } from './bulk';

/** The card browser: search, and one change to many cards. */
export function cardHandlers(ctx: ServiceContext): Pick<Handlers, 'cards.search' | 'cards.bulk' | 'cards.undoBulk'> {
  registerRetrievability(ctx.db, () => ctx.settings.get().fsrsWeights ?? default_w);
  return {
    'cards.search': (args) => {
      const t0 = performance.now();
      const nextDayStart = studyDay(ctx.now(), ctx.settings.get().dayStartHour, ctx.timeZone).end;
      const page = searchCards(ctx.db, { ...args, now: ctx.now(), nextDayStart });
      return { ...page, ms: performance.now() - t0 };
    },
    'cards.bulk': ({ cardIds, change }) => applyBulk(ctx, cardIds, change),
    'cards.undoBulk': ({ undoToken }) => undoBulk(ctx, undoToken),
  };
}

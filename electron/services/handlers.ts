import type { Handlers } from './dispatch';
import type { ServiceContext } from './context';
import { reviewHandlers } from './review/review-handlers';
import { deckListHandlers } from './review/deck-list';
import { deckExchangeHandlers } from './decks/exchange-handlers';
import { settingsHandlers } from './settings/settings-handlers';
import { libraryHandlers } from './library/library-handlers';
import { experimentHandlersFor } from './experiments/handlers';

/** The handlers that need an open database. `app.*` and `decks.openedFiles` are answered by createServices (they work without one). */
export type DatabaseHandlers = Omit<Handlers, 'app.info' | 'app.resetDatabase' | 'decks.openedFiles'>;

/**
 * Every area's handlers over one ServiceContext. To add an area: declare its methods in the
 * contract and add its spread here, one line, in the same change (Handlers needs every method).
 */
export function createHandlers(ctx: ServiceContext): DatabaseHandlers {
  return {
    ...settingsHandlers(ctx),
    ...reviewHandlers(ctx),
    ...deckListHandlers(ctx),
    ...deckExchangeHandlers(ctx),
    ...libraryHandlers(ctx),
    ...experimentHandlersFor(ctx),
  };
}

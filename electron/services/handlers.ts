import type { Handlers } from './dispatch';
import type { ServiceContext } from './context';
import { reviewHandlers } from './review/handlers';
import { deckHandlers } from './decks/handlers';
import { deckOpsHandlers } from './decks/ops-handlers';
import { settingsHandlers } from './settings/handlers';
import { cardHandlers } from './cards/handlers';
import { noteHandlers } from './notes/handlers';
import { statsHandlers } from './stats/handlers';
import { optimizerHandlers } from './optimizer/handlers';
import { backupHandlers } from './backup/handlers';
import { experimentHandlersFor } from './experiments/handlers';
import { undoHandlers } from './undo/handlers';
import { presetHandlers } from './presets/handlers';

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
    ...deckHandlers(ctx),
    ...deckOpsHandlers(ctx),
    ...cardHandlers(ctx),
    ...noteHandlers(ctx),
    ...statsHandlers(ctx),
    ...optimizerHandlers(ctx),
    ...backupHandlers(ctx),
    ...experimentHandlersFor(ctx),
    ...undoHandlers(ctx),
    ...presetHandlers(ctx),
  };
}

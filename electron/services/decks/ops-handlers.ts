import type { Handlers } from '../dispatch';
import type { ServiceContext } from '../context';
import { createDeck, deleteDeck, moveDeck, renameDeck } from './deck-ops';

/** Deck operations (create, rename, move, delete), each an operation of the undo history. */
export function deckOpsHandlers(ctx: ServiceContext): Pick<Handlers, 'decks.create' | 'decks.rename' | 'decks.move' | 'decks.delete'> {
  return {
    'decks.create': ({ name }) => createDeck(ctx, name),
    'decks.rename': ({ deckId, name }) => renameDeck(ctx, deckId, name),
    'decks.move': ({ deckId, parentId }) => moveDeck(ctx, deckId, parentId),
    'decks.delete': ({ deckId }) => deleteDeck(ctx, deckId),
  };
}

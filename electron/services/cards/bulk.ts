import type { z } from 'zod';
import type { BulkAction } from '../../../src/shared/contract/library';
import type { UndoKind } from '../../../src/shared/contract';
import { AppError } from '../../../src/shared/errors';
import type { ServiceContext } from '../context';
import { undoable } from '../undo/undo';

type Change = z.infer<typeof BulkAction>;

const kinds: Record<Change['action'], UndoKind> = {
  suspend: 'suspend',
  unsuspend: 'unsuspend',
  move: 'move',
  tag: 'tag',
  untag: 'untag',
  reset: 'forget',
  delete: 'delete',
  flag: 'flag',
};

/**
 * Applies one change to many cards in one transaction, as one operation of the undo history.
 * Tags live on notes, so tag changes apply to the notes of the selected cards; delete removes the
 * selected cards with their review log, and any note left without a card.
 */
export function applyBulk(ctx: ServiceContext, cardIds: number[], change: Change): { affected: number } {
  const ids = [...new Set(cardIds)];
  const { cards, notes, decks } = ctx.store;
  const deck = change.action === 'move' ? decks.byId(change.deckId) : undefined;
  const name = change.action === 'move' ? deck?.name : change.action === 'tag' || change.action === 'untag' ? change.tag : undefined;
  return undoable(
    ctx,
    kinds[change.action],
    () => {
      const existing = cards.countExisting(ids);
      if (existing !== ids.length) throw new AppError('not-found', `${ids.length - existing} of the selected cards no longer exist`);
      const noteIds = cards.noteIdsOf(ids);
      const now = ctx.now();
      switch (change.action) {
        case 'suspend':
        case 'unsuspend':
          cards.suspend(ids, change.action === 'suspend');
          break;
        case 'move':
          if (!deck) throw new AppError('not-found', `deck ${change.deckId} does not exist`);
          notes.moveAll(noteIds, deck.id, now);
          break;
        case 'tag':
        case 'untag':
          for (const noteId of noteIds) {
            const tags = new Set(notes.byId(noteId)!.tags);
            if (change.action === 'tag') tags.add(change.tag);
            else tags.delete(change.tag);
            notes.setTags(noteId, [...tags], now);
          }
          break;
        case 'reset':
          cards.forget(ids, now);
          break;
        case 'delete':
          cards.delete(ids);
          notes.deleteCardless(noteIds);
          break;
        case 'flag':
          cards.setFlag(ids, change.flag);
          break;
      }
      return { affected: ids.length };
    },
    ({ affected }) => ({ count: affected, ...(name !== undefined ? { name } : {}) }),
  );
}

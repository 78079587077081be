import { isMarked, markedTag } from '../../../src/shared/contract/card-info';
import { AppError } from '../../../src/shared/errors';
import type { ServiceContext } from '../context';
import { undoable } from '../undo/undo';

/**
 * Flags cards (Ctrl+1…7 in review, the bulk bar in Browse) as one operation of the undo history.
 * Cards that already have the flag are left alone and not counted. @returns how many changed.
 */
export function flagCards(ctx: ServiceContext, cardIds: readonly number[], flag: number): { affected: number } {
  const ids = [...new Set(cardIds)];
  return undoable(
    ctx,
    'flag',
    () => {
      const existing = ctx.store.cards.countExisting(ids);
      if (existing !== ids.length) throw new AppError('not-found', `${ids.length - existing} of the cards no longer exist`);
      return { affected: ctx.store.cards.setFlag(ids, flag) };
    },
    ({ affected }) => ({ count: affected, ...(ids.length === 1 ? { cardId: ids[0] } : {}) }),
  );
}

/**
 * Marks or unmarks a note as Anki does: the tag `marked` (any case) added or removed, one
 * operation of the undo history. Marking a marked note changes nothing.
 */
export function markNote(ctx: ServiceContext, noteId: number, marked: boolean): { marked: boolean } {
  return undoable(
    ctx,
    marked ? 'mark' : 'unmark',
    () => {
      const note = ctx.store.notes.byId(noteId);
      if (!note) throw new AppError('not-found', `note ${noteId} does not exist`, { noteId });
      if (isMarked(note.tags) !== marked) {
        const tags = marked ? [...note.tags, markedTag] : note.tags.filter((tag) => tag.toLowerCase() !== markedTag);
        ctx.store.notes.setTags(noteId, tags, ctx.now());
      }
      return { marked };
    },
    { count: 1 },
  );
}

import { z } from 'zod';
import { method } from './define';

/** What an operation of the undo history was. */
export const UndoKind = z.enum(['answer', 'bury', 'suspend', 'unsuspend', 'add-note', 'edit-note', 'delete', 'move', 'tag', 'untag', 'forget', 'import', 'create-deck', 'rename-deck', 'move-deck', 'delete-deck', 'flag', 'mark', 'unmark', 'preset-create', 'preset-update', 'preset-delete', 'preset-assign']);
export type UndoKind = z.infer<typeof UndoKind>;

/** An operation as the UI names it ("Undo delete 12 cards"). */
export const UndoStep = z.object({
  kind: UndoKind,
  /** Cards it touched (notes for an import). */
  count: z.number().int().nonnegative(),
  /** The deck (move, import, the deck operations: its name after the operation) or tag (tag, untag) it was about. */
  name: z.string().optional(),
  /** The grade of an answer. */
  rating: z.number().int().optional(),
  /** The one card it was about (answer, bury, suspend from Review), for the review screen to show again. */
  cardId: z.number().int().nullable(),
  /** When it was done (ms since the epoch). */
  at: z.number(),
});
export type UndoStep = z.infer<typeof UndoStep>;

/** The operation undo would take back, and the one redo would do again. */
export const UndoState = z.object({ undo: UndoStep.nullable(), redo: UndoStep.nullable() });
export type UndoState = z.infer<typeof UndoState>;

export const undoContract = {
  /** What undo and redo would do now. The history is in the database: it survives a restart. */
  'undo.state': method(z.object({}).strict(), UndoState),
  /** Takes back the newest operation (`nothing-to-undo` when there is none). */
  'undo.undo': method(z.object({}).strict(), z.object({ step: UndoStep, state: UndoState })),
  /** Does the operation undone last again (`nothing-to-redo` when there is none; a new operation ends redo). */
  'undo.redo': method(z.object({}).strict(), z.object({ step: UndoStep, state: UndoState })),
};

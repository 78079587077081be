import type { UndoKind, UndoState, UndoStep } from '../../../src/shared/contract';
import type { ServiceContext } from '../context';
import type { UndoEntry } from '../store/undo';

/** What names an operation: how many cards (or notes) it touched, the deck or tag, the card it was about. */
export interface UndoName {
  count: number;
  name?: string;
  rating?: number;
  cardId?: number;
}

/**
 * Runs `work` as one operation of the undo history (store/undo.ts): in one transaction, with
 * every row it changes recorded so that `undo.undo` takes it all back and `undo.redo` does it
 * again. `name` says what it was ("delete 12 cards"): from its result, or as known beforehand.
 */
export function undoable<T>(ctx: ServiceContext, kind: UndoKind, work: () => T, name: UndoName | ((result: T) => UndoName)): T {
  const params = (value: UndoName): UndoEntry['params'] => ({ ...value });
  return ctx.store.undo.record(kind, ctx.now(), work, typeof name === 'function' ? (result: T) => params(name(result)) : params(name));
}

function toStep(entry: UndoEntry): UndoStep {
  const { count, name, rating, cardId } = entry.params;
  return {
    kind: entry.kind as UndoKind,
    count: typeof count === 'number' ? count : 1,
    ...(typeof name === 'string' ? { name } : {}),
    ...(typeof rating === 'number' ? { rating } : {}),
    cardId: typeof cardId === 'number' ? cardId : null,
    at: entry.created,
  };
}

/** What undo and redo would do now. */
export function undoState(ctx: ServiceContext): UndoState {
  const { undo, redo } = ctx.store.undo.peek();
  return { undo: undo && toStep(undo), redo: redo && toStep(redo) };
}

/** Takes back the newest operation; null when there is none. */
export function undoLast(ctx: ServiceContext): UndoStep | null {
  const entry = ctx.store.undo.undo();
  return entry && toStep(entry);
}

/** Does the operation undone last again; null when there is none. */
export function redoLast(ctx: ServiceContext): UndoStep | null {
  const entry = ctx.store.undo.redo();
  return entry && toStep(entry);
}

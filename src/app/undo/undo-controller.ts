import type { Api, UndoStep } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { Translate } from '../../shared/i18n';
import type { Notice } from '../AppContext';

export type UndoDirection = 'undo' | 'redo';

/** An operation just taken back or done again. */
export interface UndoApplied {
  direction: UndoDirection;
  step: UndoStep;
}

/**
 * The one undo of the UI, over the services' history (`undo.*`): every screen's keys, the
 * notices' Undo and Redo buttons and the review screen's button call it, and screens listen to
 * refresh what an undo changed.
 */
export interface UndoController {
  /** Takes back the newest operation; null when there was nothing (said in a notice) or it failed. */
  undo(): Promise<UndoApplied | null>;
  redo(): Promise<UndoApplied | null>;
  /** A notice for an action just done, with an Undo button. */
  offer(text: string): void;
  /** Calls `listener` after each undo or redo, wherever it came from. */
  onApplied(listener: (applied: UndoApplied) => void): () => void;
}

/** "delete 12 cards": what an operation was, in the user's language. */
export function describeStep(t: Translate, step: UndoStep): string {
  return t.dynamic(`undo.op.${step.kind}`, { count: step.count, name: step.name ?? '' });
}

export function createUndoController(api: Api, t: Translate, notify: (notice: Notice) => void, showError: (error: unknown) => void): UndoController {
  const listeners = new Set<(applied: UndoApplied) => void>();
  // One step at a time, in the order asked: three quick presses take back three operations.
  let queue: Promise<unknown> = Promise.resolve();
  const controller: UndoController = {
    undo: () => apply('undo'),
    redo: () => apply('redo'),
    offer(text) {
      notify({ text, action: { label: t('undo.action.undo'), run: () => void controller.undo() } });
    },
    onApplied(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  function apply(direction: UndoDirection): Promise<UndoApplied | null> {
    const next = queue.then(() => run(direction));
    queue = next;
    return next;
  }
  async function run(direction: UndoDirection): Promise<UndoApplied | null> {
    try {
      const { step } = await (direction === 'undo' ? api['undo.undo']({}) : api['undo.redo']({}));
      const op = describeStep(t, step);
      const again: UndoDirection = direction === 'undo' ? 'redo' : 'undo';
      notify({
        text: t(direction === 'undo' ? 'undo.undone' : 'undo.redone', { op }),
        action: { label: t(again === 'redo' ? 'undo.action.redo' : 'undo.action.undo'), run: () => void apply(again) },
      });
      const applied = { direction, step };
      for (const listener of listeners) listener(applied);
      return applied;
    } catch (error) {
      if (error instanceof AppError && (error.code === 'nothing-to-undo' || error.code === 'nothing-to-redo')) notify({ text: t.dynamic(`errors.${error.code}`) });
      else showError(error);
      return null;
    }
  }
  return controller;
}

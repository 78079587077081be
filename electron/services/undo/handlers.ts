import { AppError } from '../../../src/shared/errors';
import type { Handlers } from '../dispatch';
import type { ServiceContext } from '../context';
import { redoLast, undoLast, undoState } from './undo';

/** The one undo of the app: every screen's `u` / Ctrl+Z, Ctrl+Shift+Z / Ctrl+Y and the notices' Undo. */
export function undoHandlers(ctx: ServiceContext): Pick<Handlers, 'undo.state' | 'undo.undo' | 'undo.redo'> {
  return {
    'undo.state': () => undoState(ctx),
    'undo.undo': () => {
      const step = undoLast(ctx);
      if (!step) throw new AppError('nothing-to-undo', 'there is nothing to undo');
      return { step, state: undoState(ctx) };
    },
    'undo.redo': () => {
      const step = redoLast(ctx);
      if (!step) throw new AppError('nothing-to-redo', 'there is nothing to redo');
      return { step, state: undoState(ctx) };
    },
  };
}

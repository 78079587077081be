import { isEditable, useKeydown } from '../keyboard';
import type { UndoController } from './undo-controller';

/** Undo and redo keys: `u` and Ctrl/Cmd+Z undo; Ctrl/Cmd+Shift+Z and Ctrl+Y redo. */
export function undoKeyOf(event: KeyboardEvent): 'undo' | 'redo' | null {
  const key = event.key.toLowerCase();
  const command = (event.ctrlKey || event.metaKey) && !event.altKey;
  if (command && key === 'z') return event.shiftKey ? 'redo' : 'undo';
  if (command && key === 'y' && !event.shiftKey) return 'redo';
  if (key === 'u' && !event.ctrlKey && !event.metaKey && !event.altKey) return 'undo';
  return null;
}

/**
 * The keys on every screen. A screen that handles them itself (Review, which shows the card an
 * undo brings back) prevents the default first; typing in a field keeps its own undo.
 */
export function useUndoKeys(undo: UndoController): void {
  useKeydown((event) => {
    if (event.defaultPrevented || isEditable(event.target)) return;
    const which = undoKeyOf(event);
    if (!which) return;
    event.preventDefault();
    // A held key takes back one operation, not one per repeat.
    if (event.repeat) return;
    void (which === 'undo' ? undo.undo() : undo.redo());
  });
}

import { useEffect, useRef } from 'react';

/** True where typing goes into a field: shortcuts stay out of the way there. */
export function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  const type = (target as HTMLInputElement).type;
  return !['button', 'checkbox', 'radio', 'range', 'reset', 'submit', 'color'].includes(type);
}

/** True where Enter/Space already activate the focused element (buttons, links, radios). */
export function isActivatable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.closest('button, a[href], summary, [role="button"], [role="link"], [role="radio"], [role="tab"]')) return true;
  return target.tagName === 'INPUT';
}

/** A key press without Ctrl, Alt or Meta (Shift is part of the character: '?', '@'). */
export function isPlainKey(event: KeyboardEvent): boolean {
  return !event.ctrlKey && !event.altKey && !event.metaKey;
}

/**
 * Listens to key presses on the window while mounted. The handler may change between renders
 * without re-subscribing. `capture` runs before other listeners (the shell uses it for `g` chords).
 */
export function useKeydown(handler: (event: KeyboardEvent) => void, options: { capture?: boolean; enabled?: boolean } = {}): void {
  const latest = useRef(handler);
  latest.current = handler;
  const { capture = false, enabled = true } = options;
  useEffect(() => {
    if (!enabled) return;
    const listener = (event: KeyboardEvent) => latest.current(event);
    window.addEventListener('keydown', listener, { capture });
    return () => window.removeEventListener('keydown', listener, { capture });
  }, [capture, enabled]);
}

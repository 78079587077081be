import { Suspense, useCallback, useEffect, useRef, useState } from 'react';
import { useApp, type Notice, type ScreenParams } from './AppContext';
import { CommandPalette } from './components/CommandPalette';
import { KeyboardHelp } from './components/KeyboardHelp';
import { Kbd } from './components/Kbd';
import { Notices } from './components/Notices';
import { isEditable, isPlainKey, useKeydown } from './keyboard';
import { screens } from './screens';
import { collectOpenedFiles } from './decks/opened-files';
import { useUndoKeys } from './undo/useUndoKeys';

interface ShellProps {
  screen: string;
  params: ScreenParams;
  notices: (Notice & { id: number })[];
  dismiss(id: number): void;
}

/** How long `g` waits for the screen's letter. */
const chordTimeoutMs = 1500;

/** The window: navigation on the left, the current screen, notices; `g <letter>` and `?` keys. */
export function Shell({ screen, params, notices, dismiss }: ShellProps) {
  const { t, navigate, client, undo } = useApp();
  const [helpOpen, setHelpOpen] = useState(false);
  const [paletteOpen, setPaletteOpen] = useState(false);

  // Deck files opened from the OS (double-click, dock icon, `--open`): taken from the host once
  // at start (they may have come before this listened) and on every `open-file`; they wait in
  // the queue until the Decks screen's import panel shows their preview.
  const navigateRef = useRef(navigate);
  navigateRef.current = navigate;
  useEffect(() => {
    const take = () => void collectOpenedFiles(client).then((count) => count > 0 && navigateRef.current('decks'));
    const off = client.on('menu', ({ command }) => command === 'open-file' && take());
    take();
    return off;
  }, [client]);

  // File › Import… in the Electron app menu: open the Decks screen, where the import panel is.
  useEffect(
    () =>
      client.on('menu', ({ command }) => {
        if (command === 'import') navigate('decks');
        else if (command === 'undo' || command === 'redo') {
          // The menu took Ctrl/Cmd+Z (or +Shift): undo typing in a field, else hand the key to the
          // screen and the undo keys below, as if the page had seen it.
          if (isEditable(document.activeElement)) document.execCommand(command);
          else window.dispatchEvent(new KeyboardEvent('keydown', { key: 'z', ctrlKey: true, shiftKey: command === 'redo', bubbles: true, cancelable: true }));
        }
      }),
    [client, navigate],
  );
  const [chordPending, setChordPending] = useState(false);
  const chordTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const endChord = () => {
    if (chordTimer.current) clearTimeout(chordTimer.current);
    chordTimer.current = null;
    setChordPending(false);
  };

  // Capture phase: runs before a screen's own keys, so `g s` opens Settings instead of suspending.
  useKeydown(
    (event) => {
      // Ctrl/Cmd+K opens the command palette from anywhere, a text field included (as in VS Code).
      if ((event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        event.stopImmediatePropagation();
        setHelpOpen(false);
        setPaletteOpen((open) => !open);
        return;
      }
      // The palette's own field handles its keys; the screen underneath gets none.
      if (paletteOpen) return;
      if (helpOpen) {
        if (event.key === 'Escape' || event.key === '?') {
          event.preventDefault();
          setHelpOpen(false);
        }
        // The screen underneath gets no keys while the dialog is open; the dialog's own do work.
        event.stopImmediatePropagation();
        return;
      }
      if (event.defaultPrevented || isEditable(event.target) || !isPlainKey(event)) return;
      const consume = () => {
        event.preventDefault();
        event.stopImmediatePropagation();
      };
      if (chordPending) {
        if (['Shift', 'Control', 'Alt', 'Meta'].includes(event.key)) return;
        consume();
        endChord();
        const target = screens.find((candidate) => candidate.hotkey === event.key.toLowerCase() && !candidate.hidden);
        if (target) navigate(target.id);
        return;
      }
      if (event.key === 'g') {
        consume();
        setChordPending(true);
        chordTimer.current = setTimeout(endChord, chordTimeoutMs);
      } else if (event.key === '?') {
        consume();
        setHelpOpen((open) => !open);
      }
    },
    { capture: true },
  );

  // `u` / Ctrl+Z and Ctrl+Shift+Z / Ctrl+Y on every screen, after the screen's own keys.
  useUndoKeys(undo);

  // Escape leaves a text field (unless the screen used it), so `g` chords work again from there.
  useKeydown((event) => {
    if (event.key === 'Escape' && !event.defaultPrevented && isEditable(event.target) && event.target instanceof HTMLElement) {
      event.target.blur();
    }
  });

  const closePalette = useCallback(() => setPaletteOpen(false), []);
  const openHelp = useCallback(() => setHelpOpen(true), []);

  const current = screens.find((candidate) => candidate.id === screen) ?? screens[0];
  const Screen = current.Component;
  return (
    <div className="shell">
      <nav className="sidebar" aria-label={t('app.navigation')}>
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            P
          </span>
          {t('app.name')}
        </div>
        <ul className="nav-list">
          {screens
            .filter((candidate) => !candidate.hidden)
            .map((candidate) => {
              const active = candidate.id === current.id || (current.id === 'review' && candidate.id === 'today');
              return (
                <li key={candidate.id}>
                  <a
                    href={`#/${candidate.id}`}
                    className="nav-item"
                    aria-current={active ? 'page' : undefined}
                    data-testid={`nav-${candidate.id}`}
                    onClick={(event) => {
                      event.preventDefault();
                      navigate(candidate.id);
                    }}
                  >
                    <span className="nav-icon" aria-hidden="true">
                      {candidate.icon ?? '•'}
                    </span>
                    <span className="nav-title">{t(candidate.title)}</span>
                    {candidate.hotkey && (
                      <span className="nav-hotkey" aria-hidden="true">
                        g {candidate.hotkey}
                      </span>
                    )}
                  </a>
                </li>
              );
            })}
        </ul>
        <button type="button" className="sidebar-help" onClick={() => setPaletteOpen(true)} data-testid="open-palette">
          <Kbd>{/Mac|iPhone|iPad/.test(navigator.platform) ? '⌘K' : 'Ctrl+K'}</Kbd> {t('palette.title')}
        </button>
        <button type="button" className="sidebar-help" onClick={() => setHelpOpen(true)}>
          <Kbd>?</Kbd> {t('app.keyboardHelp')}
        </button>
      </nav>
      <main className="content" id="main">
        {/* A screen may be React.lazy (heavy charts load when first opened). */}
        <Suspense fallback={<div className="screen" aria-busy="true" />}>
          <Screen key={current.id} params={params} />
        </Suspense>
      </main>
      {chordPending && (
        <div className="chord-hint" aria-hidden="true">
          <Kbd>g</Kbd> …
        </div>
      )}
      <Notices notices={notices} dismiss={dismiss} dismissLabel={t('app.dismiss')} />
      {helpOpen && <KeyboardHelp close={() => setHelpOpen(false)} />}
      {paletteOpen && <CommandPalette close={closePalette} showHelp={openHelp} />}
    </div>
  );
}

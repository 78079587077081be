import { useEffect, useRef } from 'react';
import { useApp } from '../AppContext';
import { screens } from '../screens';
import { Kbd } from './Kbd';

/** The `?` overlay: every shortcut, generated from the screen registry and the review keys. */
export function KeyboardHelp({ close }: { close(): void }) {
  const { t } = useApp();
  const closeButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    closeButton.current?.focus();
    return () => previous?.focus?.();
  }, []);
  const navigation = screens.filter((screen) => screen.hotkey && !screen.hidden);
  const rows: [string[], string][] = [
    ...navigation.map((screen): [string[], string] => [['g', screen.hotkey as string], t('app.goTo', { screen: t(screen.title) })]),
    [['Space', 'Enter'], t('review.keys.reveal')],
    [['1', '2', '3', '4'], t('review.keys.grade')],
    [['u', 'Ctrl+Z'], t('undo.keys.undo')],
    [['Ctrl+Shift+Z', 'Ctrl+Y'], t('undo.keys.redo')],
    [['s', '@'], t('review.keys.suspend')],
    [['b', '-'], t('review.keys.bury')],
    [['Esc'], t('app.keys.leave')],
    [['?'], t('app.keys.help')],
  ];
  return (
    <div className="overlay" onClick={close}>
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby="keyboard-help-title" onClick={(event) => event.stopPropagation()}>
        <header className="dialog-header">
          <h2 id="keyboard-help-title">{t('app.keyboardHelp')}</h2>
          <button ref={closeButton} type="button" className="button button-ghost" onClick={close}>
            {t('app.close')}
          </button>
        </header>
        <table className="key-table">
          <tbody>
            {rows.map(([keys, label]) => (
              <tr key={label}>
                <td>
                  {keys.map((key, index) => (
                    <span key={key}>
                      {index > 0 && (keys[0] === 'g' ? ' ' : ' / ')}
                      <Kbd>{key}</Kbd>
                    </span>
                  ))}
                </td>
                <td>{label}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

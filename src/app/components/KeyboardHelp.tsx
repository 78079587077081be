import { useEffect, useRef } from 'react';
import type { MessageKey } from '../../shared/i18n';
import { useApp } from '../AppContext';
import { screens } from '../screens';
import { Kbd } from './Kbd';

type Row = [keys: string[], label: string, joiner?: ' ' | ' / '];

/** The `?` overlay: every shortcut of the app, by where it works, the screens' from their registry. */
export function KeyboardHelp({ close }: { close(): void }) {
  const { t } = useApp();
  const closeButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    closeButton.current?.focus();
    return () => previous?.focus?.();
  }, []);
  const mod = /Mac|iPhone|iPad/.test(navigator.platform) ? '⌘' : 'Ctrl';
  const navigation = screens.filter((screen) => screen.hotkey && !screen.hidden);
  const groups: [MessageKey, Row[]][] = [
    [
      'palette.keys.everywhere',
      [
        [[`${mod}+K`], t('palette.keys.palette')],
        ...navigation.map((screen): Row => [['g', screen.hotkey as string], t('app.goTo', { screen: t(screen.title) }), ' ']),
        [['u', `${mod}+Z`], t('undo.keys.undo')],
        [[`${mod}+Shift+Z`, 'Ctrl+Y'], t('undo.keys.redo')],
        [['?'], t('app.keys.help')],
        [['Esc'], t('app.keys.leave')],
      ],
    ],
    [
      'palette.keys.review',
      [
        [['Space', 'Enter'], t('review.keys.reveal')],
        [['1', '2', '3', '4'], t('review.keys.grade')],
        [['s', '@'], t('review.keys.suspend')],
        [['b', '-'], t('review.keys.bury')],
        [[`${mod}+1`, `${mod}+2`, `${mod}+3`, `${mod}+4`], t('flag.keys.flag')],
        [['*'], t('flag.keys.mark')],
        [['e'], t('flag.keys.edit')],
        [['i'], t('flag.keys.info')],
        [['p'], t('palette.keys.proveIt')],
      ],
    ],
    [
      'palette.keys.browse',
      [
        [['/'], t('palette.keys.search')],
        [['↑', '↓', 'PageUp', 'PageDown', 'Home', 'End'], t('palette.keys.move')],
        [['Shift+↑', 'Shift+↓', 'Shift+click'], t('palette.keys.extend')],
        [['Space', `${mod}+click`], t('palette.keys.toggle')],
        [['Enter'], t('palette.keys.open')],
        [['i'], t('flag.keys.info')],
        [[`${mod}+A`], t('palette.keys.selectAll')],
        [['Esc'], t('palette.keys.clear')],
      ],
    ],
    [
      'deckTree.keys.title',
      [
        [['↑', '↓', 'Home', 'End'], t('deckTree.keys.move')],
        [['→', '←'], t('deckTree.keys.fold')],
        [['Enter'], t('deckTree.keys.notes')],
        [['Esc'], t('deckTree.keys.cancel')],
      ],
    ],
    [
      'palette.keys.editing',
      [
        [[`${mod}+S`], t('palette.keys.save')],
        [['Esc'], t('palette.keys.back')],
        [[`${mod}+Shift+C`], t('palette.keys.cloze')],
        [[`${mod}+Alt+Shift+C`], t('palette.keys.clozeSame')],
      ],
    ],
  ];
  return (
    <div className="overlay" onClick={close}>
      <div className="dialog key-help" role="dialog" aria-modal="true" aria-labelledby="keyboard-help-title" onClick={(event) => event.stopPropagation()}>
        <header className="dialog-header">
          <h2 id="keyboard-help-title">{t('app.keyboardHelp')}</h2>
          <button ref={closeButton} type="button" className="button button-ghost" onClick={close}>
            {t('app.close')}
          </button>
        </header>
        <div className="key-groups">
          {groups.map(([title, rows]) => (
            <section key={title} className="key-group">
              <h3>{t(title)}</h3>
              <table className="key-table">
                <tbody>
                  {rows.map(([keys, label, joiner = ' / ']) => (
                    <tr key={`${keys.join()}-${label}`}>
                      <td>
                        {keys.map((key, index) => (
                          <span key={key}>
                            {index > 0 && joiner}
                            <Kbd>{key}</Kbd>
                          </span>
                        ))}
                      </td>
                      <td>{label}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          ))}
        </div>
      </div>
    </div>
  );
}

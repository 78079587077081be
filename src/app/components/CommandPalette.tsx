import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { DeckSummary } from '../../shared/contract';
import { catalog } from '../../experiments/catalog';
import { useApp } from '../AppContext';
import { fuzzyFilter } from '../fuzzy';
import { screens } from '../screens';
import { Kbd } from './Kbd';

export interface Command {
  id: string;
  /** What the list shows, in the UI language. */
  label: string;
  /** Its group: a screen, an action, a deck, an experiment. */
  group: string;
  /** Also matched (the other language, the id), not shown. */
  keywords?: string;
  hint?: string;
  run(): void;
}

/**
 * Ctrl/Cmd+K: every screen, action, deck and experiment by name, found by fuzzy matching and
 * run from the keyboard alone (↑ ↓ to choose, Enter to run, Esc to close).
 */
export function CommandPalette({ close, showHelp }: { close(): void; showHelp(): void }) {
  const { t, locale, navigate, api, theme, updateSettings, notify, showError } = useApp();
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const [decks, setDecks] = useState<DeckSummary[]>([]);
  const input = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLUListElement>(null);

  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    input.current?.focus();
    api['decks.list']({}).then(setDecks, () => setDecks([]));
    return () => previous?.focus?.();
  }, [api]);

  const commands = useMemo((): Command[] => {
    const go = t('palette.group.screen');
    const act = t('palette.group.action');
    const run = (action: () => void | Promise<void>) => () => {
      close();
      void Promise.resolve(action()).catch(showError);
    };
    return [
      ...screens
        .filter((screen) => !screen.hidden)
        .map((screen) => ({
          id: `screen:${screen.id}`,
          label: t('app.goTo', { screen: t(screen.title) }),
          group: go,
          keywords: screen.id,
          hint: screen.hotkey ? `g ${screen.hotkey}` : undefined,
          run: run(() => navigate(screen.id)),
        })),
      { id: 'action:review', label: t('palette.startReview'), group: act, keywords: 'review study', run: run(() => navigate('review')) },
      { id: 'action:add', label: t('palette.addCard'), group: act, keywords: 'new note card add', run: run(() => navigate('edit', {})) },
      { id: 'action:import', label: t('palette.import'), group: act, keywords: 'import deck file apkg csv', run: run(() => navigate('decks', { import: true })) },
      {
        id: 'action:theme',
        label: theme === 'dark' ? t('palette.themeLight') : t('palette.themeDark'),
        group: act,
        keywords: 'theme dark light',
        run: run(() => updateSettings({ theme: theme === 'dark' ? 'light' : 'dark' })),
      },
      {
        id: 'action:language',
        label: locale === 'ko' ? 'English' : '한국어',
        group: act,
        keywords: 'language locale 언어 korean english',
        run: run(() => updateSettings({ locale: locale === 'ko' ? 'en' : 'ko' })),
      },
      {
        id: 'action:backup',
        label: t('library.backups.create'),
        group: act,
        keywords: 'backup',
        run: run(async () => {
          const backup = await api['backups.create']({});
          notify({ text: t('library.backups.created', { name: backup.name }) });
        }),
      },
      { id: 'action:help', label: t('app.keyboardHelp'), group: act, keywords: 'keys shortcuts help ?', hint: '?', run: () => (close(), showHelp()) },
      ...decks.map((deck) => ({
        id: `deck:${deck.id}`,
        label: deck.name,
        group: t('palette.group.deck'),
        keywords: 'deck',
        hint: t('palette.deckCards', { count: deck.cards }),
        run: run(() => navigate('browse', { query: `deck:"${deck.name}"` })),
      })),
      ...catalog.map((meta) => ({
        id: `experiment:${meta.id}`,
        label: meta.title[locale],
        group: t('palette.group.experiment'),
        keywords: `${meta.title.en} ${meta.title.ko} ${meta.id} lab`,
        run: run(() => navigate('lab', { experiment: meta.id })),
      })),
    ];
  }, [t, locale, theme, decks, navigate, updateSettings, api, notify, showError, close, showHelp]);

  const shown = useMemo(() => fuzzyFilter(commands, query, (c) => `${c.label} ${c.group} ${c.keywords ?? ''}`), [commands, query]);
  const current = Math.min(active, Math.max(0, shown.length - 1));

  useEffect(() => {
    list.current?.querySelector(`[data-index="${current}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [current]);

  const onKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || (event.key === 'n' && event.ctrlKey)) setActive((current + 1) % Math.max(1, shown.length));
    else if (event.key === 'ArrowUp' || (event.key === 'p' && event.ctrlKey)) setActive((current - 1 + shown.length) % Math.max(1, shown.length));
    else if (event.key === 'Enter') shown[current]?.run();
    else if (event.key === 'Escape') close();
    else return;
    event.preventDefault();
    event.stopPropagation();
  };

  return (
    <div className="overlay palette-overlay" onClick={close}>
      <div className="dialog palette" role="dialog" aria-modal="true" aria-label={t('palette.title')} onClick={(event) => event.stopPropagation()} data-testid="command-palette">
        <input
          ref={input}
          className="palette-input"
          type="text"
          role="combobox"
          aria-expanded="true"
          aria-controls="palette-list"
          aria-activedescendant={shown[current] ? `palette-${current}` : undefined}
          placeholder={t('palette.placeholder')}
          value={query}
          onChange={(event) => {
            setQuery(event.target.value);
            setActive(0);
          }}
          onKeyDown={onKey}
          data-testid="palette-input"
        />
        <ul ref={list} id="palette-list" className="palette-list" role="listbox">
          {shown.length === 0 && <li className="palette-empty">{t('palette.none')}</li>}
          {shown.map((command, index) => (
            <li
              key={command.id}
              id={`palette-${index}`}
              data-index={index}
              role="option"
              aria-selected={index === current}
              className={index === current ? 'active' : undefined}
              onMouseMove={() => setActive(index)}
              onClick={() => command.run()}
              data-command={command.id}
            >
              <span className="palette-label" translate={command.id.startsWith('deck:') ? 'no' : undefined}>
                {command.label}
              </span>
              <span className="palette-group">{command.group}</span>
              {command.hint && <span className="palette-hint">{command.hint.length <= 3 ? <Kbd>{command.hint}</Kbd> : command.hint}</span>}
            </li>
          ))}
        </ul>
        <p className="palette-footer">
          <Kbd>↑</Kbd> <Kbd>↓</Kbd> {t('palette.choose')} · <Kbd>Enter</Kbd> {t('palette.run')} · <Kbd>Esc</Kbd> {t('app.close')}
        </p>
      </div>
    </div>
  );
}

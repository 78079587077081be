import { useCallback, useEffect, useState } from 'react';
import type { DeckSummary } from '../../shared/contract';
import { useApp } from '../AppContext';
import type { ScreenProps } from '../screen-types';
import { DeckList } from './DeckList';
import { ImportPanel } from './ImportPanel';
import './decks.css';

/** Decks: what the user has (with export), and the way in for decks from others (import with preview). */
export function DecksScreen({ params }: ScreenProps) {
  const { api, t, showError, undo } = useApp();
  const [decks, setDecks] = useState<DeckSummary[] | null>(null);
  const reload = useCallback(() => {
    api['decks.list']({}).then(setDecks, showError);
  }, [api, showError]);
  useEffect(reload, [reload]);
  // An import (or a move, a delete) undone or done again changes the counts.
  useEffect(() => undo.onApplied(reload), [undo, reload]);
  return (
    <section className="screen screen-decks" data-testid="decks-screen" aria-labelledby="decks-title">
      <h1 id="decks-title">{t('decks.title')}</h1>
      {decks ? <DeckList decks={decks} onChanged={reload} /> : <div aria-busy="true" />}
      <ImportPanel onImported={reload} focus={params.import === true} />
    </section>
  );
}

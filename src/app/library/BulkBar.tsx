import { useState } from 'react';
import type { DeckSummary } from '../../shared/contract';
import type { MessageKey } from '../../shared/i18n';
import { useApp } from '../AppContext';
import { flagName, flagNumbers } from '../review/flags';

type Change =
  | { action: 'suspend' | 'unsuspend' | 'reset' | 'delete' }
  | { action: 'move'; deckId: number }
  | { action: 'tag' | 'untag'; tag: string }
  | { action: 'flag'; flag: number };

interface BulkBarProps {
  cardIds: number[];
  decks: DeckSummary[];
  loadDecks(): void;
  onDone(): void;
  onDeleted(): void;
  /** Shows the card info of the one selected card (absent when more are selected). */
  onInfo?(): void;
}

/** Actions on the selected cards; each can be undone (the button, the notice, u or Ctrl+Z, as everywhere). */
export function BulkBar({ cardIds, decks, loadDecks, onDone, onDeleted, onInfo }: BulkBarProps) {
  const { api, t, showError, undo } = useApp();
  const [acted, setActed] = useState(false);
  const [tag, setTag] = useState('');
  const [busy, setBusy] = useState(false);

  const apply = async (change: Change, label: MessageKey) => {
    setBusy(true);
    try {
      const result = await api['cards.bulk']({ cardIds, change });
      setActed(true);
      const action = change.action === 'flag' ? `${t('flag.column')} ${t(flagName(change.flag))}` : t(label);
      undo.offer(t('library.bulk.done', { action, count: result.affected }));
      if (change.action === 'delete') onDeleted();
      onDone();
    } catch (e) {
      showError(e);
    } finally {
      setBusy(false);
    }
  };

  const simple = (action: 'suspend' | 'unsuspend' | 'reset' | 'delete', label: MessageKey) => (
    <button type="button" className={`button small${action === 'delete' ? ' danger' : ''}`} disabled={busy} onClick={() => void apply({ action }, label)} data-testid={`bulk-${action}`}>
      {t(label)}
    </button>
  );

  return (
    <div className="bulk-bar" role="toolbar" aria-label={t('library.browse.selected', { count: cardIds.length })}>
      {simple('suspend', 'library.bulk.suspend')}
      {simple('unsuspend', 'library.bulk.unsuspend')}
      <select
        className="input small"
        aria-label={t('library.bulk.move')}
        onFocus={loadDecks}
        value=""
        onChange={(e) => e.target.value && void apply({ action: 'move', deckId: Number(e.target.value) }, 'library.bulk.move')}
        data-testid="bulk-move"
      >
        <option value="">{t('library.bulk.move')}</option>
        {decks.map((d) => (
          <option key={d.id} value={d.id}>
            {d.name}
          </option>
        ))}
      </select>
      <input className="input small" value={tag} onChange={(e) => setTag(e.target.value.replace(/\s/g, ''))} placeholder={t('library.bulk.tagPrompt')} aria-label={t('library.bulk.tagPrompt')} data-testid="bulk-tag-input" />
      <button type="button" className="button small" disabled={busy || !tag} onClick={() => void apply({ action: 'tag', tag }, 'library.bulk.tag')} data-testid="bulk-tag">
        {t('library.bulk.tag')}
      </button>
      <button type="button" className="button small" disabled={busy || !tag} onClick={() => void apply({ action: 'untag', tag }, 'library.bulk.untag')} data-testid="bulk-untag">
        {t('library.bulk.untag')}
      </button>
      <select
        className="input small"
        aria-label={t('flag.bulk')}
        value=""
        onChange={(e) => e.target.value !== '' && void apply({ action: 'flag', flag: Number(e.target.value) }, 'flag.bulk')}
        disabled={busy}
        data-testid="bulk-flag"
      >
        <option value="">{t('flag.bulk')}</option>
        {[...flagNumbers, 0].map((n) => (
          <option key={n} value={n}>
            {t(flagName(n))}
          </option>
        ))}
      </select>
      {simple('reset', 'library.bulk.reset')}
      {simple('delete', 'library.bulk.delete')}
      {onInfo && (
        <button type="button" className="button small" onClick={onInfo} data-testid="bulk-info">
          {t('flag.info')}
        </button>
      )}
      {acted && (
        <button type="button" className="button button-primary small" onClick={() => void undo.undo()} data-testid="bulk-undo">
          {t('library.bulk.undo')}
        </button>
      )}
    </div>
  );
}

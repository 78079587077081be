import { useId, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { DeckSummary } from '../../shared/contract';
import { inDeckSubtree } from '../../shared/deck-names';
import { translateError } from '../../shared/i18n';
import { useApp } from '../AppContext';

/**
 * The forms of the deck operations (create, rename, move, delete). Each runs one call; a refused
 * one (an empty name, a name taken, a deck moved under itself) says why beside the form and keeps
 * it open; a done one closes it and offers its undo in a notice.
 */

type Submit = () => Promise<void>;

function useSubmit(run: Submit) {
  const { t } = useApp();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await run();
    } catch (e) {
      setError(translateError(t, e));
    } finally {
      setBusy(false);
    }
  };
  return { error, busy, submit };
}

/** Escape leaves a form without doing anything (and stays out of the screen's other keys). */
function escapeCancels(onCancel: () => void) {
  return (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    event.stopPropagation();
    onCancel();
  };
}

function FormError({ error }: { error: string | null }) {
  return error ? (
    <p className="decks-error deck-op-error" role="alert" data-testid="deck-op-error">
      {error}
    </p>
  ) : null;
}

/** A deck name typed in full (`Parent::Child`): a new deck, or a deck's new name. */
export function DeckNameForm(props: { label: string; initial: string; submitLabel: string; testId: string; onSubmit(name: string): Promise<void>; onCancel(): void }) {
  const { t } = useApp();
  const id = useId();
  const [name, setName] = useState(props.initial);
  const { error, busy, submit } = useSubmit(() => props.onSubmit(name));
  return (
    <form className="deck-op" onSubmit={(e) => void submit(e)} onKeyDown={escapeCancels(props.onCancel)} data-testid={props.testId}>
      <label htmlFor={id}>{props.label}</label>
      <div className="deck-op-row">
        <input
          id={id}
          type="text"
          value={name}
          onChange={(e) => setName(e.target.value)}
          autoFocus
          onFocus={(e) => e.target.select()}
          aria-describedby={`${id}-help`}
          aria-invalid={error !== null}
          data-testid="deck-name-input"
        />
        <button type="submit" className="button button-primary small" disabled={busy} data-testid="deck-op-submit">
          {props.submitLabel}
        </button>
        <button type="button" className="button small" onClick={props.onCancel}>
          {t('deckTree.cancel')}
        </button>
      </div>
      <small id={`${id}-help`} className="deck-op-help">
        {t('deckTree.nameHelp')}
      </small>
      <FormError error={error} />
    </form>
  );
}

/** Where a deck goes: the top level or any deck outside its own subtree. */
export function MoveDeckForm(props: { deck: DeckSummary; decks: DeckSummary[]; onSubmit(parentId: number | null): Promise<void>; onCancel(): void }) {
  const { t } = useApp();
  const id = useId();
  const targets = props.decks.filter((d) => !inDeckSubtree(d.name, props.deck.name)).sort((a, b) => a.name.localeCompare(b.name));
  const [parent, setParent] = useState<string>('');
  const { error, busy, submit } = useSubmit(() => props.onSubmit(parent === '' ? null : Number(parent)));
  return (
    <form className="deck-op" onSubmit={(e) => void submit(e)} onKeyDown={escapeCancels(props.onCancel)} data-testid="deck-move-form">
      <label htmlFor={id}>{t('deckTree.moveLabel', { deck: props.deck.name })}</label>
      <div className="deck-op-row">
        <select id={id} value={parent} onChange={(e) => setParent(e.target.value)} autoFocus data-testid="deck-move-target">
          <option value="">{t('deckTree.moveTop')}</option>
          {targets.map((d) => (
            <option key={d.id} value={d.id} translate="no">
              {d.name}
            </option>
          ))}
        </select>
        <button type="submit" className="button button-primary small" disabled={busy} data-testid="deck-op-submit">
          {t('deckTree.move')}
        </button>
        <button type="button" className="button small" onClick={props.onCancel}>
          {t('deckTree.cancel')}
        </button>
      </div>
      <FormError error={error} />
    </form>
  );
}

/** Says what a delete takes (its cards, its subdecks) before it happens. */
export function DeleteDeckConfirm(props: { deck: DeckSummary; subdecks: number; onConfirm(): Promise<void>; onCancel(): void }) {
  const { t } = useApp();
  const { error, busy, submit } = useSubmit(props.onConfirm);
  const text = t('deckTree.deleteConfirm', { deck: props.deck.name, count: props.deck.cards });
  return (
    <div className="deck-op deck-op-delete" role="alertdialog" aria-label={text} onKeyDown={escapeCancels(props.onCancel)} data-testid="deck-delete-confirm">
      <p>
        {text} {props.subdecks > 0 && t('deckTree.deleteSubdecks', { count: props.subdecks })} {t('deckTree.deleteUndo')}
      </p>
      <div className="deck-op-row">
        <button type="button" className="button button-danger small" disabled={busy} onClick={() => void submit()} autoFocus data-testid="deck-op-submit">
          {t('deckTree.delete')}
        </button>
        <button type="button" className="button small" onClick={props.onCancel}>
          {t('deckTree.cancel')}
        </button>
      </div>
      <FormError error={error} />
    </div>
  );
}

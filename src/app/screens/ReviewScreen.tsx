import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import type { Rating } from '../../shared/contract';
import { useApp } from '../AppContext';
import { AnswerExtras } from '../answer-extras';
import { Kbd } from '../components/Kbd';
import { Markdown } from '../components/Markdown';
import { AnkiCardSides } from '../review/AnkiCardSides';
import { isActivatable, isEditable, isPlainKey, useKeydown } from '../keyboard';
import { intervalText } from '../review/interval';
import { useReviewSession } from '../review/useReviewSession';
import { SessionSummary } from './SessionSummary';
import type { ScreenProps } from '../screen-types';
import { CardMarks, flagStyle } from '../review/CardMarks';
import { flagKeyOf } from '../review/flags';

// Opened by `e` and `i` only: the editor and the chart stay out of the bundle of the first card.
const NoteEditor = lazy(() => import('../library/NoteEditor').then((m) => ({ default: m.NoteEditor })));
const CardInfoDialog = lazy(() => import('../review/CardInfoDialog').then((m) => ({ default: m.CardInfoDialog })));

const ratings: Rating[] = [1, 2, 3, 4];
const gradeNames = { 1: 'review.grade.1', 2: 'review.grade.2', 3: 'review.grade.3', 4: 'review.grade.4' } as const;

/**
 * The review loop: question, Space/Enter for the answer, 1–4 to grade (u undoes, as everywhere);
 * as in Anki, `e` edits the note, Ctrl+1…7 flag the card, `*` marks the note, `i` shows the card's
 * info. The summary at the end.
 */
export function ReviewScreen({ params }: ScreenProps) {
  const { t, navigate } = useApp();
  // Opened from a deck's Study button: that deck's cards only.
  const session = useReviewSession(typeof params.deckId === 'number' ? params.deckId : undefined);
  const { phase, card, busy } = session;
  const showAnswerButton = useRef<HTMLButtonElement>(null);
  const answerRegion = useRef<HTMLDivElement>(null);
  // The note editor or the card info over the session: the session's keys wait until it closes.
  const [overlay, setOverlay] = useState<{ kind: 'edit'; noteId: number } | { kind: 'info'; cardId: number } | null>(null);
  const closeInfo = useCallback(() => setOverlay(null), []);
  const closeEditor = useCallback(
    (saved: boolean) => {
      setOverlay(null);
      session.edited(saved);
    },
    [session],
  );

  // Focus follows the phase so Enter/Space, screen readers and Tab start in the right place (a card's type-answer box keeps it).
  useEffect(() => {
    if (overlay) return;
    if (phase === 'question' && !(document.activeElement instanceof HTMLInputElement && document.activeElement.id === 'typeans')) showAnswerButton.current?.focus();
    if (phase === 'answer') answerRegion.current?.focus({ preventScroll: true });
  }, [phase, card, overlay]);

  useKeydown((event) => {
    if (event.defaultPrevented || isEditable(event.target) || overlay) return;
    const key = event.key;
    const flag = flagKeyOf(event);
    if (flag !== null) {
      event.preventDefault();
      if (!event.repeat) session.flag(flag);
      return;
    }
    // u and Ctrl+Z (undo), Ctrl+Shift+Z and Ctrl+Y (redo) are the app's own, on every screen (Shell).
    if (!isPlainKey(event)) return;
    if (key === 'Escape') {
      event.preventDefault();
      navigate('today');
    } else if ((key === ' ' || key === 'Enter') && phase === 'question') {
      // On a focused button the browser already clicks it; handle only the unfocused case.
      if (isActivatable(event.target)) return;
      event.preventDefault();
      session.reveal();
    } else if (['1', '2', '3', '4'].includes(key) && phase === 'answer') {
      event.preventDefault();
      if (!event.repeat) session.grade(Number(key) as Rating);
    } else if (key === 's' || key === '@') {
      event.preventDefault();
      session.suspend();
    } else if (key === 'b' || key === '-') {
      event.preventDefault();
      session.bury();
    } else if (key === '*') {
      event.preventDefault();
      if (!event.repeat) session.toggleMark();
    } else if (key === 'e' && card && !busy) {
      event.preventDefault();
      setOverlay({ kind: 'edit', noteId: card.noteId });
    } else if (key === 'i' && card) {
      event.preventDefault();
      setOverlay({ kind: 'info', cardId: card.cardId });
    }
  });

  if (phase === 'done') {
    return <SessionSummary stats={session.stats} canUndo={session.canUndo} undo={session.undo} />;
  }
  if (phase === 'failed') {
    return (
      <section className="screen screen-review">
        <div className="panel" role="alert">
          <p>{t('review.loadFailed')}</p>
          <button type="button" className="button" autoFocus onClick={session.retry}>
            {t('app.retry')}
          </button>
        </div>
      </section>
    );
  }
  if (!card) return <section className="screen screen-review" aria-busy="true" />;

  const counts = card.counts;
  if (overlay?.kind === 'edit') {
    return (
      <div className="review-editing" data-testid="review-editing">
        <Suspense fallback={<section className="screen screen-editor" aria-busy="true" />}>
          <NoteEditor params={{ noteId: overlay.noteId }} onClose={closeEditor} />
        </Suspense>
      </div>
    );
  }
  return (
    <section className="screen screen-review" aria-label={t('review.title')} aria-busy={busy}>
      <header className="review-bar">
        <div className="review-deck">
          <span className="deck-name" translate="no">
            {card.deckName}
          </span>
          {card.tags.length > 0 && (
            <span className="tags" translate="no">
              {card.tags.map((tag) => `#${tag}`).join(' ')}
            </span>
          )}
        </div>
        <div
          className="queue-counts"
          data-testid="queue-counts"
          title={t('review.remaining', { learning: counts.learning, review: counts.review, new: counts.new })}
          aria-label={t('review.remaining', { learning: counts.learning, review: counts.review, new: counts.new })}
        >
          <span className="count kind-learning">{counts.learning}</span>
          <span className="count kind-review">{counts.review}</span>
          <span className="count kind-new">{counts.new}</span>
        </div>
        <div className="review-actions">
          <button type="button" className="button button-ghost" data-testid="undo" onClick={session.undo} disabled={busy}>
            {t('review.undo')} <Kbd>u</Kbd>
          </button>
          <button type="button" className="button button-ghost" data-testid="suspend" onClick={session.suspend} disabled={busy}>
            {t('review.suspend')} <Kbd>s</Kbd>
          </button>
          <button type="button" className="button button-ghost" data-testid="bury" onClick={session.bury} disabled={busy}>
            {t('review.bury')} <Kbd>b</Kbd>
          </button>
          <button type="button" className="button button-ghost" data-testid="edit-card" onClick={() => setOverlay({ kind: 'edit', noteId: card.noteId })} disabled={busy}>
            {t('flag.edit')} <Kbd>e</Kbd>
          </button>
          <button type="button" className="button button-ghost" data-testid="card-info-open" onClick={() => setOverlay({ kind: 'info', cardId: card.cardId })}>
            {t('flag.info')} <Kbd>i</Kbd>
          </button>
          <button type="button" className="button button-ghost" data-testid="end-session" onClick={() => navigate('today')}>
            {t('review.leave')} <Kbd>Esc</Kbd>
          </button>
        </div>
      </header>

      <article className={`card${card.flag ? ' flagged' : ''}`} data-card-id={card.cardId} data-flag={card.flag} style={flagStyle(card.flag)}>
        <CardMarks flag={card.flag} marked={card.marked} />
        {card.anki && <AnkiCardSides card={card} phase={phase} answerRegion={answerRegion} reveal={session.reveal} />}
        {!card.anki && <Markdown
          key={`front-${card.cardId}`}
          source={card.front}
          className="card-front"
          testId="card-front"
          // A cloze card asks its deletion as […] and shows it highlighted with the answer.
          cloze={card.cloze !== null ? { number: card.cloze, reveal: phase === 'answer' } : undefined}
        />}
        {!card.anki && phase === 'answer' && (
          <div ref={answerRegion} className="card-back" data-testid="card-back" tabIndex={-1} aria-label={t('review.answer')}>
            <hr className="card-divider" />
            <Markdown key={`back-${card.cardId}`} source={card.back} className="card-answer" />
            {/* The evidence (Prove it) comes before the background reading of the context. */}
            <AnswerExtras card={card} />
            {card.context.trim() !== '' && (
              <details className="card-context" open>
                <summary>{t('review.context')}</summary>
                <Markdown key={`context-${card.cardId}`} source={card.context} />
              </details>
            )}
          </div>
        )}
      </article>

      <footer className="answer-bar">
        {phase === 'question' ? (
          <button ref={showAnswerButton} type="button" className="button button-primary button-large show-answer" data-testid="show-answer" onClick={session.reveal} disabled={busy}>
            {t('review.showAnswer')}
            <span className="key-hint">
              <Kbd>Space</Kbd>
            </span>
          </button>
        ) : (
          <div className="grades" role="group" aria-label={t('review.answer')}>
            {ratings.map((rating) => (
              <button
                key={rating}
                type="button"
                className={`button grade grade-${rating}`}
                data-testid={`grade-${rating}`}
                onClick={() => session.grade(rating)}
                disabled={busy}
                aria-label={t('review.gradeLabel', { grade: t(gradeNames[rating]), interval: intervalText(card.intervals[rating], t), key: rating })}
              >
                <span className="grade-interval">{intervalText(card.intervals[rating], t)}</span>
                <span className="grade-name">{t(gradeNames[rating])}</span>
                <Kbd>{String(rating)}</Kbd>
              </button>
            ))}
          </div>
        )}
        {busy && <span className="saving">{t('review.saving')}</span>}
      </footer>
      {overlay?.kind === 'info' && (
        <Suspense fallback={null}>
          <CardInfoDialog cardId={overlay.cardId} close={closeInfo} />
        </Suspense>
      )}
    </section>
  );
}

import { useCallback, useEffect, useRef, useState } from 'react';
import type { Rating, ReviewCard } from '../../shared/contract';
import { useApp } from '../AppContext';
import { takePrefetched } from '../prefetch';

export type Phase = 'loading' | 'question' | 'answer' | 'done' | 'failed';

/** What `u` can take back, newest last. Bury is not here: the contract has no un-bury. */
type UndoEntry = { kind: 'answer'; card: ReviewCard; rating: Rating } | { kind: 'suspend'; card: ReviewCard };

export interface SessionStats {
  reviewed: number;
  again: number;
  startedAt: number;
  /** Set when the queue ran out; the summary shows the time until then. */
  endedAt: number | null;
}

/**
 * Anki records at most this long per answer: a card left on screen during a coffee break says
 * nothing about how hard it was.
 */
const maxAnswerMs = 60_000;

/** Today prefetches the session's first card under this key (per language: the card is rendered in it). */
export const firstCardKey = (locale: string): string => `review.next:${locale}`;
/** A prefetched first card is shown only if fetched this recently (its intervals are computed then). */
export const firstCardFreshMs = 30_000;

/**
 * One review session: the current card and phase, the grade/undo/suspend/bury actions, and the
 * session's counts. Every action waits for the API: the next card appears only once the answer
 * is durable, and nothing runs while a call is in flight.
 */
export function useReviewSession(deckId?: number) {
  const { api, locale, notify, showError, t } = useApp();
  const [phase, setPhase] = useState<Phase>('loading');
  const [card, setCard] = useState<ReviewCard | null>(null);
  const [busy, setBusy] = useState(false);
  const [stats, setStats] = useState<SessionStats>(() => ({ reviewed: 0, again: 0, startedAt: Date.now(), endedAt: null }));
  const [undoCount, setUndoCount] = useState(0);
  const history = useRef<UndoEntry[]>([]);
  const shownAt = useRef(Date.now());
  const inFlight = useRef(false);

  const show = useCallback((next: ReviewCard | null) => {
    setCard(next);
    shownAt.current = Date.now();
    if (next) {
      setPhase('question');
      setStats((current) => ({ ...current, endedAt: null }));
    } else {
      setPhase('done');
      setStats((current) => ({ ...current, endedAt: current.endedAt ?? Date.now() }));
    }
  }, []);

  /** Runs one API step with the busy guard; a failure is shown and leaves the card where it was. */
  const step = useCallback(
    async (work: () => Promise<void>) => {
      if (inFlight.current) return;
      inFlight.current = true;
      setBusy(true);
      try {
        await work();
      } catch (error) {
        showError(error);
      } finally {
        inFlight.current = false;
        setBusy(false);
      }
    },
    [showError],
  );

  /**
   * Shows the next card. If that fails, the card on screen is no longer the one to answer (its
   * answer is already recorded), so the session waits on a retry instead of offering it again.
   */
  const loadNext = useCallback(async () => {
    try {
      show(await api['review.next']({ locale, ...(deckId !== undefined ? { deckId } : {}) }));
    } catch (error) {
      setPhase('failed');
      throw error;
    }
  }, [api, deckId, locale, show]);

  const start = useCallback(() => {
    setPhase('loading');
    // Today prefetches the whole collection's first card; one deck's session asks for its own.
    const prefetched = deckId === undefined ? takePrefetched<ReviewCard | null>(firstCardKey(locale), firstCardFreshMs) : undefined;
    void step(
      prefetched
        ? async () => {
            try {
              show(await prefetched);
            } catch {
              await loadNext();
            }
          }
        : loadNext,
    );
  }, [deckId, loadNext, locale, show, step]);
  // Once per session; a language switch mid-session keeps the card that is showing.
  useEffect(start, []);

  const reveal = useCallback(() => {
    if (phase === 'question' && !inFlight.current) setPhase('answer');
  }, [phase]);

  const grade = useCallback(
    (rating: Rating) => {
      if (phase !== 'answer' || !card) return;
      void step(async () => {
        const durationMs = Math.min(maxAnswerMs, Math.max(0, Math.round(Date.now() - shownAt.current)));
        await api['review.answer']({ cardId: card.cardId, rating, durationMs });
        history.current.push({ kind: 'answer', card, rating });
        setUndoCount(history.current.length);
        setStats((current) => ({ ...current, reviewed: current.reviewed + 1, again: current.again + (rating === 1 ? 1 : 0) }));
        await loadNext();
      });
    },
    [api, card, loadNext, phase, step],
  );

  const undo = useCallback(() => {
    const entry = history.current.at(-1);
    if (!entry) {
      notify({ text: t('errors.nothing-to-undo') });
      return;
    }
    void step(async () => {
      if (entry.kind === 'answer') {
        const { cardId } = await api['review.undo']({});
        setStats((current) => ({ ...current, reviewed: current.reviewed - 1, again: current.again - (entry.rating === 1 ? 1 : 0) }));
        history.current.pop();
        setUndoCount(history.current.length);
        notify({ text: t('review.undone') });
        // The services restored that card's state; show it again as it was before the answer.
        if (cardId === entry.card.cardId) show(entry.card);
        else await loadNext();
      } else {
        await api['review.suspend']({ cardId: entry.card.cardId, suspended: false });
        history.current.pop();
        setUndoCount(history.current.length);
        notify({ text: t('review.unsuspended') });
        show(entry.card);
      }
    });
  }, [api, loadNext, notify, show, step, t]);

  const suspend = useCallback(() => {
    if (!card || (phase !== 'question' && phase !== 'answer')) return;
    void step(async () => {
      await api['review.suspend']({ cardId: card.cardId, suspended: true });
      history.current.push({ kind: 'suspend', card });
      setUndoCount(history.current.length);
      notify({ text: t('review.suspended') });
      await loadNext();
    });
  }, [api, card, loadNext, notify, phase, step, t]);

  const bury = useCallback(() => {
    if (!card || (phase !== 'question' && phase !== 'answer')) return;
    void step(async () => {
      await api['review.bury']({ cardId: card.cardId });
      notify({ text: t('review.buried') });
      await loadNext();
    });
  }, [api, card, loadNext, notify, phase, step, t]);

  return { phase, card, busy, stats, canUndo: undoCount > 0, reveal, grade, undo, suspend, bury, retry: start };
}

import { useCallback, useEffect, useRef, useState } from 'react';
import type { Rating, ReviewCard } from '../../shared/contract';
import { useApp } from '../AppContext';
import { takePrefetched } from '../prefetch';
import type { UndoApplied } from '../undo/undo-controller';

export type Phase = 'loading' | 'question' | 'answer' | 'done' | 'failed';

/** Operations that are about the card on screen: after their undo, that card is shown again. */
const aboutOneCard = new Set(['answer', 'bury', 'suspend', 'unsuspend']);

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
 * One review session: the current card and phase, the grade/suspend/bury actions, and the
 * session's counts. Every action waits for the API: the next card appears only once the answer
 * is durable, and nothing runs while a call is in flight. Undo is the app's one undo (any key,
 * button or notice): after it takes back an answer, a bury or a suspend, that card shows again.
 */
export function useReviewSession(deckId?: number) {
  const { api, locale, showError, t, undo: history } = useApp();
  const [phase, setPhase] = useState<Phase>('loading');
  const [card, setCard] = useState<ReviewCard | null>(null);
  const [busy, setBusy] = useState(false);
  const [stats, setStats] = useState<SessionStats>(() => ({ reviewed: 0, again: 0, startedAt: Date.now(), endedAt: null }));
  // Operations of this session not undone: the summary offers Undo while there are some.
  const [undoCount, setUndoCount] = useState(0);
  const shownAt = useRef(Date.now());
  const inFlight = useRef(false);
  const running = useRef<Promise<void>>(Promise.resolve());

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
      const done = (async () => {
        try {
          await work();
        } catch (error) {
          showError(error);
        } finally {
          inFlight.current = false;
          setBusy(false);
        }
      })();
      running.current = done;
      await done;
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
        setUndoCount((count) => count + 1);
        setStats((current) => ({ ...current, reviewed: current.reviewed + 1, again: current.again + (rating === 1 ? 1 : 0) }));
        await loadNext();
      });
    },
    [api, card, loadNext, phase, step],
  );

  // Whatever took it back (a key, the button, a notice), the screen follows the undo history:
  // after a step the call in flight finishes first, then the screen shows what the step changed.
  useEffect(
    () =>
      history.onApplied(({ direction, step: done }: UndoApplied) => {
        const follow = async () => {
          if (done.kind === 'answer') {
            const sign = direction === 'undo' ? -1 : 1;
            setStats((current) => ({ ...current, reviewed: current.reviewed + sign, again: current.again + (done.rating === 1 ? sign : 0) }));
          }
          setUndoCount((count) => Math.max(0, count + (direction === 'undo' ? -1 : 1)));
          const again = direction === 'undo' && aboutOneCard.has(done.kind) && done.cardId !== null;
          const restored = again ? await api['review.next']({ locale, cardId: done.cardId!, ...(deckId !== undefined ? { deckId } : {}) }) : null;
          if (restored) show(restored);
          else await loadNext();
        };
        void running.current.then(() => step(follow));
      }),
    [api, deckId, history, loadNext, locale, show, step],
  );

  const undo = useCallback(() => {
    if (!inFlight.current) void history.undo();
  }, [history]);

  const suspend = useCallback(() => {
    if (!card || (phase !== 'question' && phase !== 'answer')) return;
    void step(async () => {
      await api['review.suspend']({ cardId: card.cardId, suspended: true });
      setUndoCount((count) => count + 1);
      history.offer(t('review.suspended'));
      await loadNext();
    });
  }, [api, card, history, loadNext, phase, step, t]);

  const bury = useCallback(() => {
    if (!card || (phase !== 'question' && phase !== 'answer')) return;
    void step(async () => {
      await api['review.bury']({ cardId: card.cardId });
      setUndoCount((count) => count + 1);
      history.offer(t('review.buried'));
      await loadNext();
    });
  }, [api, card, history, loadNext, phase, step, t]);

  return { phase, card, busy, stats, canUndo: undoCount > 0, reveal, grade, undo, suspend, bury, retry: start };
}

import { useCallback, useEffect, useRef, useState } from 'react';
import type { Rating, ReviewCard } from '../../shared/contract';
import { useApp } from '../AppContext';
import { takePrefetched } from '../prefetch';
import type { UndoApplied } from '../undo/undo-controller';
import { flagName, nextFlag } from './flags';

export type Phase = 'loading' | 'question' | 'answer' | 'done' | 'failed';

/** Operations that are about the card on screen: after their undo, that card is shown again. */
const aboutOneCard = new Set(['answer', 'bury', 'suspend', 'unsuspend']);
/** Operations that change the card on screen in place (its flag, its note's mark or text): after an undo or redo it is read again, where it was. */
const inPlace = new Set(['flag', 'mark', 'unmark', 'edit-note']);

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
  const current = useRef<ReviewCard | null>(null);
  current.current = card;
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
   * Reads the card on screen again (after an edit, a flag, a mark, or their undo) and shows it
   * where the session was: the same side, the answer's timer running on. A card the edit removed
   * (a cloze number deleted) gives way to the next one.
   */
  const reload = useCallback(async () => {
    const shown = current.current;
    if (!shown) return;
    const fresh = await api['review.next']({ locale, cardId: shown.cardId, ...(deckId !== undefined ? { deckId } : {}) });
    if (fresh) setCard(fresh);
    else await loadNextRef.current();
  }, [api, deckId, locale]);

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

  const loadNextRef = useRef(loadNext);
  loadNextRef.current = loadNext;

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
          if (inPlace.has(done.kind) && current.current) {
            await reload();
            return;
          }
          const again = direction === 'undo' && aboutOneCard.has(done.kind) && done.cardId !== null;
          const restored = again ? await api['review.next']({ locale, cardId: done.cardId!, ...(deckId !== undefined ? { deckId } : {}) }) : null;
          if (restored) show(restored);
          else await loadNext();
        };
        void running.current.then(() => step(follow));
      }),
    [api, deckId, history, loadNext, locale, reload, show, step],
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

  /** Anki's Ctrl+1…7: sets the card's flag, or clears it when it already has that one. */
  const flag = useCallback(
    (pressed: number) => {
      if (!card || (phase !== 'question' && phase !== 'answer')) return;
      const value = nextFlag(card.flag, pressed);
      void step(async () => {
        await api['cards.flag']({ cardIds: [card.cardId], flag: value });
        setUndoCount((count) => count + 1);
        setCard((shown) => (shown && shown.cardId === card.cardId ? { ...shown, flag: value } : shown));
        history.offer(value ? t('flag.set', { name: t(flagName(value)) }) : t('flag.cleared'));
      });
    },
    [api, card, history, phase, step, t],
  );

  /** Anki's `*`: marks or unmarks the card's note (the tag `marked`). */
  const toggleMark = useCallback(() => {
    if (!card || (phase !== 'question' && phase !== 'answer')) return;
    const marked = !card.marked;
    void step(async () => {
      await api['notes.mark']({ noteId: card.noteId, marked });
      setUndoCount((count) => count + 1);
      await reload();
      history.offer(marked ? t('flag.markedNote') : t('flag.unmarkedNote'));
    });
  }, [api, card, history, phase, reload, step, t]);

  /** After the note editor closed: a saved edit shows at once, on the side it was left on. */
  const edited = useCallback(
    (saved: boolean) => {
      if (!saved) return;
      void step(async () => {
        setUndoCount((count) => count + 1);
        await reload();
      });
    },
    [reload, step],
  );

  return { phase, card, busy, stats, canUndo: undoCount > 0, reveal, grade, undo, suspend, bury, flag, toggleMark, edited, retry: start };
}

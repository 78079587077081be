import type { QueueCounts, Settings } from '../../../src/shared/contract';
import type { Stores } from '../store/stores';
import { studyDay, type StudyDay } from './study-day';

/** Anki's learn-ahead limit: when nothing else is left, a learning card due this soon is shown. */
export const learnAheadMs = 20 * 60_000;

export interface QueueInput {
  store: Stores;
  settings: Settings;
  now: number;
  timeZone: string;
  /** Studying one deck: only its cards count and come up (the daily limits stay the collection's). */
  deckId?: number;
}

export interface Queue extends QueueCounts {
  day: StudyDay;
  /** Reviews and new cards already answered this study day (they use up the daily limits). */
  doneToday: { review: number; new: number; total: number };
}

function doneToday(store: Stores, day: StudyDay): Queue['doneToday'] {
  // revlog.state is the state before the answer: 0 means the answer introduced a new card.
  const rows = store.revlog.countsByState(day.start, day.end);
  const count = (state: number) => rows.find((r) => r.state === state)?.n ?? 0;
  return { review: count(2), new: count(0), total: rows.reduce((sum, r) => sum + r.n, 0) };
}

/** Today's queue sizes, each stopping at its daily limit: the collection's, or one deck's. */
export function queueCounts({ store, settings, now, timeZone, deckId }: QueueInput): Queue {
  const deck = deckId ?? null;
  const day = studyDay(now, settings.dayStartHour, timeZone);
  const done = doneToday(store, day);
  const review = store.queue.reviewsDue(deck, now, day.end, Math.max(0, settings.reviewsPerDay - done.review));
  const fresh = store.queue.newWaiting(deck, now, Math.max(0, settings.newPerDay - done.new));
  // As Anki counts them: learning cards due within the learn-ahead limit, so an Again (1 minute)
  // or a Good on a 10-minute step shows in the count at once, not only once it falls due.
  const learning = store.queue.learningDue(deck, now, now + learnAheadMs);
  return { learning, review, new: fresh, day, doneToday: done };
}

/** The id of the card to show next, in Anki's order: due (re)learning, reviews, new; or null. */
export function nextCardId(input: QueueInput, queue: Queue = queueCounts(input)): number | null {
  const { store, now } = input;
  const deck = input.deckId ?? null;
  let id = store.queue.firstLearning(deck, now, now);
  if (id === null && queue.review > 0) id = store.queue.firstReview(deck, now, queue.day.end);
  if (id === null && queue.new > 0) id = store.queue.firstNew(deck, now);
  if (id === null && queue.learning > 0) id = store.queue.firstLearning(deck, now, now + learnAheadMs);
  return id;
}

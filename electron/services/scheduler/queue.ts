import type { QueueCounts, Settings } from '../../../src/shared/contract';
import { defaultPresetId } from '../../../src/shared/contract/presets';
import type { Stores } from '../store/stores';
import { studyDay, type StudyDay } from './study-day';

/** Anki's learn-ahead limit: when nothing else is left, a learning card due this soon is shown. */
export const learnAheadMs = 20 * 60_000;

export interface QueueInput {
  store: Stores;
  settings: Settings;
  now: number;
  timeZone: string;
  /** Studying one deck: only its cards count and come up, under its own limits and the collection's. */
  deckId?: number;
}

/** What is left of today's new and review limits. */
export interface Remaining {
  review: number;
  new: number;
}

/**
 * Today's limits as Anki's v3 scheduler applies a parent deck's and its children's: the
 * collection is the parent, under the Default preset's limits (the settings'); each deck's preset
 * caps that deck's own cards, less what was answered in that deck today.
 */
export interface Limits {
  collection: Remaining;
  /** Each deck's own remaining limits (already capped by the collection's). */
  deck(deckId: number): Remaining;
  /** Decks whose own limit is below the collection's: their cards are counted on their own. */
  capped: number[];
}

export interface Queue extends QueueCounts {
  day: StudyDay;
  /** Reviews and new cards already answered this study day (they use up the daily limits). */
  doneToday: { review: number; new: number; total: number };
  limits: Limits;
}

function doneToday(store: Stores, day: StudyDay): Queue['doneToday'] {
  // revlog.state is the state before the answer: 0 means the answer introduced a new card.
  const rows = store.revlog.countsByState(day.start, day.end);
  const count = (state: number) => rows.find((r) => r.state === state)?.n ?? 0;
  return { review: count(2), new: count(0), total: rows.reduce((sum, r) => sum + r.n, 0) };
}

/** Today's remaining limits, the collection's and each deck's. */
export function dailyLimits(store: Stores, settings: Settings, day: StudyDay, done: Queue['doneToday']): Limits {
  const collection = { review: Math.max(0, settings.reviewsPerDay - done.review), new: Math.max(0, settings.newPerDay - done.new) };
  const presets = new Map(store.presets.all().map((p) => [p.id, p.config]));
  const decks = store.presets.deckPresets();
  // A deck of a preset whose limits are not below Default's can never reach its own limit before
  // the collection reaches its: it needs no counting of its own (nor the statements it costs).
  const own = decks.filter(({ presetId }) => {
    const config = presets.get(presetId);
    return presetId !== defaultPresetId && config !== undefined && (config.newPerDay < settings.newPerDay || config.reviewsPerDay < settings.reviewsPerDay);
  });
  const byDeck = new Map<number, Remaining>();
  if (own.length) {
    const done = new Map(store.presets.doneByDeck(day.start, day.end).map((r) => [r.deckId, r]));
    for (const { deckId, presetId } of own) {
      const config = presets.get(presetId)!;
      const spent = done.get(deckId);
      byDeck.set(deckId, {
        review: Math.min(collection.review, Math.max(0, config.reviewsPerDay - (spent?.review ?? 0))),
        new: Math.min(collection.new, Math.max(0, config.newPerDay - (spent?.new ?? 0))),
      });
    }
  }
  return { collection, deck: (deckId) => byDeck.get(deckId) ?? collection, capped: own.map((d) => d.deckId) };
}

/** Today's queue sizes, each stopping at its daily limits: the collection's, or one deck's. */
export function queueCounts({ store, settings, now, timeZone, deckId }: QueueInput): Queue {
  const day = studyDay(now, settings.dayStartHour, timeZone);
  const done = doneToday(store, day);
  const limits = dailyLimits(store, settings, day, done);
  let review: number;
  let fresh: number;
  if (deckId !== undefined) {
    const left = limits.deck(deckId);
    review = store.queue.reviewsDue(deckId, now, day.end, left.review);
    fresh = store.queue.newWaiting(deckId, now, left.new);
  } else {
    // The decks under the collection's limits together, each capped deck on its own, and the sum
    // under the collection's limits.
    review = store.queue.reviewsDue(limits.capped, now, day.end, limits.collection.review);
    fresh = store.queue.newWaiting(limits.capped, now, limits.collection.new);
    for (const capped of limits.capped) {
      const left = limits.deck(capped);
      // A capped deck's own cards: its subdecks' are counted with the others, or as capped decks of their own.
      if (review < limits.collection.review) review += store.queue.reviewsDue({ own: capped }, now, day.end, Math.min(left.review, limits.collection.review - review));
      if (fresh < limits.collection.new) fresh += store.queue.newWaiting({ own: capped }, now, Math.min(left.new, limits.collection.new - fresh));
    }
  }
  // As Anki counts them: learning cards due within the learn-ahead limit, so an Again (1 minute)
  // or a Good on a 10-minute step shows in the count at once, not only once it falls due.
  const learning = store.queue.learningDue(deckId ?? null, now, now + learnAheadMs);
  return { learning, review, new: fresh, day, doneToday: done, limits };
}

/** The id of the card to show next, in Anki's order: due (re)learning, reviews, new; or null. */
export function nextCardId(input: QueueInput, queue: Queue = queueCounts(input)): number | null {
  const { store, now } = input;
  const deck = input.deckId ?? null;
  // Decks at their own limit for the day are passed over.
  const open = (kind: keyof Remaining) => (deck !== null ? deck : queue.limits.capped.filter((d) => queue.limits.deck(d)[kind] <= 0));
  let id = store.queue.firstLearning(deck, now, now);
  if (id === null && queue.review > 0) id = store.queue.firstReview(open('review'), now, queue.day.end);
  if (id === null && queue.new > 0) id = store.queue.firstNew(open('new'), now);
  if (id === null && queue.learning > 0) id = store.queue.firstLearning(deck, now, now + learnAheadMs);
  return id;
}

import type { ExchangeCard, ExchangeReview } from '../types';
import { studyDay } from '../../scheduler/study-day';
import { ankiCollectionConf, type AnkiCollectionConf } from '../../../../src/shared/anki/collection-config';
import { ankiDayClock, type AnkiDayClock, type AnkiTiming } from '../../../../src/shared/anki/day-clock';
import { dueToAnki } from '../../../../src/shared/anki/card-due';
import { minutesWestIn } from './time-zone';

/**
 * The scheduling half of an .apkg export, as Anki reads it back (docs/anki-compat.md): a
 * `col.conf` with `schedVer` 2 and the v3 keys, so Anki's import does not run its v1 → v2 upgrade
 * over the review log; a `crt` at the start of the study day of the earliest due date, and the
 * day timing (`rollover`, `creationOffset`) that counted the day numbers; each card's
 * type/queue/due through `dueToAnki`, so a suspended or buried learning card keeps its timestamp.
 */

export interface ExportTimingOptions {
  now: number;
  /** The user's "next day starts at" hour (settings.dayStartHour); Anki's `rollover`. */
  rolloverHour: number;
  /** The user's time zone (IANA). */
  timeZone: string;
}

/** How an export counts Anki days: the collection's timing and its clock. */
export interface ExportTiming {
  crt: number;
  timing: AnkiTiming;
  clock: AnkiDayClock;
}

/**
 * The timing of an exported collection: `crt` is the start of the study day holding the earliest
 * due date of a card that is not new (or now), so no card's day number is negative; days then
 * start at the user's rollover hour in the user's time zone, as ProofDeck's study days do.
 */
export function exportTiming(cards: Iterable<Pick<ExchangeCard, 'state' | 'due'>>, options: ExportTimingOptions): ExportTiming {
  let earliest = options.now;
  for (const card of cards) if (card.state !== 0 && Number.isFinite(card.due)) earliest = Math.min(earliest, card.due);
  const crt = Math.floor(studyDay(earliest, options.rolloverHour, options.timeZone).start / 1000);
  const westAt = minutesWestIn(options.timeZone);
  const timing: AnkiTiming = { creationSeconds: crt, schedulerVersion: 2, rolloverHour: options.rolloverHour, creationMinutesWest: westAt(crt * 1000) };
  return { crt, timing, clock: ankiDayClock(timing, westAt) };
}

/** The collection config an export carries (schedVer 2, v3, and the timing above). */
export function exportConf(timing: ExportTiming, deckId: number, nextPosition: number): AnkiCollectionConf {
  return ankiCollectionConf({
    deckId,
    creationMinutesWest: timing.timing.creationMinutesWest ?? 0,
    rolloverHour: timing.timing.rolloverHour,
    nextPosition,
  });
}

/** SM-2's ease from FSRS difficulty (the inverse of the importer's `difficultyFromEase`), for Anki without FSRS. */
function easeOf(difficulty: number): number {
  return Math.round(Math.min(3500, Math.max(1300, 2500 - (difficulty - 5) * 200)));
}

/**
 * The scheduling columns of an Anki `cards` row for a ProofDeck card (or a new card when there is
 * no schedule). The card's flag travels with its schedule: a deck shared without scheduling
 * carries no one's flags, as Anki's own export clears them (import_export/gather.rs `reset_cards`).
 */
export function ankiCardColumns(card: ExchangeCard | undefined, position: number, clock: AnkiDayClock, now: number, withSchedule: boolean) {
  if (!card || !withSchedule || card.state === 0) {
    const { type, queue, due } = dueToAnki({ state: 0, due: null, newPosition: position, suspended: withSchedule && !!card?.suspended, buried: withSchedule && card?.buried ? 'user' : null }, clock, now);
    return { type, queue, due, ivl: 0, factor: 0, reps: 0, lapses: 0, flags: withSchedule ? (card?.flag ?? 0) : 0, data: '{}' };
  }
  const state = card.state === 1 || card.state === 2 || card.state === 3 ? card.state : 0;
  const hidden = card.suspended || !!card.buried;
  const written = dueToAnki({ state, due: card.due, newPosition: null, suspended: card.suspended, buried: card.buried ? 'user' : null }, clock, now);
  const { type, queue } = written;
  // A suspended or buried (re)learning card keeps a timestamp even on a step a day or more away:
  // Anki's import shifts day numbers onto the target collection only for the review and day-learn
  // queues and review cards (apkg/import/cards.rs `due_in_days_since_collection_creation`), and
  // puts a timestamp back in the learning queue when the card comes back (`restore_queue_from_type`).
  const due = hidden && state !== 2 ? Math.floor(card.due / 1000) : written.due;
  return {
    type,
    queue,
    due,
    ivl: card.scheduledDays,
    factor: easeOf(card.difficulty),
    reps: card.reps,
    lapses: card.lapses,
    flags: card.flag ?? 0,
    // Anki ≥ 23.10 reads FSRS memory state from here; older versions ignore it.
    data: JSON.stringify({ s: card.stability, d: card.difficulty }),
  };
}

/**
 * A review-log row as Anki keeps it. Anki's revlog type: 0 learn (ProofDeck's new and learning),
 * 1 review, 2 relearn; `ivl` in days, or negative seconds for an intraday step. The rating is
 * written as given: with `schedVer` 2, Anki's import leaves it alone.
 */
export function ankiReviewRow(review: ExchangeReview, cardId: number) {
  return {
    id: review.id,
    cid: cardId,
    usn: -1,
    ease: review.rating,
    ivl: review.scheduledDays > 0 ? review.scheduledDays : -Math.round(Math.max(0, review.due - review.id) / 1000),
    lastIvl: review.lastElapsedDays,
    factor: 0,
    time: review.durationMs,
    type: review.state === 2 ? 1 : review.state === 3 ? 2 : 0,
  };
}

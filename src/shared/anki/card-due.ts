import type { AnkiDayClock } from './day-clock';

/**
 * A card's due date between Anki's `cards` row and ProofDeck's schedule. References are to
 * ankitects/anki 25.09, rslib/src.
 *
 * Anki's `due` means a different thing per queue (card/mod.rs `CardQueue`): the new-card position
 * (new), a Unix time in seconds (intraday learning, preview), or a day number (review, and
 * learning whose next step is a day or more away: `DayLearn`, see states/interval_kind.rs
 * `maybe_as_days`). A suspended or buried card keeps the `due` of the queue it left, so its
 * meaning comes from the card type, and for (re)learning cards from the value itself: Anki
 * restores the queue with `is_unix_epoch_timestamp(due)` — due > 1,000,000,000 is a timestamp
 * (scheduler/filtered/card.rs `restore_queue_from_type`, scheduler/timing.rs).
 */

/** card/mod.rs `CardQueue`. */
export const AnkiQueue = { new: 0, learn: 1, review: 2, dayLearn: 3, previewRepeat: 4, suspended: -1, schedBuried: -2, userBuried: -3 } as const;
/** card/mod.rs `CardType`, which is also ts-fsrs's `State` (new, learning, review, relearning). */
export const AnkiCardType = { new: 0, learn: 1, review: 2, relearn: 3 } as const;

/** timing.rs `is_unix_epoch_timestamp`. */
export function isUnixEpochTimestamp(due: number): boolean {
  return due > 1_000_000_000;
}

/** The scheduling columns of an Anki `cards` row. */
export interface AnkiCardDue {
  type: number;
  queue: number;
  due: number;
  /** Set while the card is in a filtered deck: its home deck (`odid`) and due there (`odue`). */
  odue?: number;
  odid?: number;
}

/** Anki's two ways to bury: by the scheduler (siblings) or by the user. */
export type BuryKind = 'sched' | 'user';

/** A card's schedule in ProofDeck's terms. */
export interface ProofDeckCardDue {
  /** ts-fsrs State: 0 new, 1 learning, 2 review, 3 relearning. */
  state: 0 | 1 | 2 | 3;
  /** When it is due, ms since the epoch; null for a new card (it waits its turn in `newPosition`). */
  due: number | null;
  /** A new card's place in the order new cards are introduced; null for the others. */
  newPosition: number | null;
  suspended: boolean;
  buried: BuryKind | null;
}

const toState = (type: number): 0 | 1 | 2 | 3 => (type === 1 || type === 2 || type === 3 ? type : 0);

/**
 * Reads an Anki card's due date. `clock` is the package's day clock (`ankiDayClock` of its
 * timing). For a v1 package the card type is first upgraded as Anki would on import: a review
 * card in a learning queue is relearning (scheduler/upgrade.rs `Card::upgrade_to_v2`).
 */
export function dueFromAnki(card: AnkiCardDue, clock: AnkiDayClock, schedulerVersion: 1 | 2 = 2): ProofDeckCardDue {
  let type = card.type;
  if (schedulerVersion === 1 && type === AnkiCardType.review && (card.queue === AnkiQueue.learn || card.queue === AnkiQueue.dayLearn)) {
    type = AnkiCardType.relearn;
  }
  const state = toState(type);
  // scheduler/new.rs `original_or_current_due`: in a filtered deck, the home deck's due counts.
  const due = card.odid ? (card.odue ?? card.due) : card.due;
  const suspended = card.queue === AnkiQueue.suspended;
  const buried = card.queue === AnkiQueue.schedBuried ? 'sched' : card.queue === AnkiQueue.userBuried ? 'user' : null;
  if (state === 0) return { state, due: null, newPosition: Math.max(0, due), suspended, buried };
  let isTimestamp: boolean;
  if (state === 2) isTimestamp = false;
  else if (!card.odid && (card.queue === AnkiQueue.learn || card.queue === AnkiQueue.previewRepeat)) isTimestamp = true;
  else if (!card.odid && card.queue === AnkiQueue.dayLearn) isTimestamp = false;
  else isTimestamp = isUnixEpochTimestamp(due);
  return { state, due: isTimestamp ? due * 1000 : clock.dayStart(due), newPosition: null, suspended, buried };
}

/**
 * Writes a ProofDeck card's due date as Anki keeps it. `now` decides, as Anki does when it
 * answers a learning card (interval_kind.rs `maybe_as_days`), whether a (re)learning card is
 * intraday (a timestamp, queue 1) or due on a later day (a day number, queue 3); a due exactly at
 * a day's start is a day number, which is how one read from Anki comes back. A suspended or
 * buried card keeps that `due`, so a suspended learning card keeps its timestamp.
 */
export function dueToAnki(card: ProofDeckCardDue, clock: AnkiDayClock, now: number): Required<Pick<AnkiCardDue, 'type' | 'queue' | 'due'>> {
  const hidden = card.suspended ? AnkiQueue.suspended : card.buried === 'sched' ? AnkiQueue.schedBuried : card.buried === 'user' ? AnkiQueue.userBuried : null;
  if (card.state === 0 || card.due === null) {
    return { type: AnkiCardType.new, queue: hidden ?? AnkiQueue.new, due: Math.max(0, Math.floor(card.newPosition ?? 0)) };
  }
  const day = clock.dayAt(card.due);
  if (card.state === 2) return { type: AnkiCardType.review, queue: hidden ?? AnkiQueue.review, due: day };
  const tomorrow = clock.dayStart(clock.dayAt(now) + 1);
  const dayLearn = card.due >= tomorrow || clock.dayStart(day) === card.due;
  return {
    type: card.state,
    queue: hidden ?? (dayLearn ? AnkiQueue.dayLearn : AnkiQueue.learn),
    due: dayLearn ? day : Math.floor(card.due / 1000),
  };
}

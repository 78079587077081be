import { describe, expect, it } from 'vitest';
import { AnkiQueue, dueFromAnki, dueToAnki, type AnkiCardDue, type ProofDeckCardDue } from './card-due';
import { ankiDayClock } from './day-clock';

const KST = -540;
/** ms of a Seoul wall-clock time. */
const seoul = (mo: number, d: number, h: number, mi = 0) => Date.UTC(2026, mo - 1, d, h, mi) + KST * 60_000;
// A collection created 1 January 2026 at 4:00 in Seoul, days starting at 4:00 (v2, new cut-off).
const clock = ankiDayClock({ creationSeconds: seoul(1, 1, 4) / 1000, schedulerVersion: 2, rolloverHour: 4, creationMinutesWest: KST });
const now = seoul(3, 10, 15); // day 68
const today = clock.dayAt(now);
const inTenMinutes = (now + 600_000) / 1000;
const twoDaysAgo = (now - 2 * 86_400_000) / 1000 + 17;

interface Row {
  name: string;
  anki: AnkiCardDue;
  proofdeck: ProofDeckCardDue;
  /** What writing it back gives, when not the same row (ProofDeck has no filtered decks and no v1). */
  back?: AnkiCardDue;
  schedulerVersion?: 1 | 2;
}

const card = (state: 0 | 1 | 2 | 3, due: number | null, extra: Partial<ProofDeckCardDue> = {}): ProofDeckCardDue => ({ state, due, newPosition: null, suspended: false, buried: null, ...extra });

const rows: Row[] = [
  { name: 'new', anki: { type: 0, queue: 0, due: 7 }, proofdeck: card(0, null, { newPosition: 7 }) },
  { name: 'new, suspended', anki: { type: 0, queue: -1, due: 8 }, proofdeck: card(0, null, { newPosition: 8, suspended: true }) },
  { name: 'new, buried by the user', anki: { type: 0, queue: -3, due: 9 }, proofdeck: card(0, null, { newPosition: 9, buried: 'user' }) },
  { name: 'learning, due in ten minutes', anki: { type: 1, queue: 1, due: inTenMinutes }, proofdeck: card(1, inTenMinutes * 1000) },
  { name: 'learning, overdue since two days', anki: { type: 1, queue: 1, due: twoDaysAgo }, proofdeck: card(1, twoDaysAgo * 1000) },
  { name: 'learning, next step tomorrow (day-learn)', anki: { type: 1, queue: 3, due: today + 1 }, proofdeck: card(1, seoul(3, 11, 4)) },
  { name: 'relearning, day-learn overdue', anki: { type: 3, queue: 3, due: today - 8 }, proofdeck: card(3, seoul(3, 2, 4)) },
  { name: 'review', anki: { type: 2, queue: 2, due: 100 }, proofdeck: card(2, seoul(4, 11, 4)) },
  { name: 'review, suspended', anki: { type: 2, queue: -1, due: 100 }, proofdeck: card(2, seoul(4, 11, 4), { suspended: true }) },
  { name: 'review, buried by the scheduler', anki: { type: 2, queue: -2, due: today }, proofdeck: card(2, seoul(3, 10, 4), { buried: 'sched' }) },
  { name: 'review, buried by the user', anki: { type: 2, queue: -3, due: 90 }, proofdeck: card(2, seoul(4, 1, 4), { buried: 'user' }) },
  { name: 'learning, suspended: keeps its timestamp', anki: { type: 1, queue: -1, due: twoDaysAgo }, proofdeck: card(1, twoDaysAgo * 1000, { suspended: true }) },
  { name: 'relearning, suspended on a day-learn step', anki: { type: 3, queue: -1, due: 75 }, proofdeck: card(3, seoul(3, 17, 4), { suspended: true }) },
  { name: 'learning, buried by the scheduler', anki: { type: 1, queue: -2, due: inTenMinutes }, proofdeck: card(1, inTenMinutes * 1000, { buried: 'sched' }) },
  { name: 'relearning, buried by the user', anki: { type: 3, queue: -3, due: inTenMinutes }, proofdeck: card(3, inTenMinutes * 1000, { buried: 'user' }) },
  {
    name: 'previewed in a filtered deck (home position 3)',
    anki: { type: 0, queue: 4, due: inTenMinutes, odid: 5, odue: 3 },
    proofdeck: card(0, null, { newPosition: 3 }),
    back: { type: 0, queue: 0, due: 3 },
  },
  {
    name: 'review in a filtered deck (home due day 100)',
    anki: { type: 2, queue: 2, due: -100_000, odid: 9, odue: 100 },
    proofdeck: card(2, seoul(4, 11, 4)),
    back: { type: 2, queue: 2, due: 100 },
  },
  {
    name: 'learning in a filtered deck (home due a timestamp)',
    anki: { type: 1, queue: 1, due: 12, odid: 9, odue: inTenMinutes },
    proofdeck: card(1, inTenMinutes * 1000),
    back: { type: 1, queue: 1, due: inTenMinutes },
  },
  {
    name: 'v1: a review card in the learning queue is relearning',
    anki: { type: 2, queue: 1, due: inTenMinutes },
    proofdeck: card(3, inTenMinutes * 1000),
    back: { type: 3, queue: 1, due: inTenMinutes },
    schedulerVersion: 1,
  },
];

describe('due dates between Anki and ProofDeck', () => {
  it.each(rows)('$name', (row) => {
    expect(dueFromAnki(row.anki, clock, row.schedulerVersion ?? 2)).toEqual(row.proofdeck);
    const { type, queue, due } = row.back ?? row.anki;
    expect(dueToAnki(row.proofdeck, clock, now)).toEqual({ type, queue, due });
  });

  it('never reads a suspended or buried learning card’s timestamp as a day number', () => {
    for (const queue of [AnkiQueue.suspended, AnkiQueue.schedBuried, AnkiQueue.userBuried]) {
      const read = dueFromAnki({ type: 1, queue, due: 1_780_000_000 }, clock);
      expect(read.due).toBe(1_780_000_000_000);
    }
  });

  it('puts a ProofDeck learning step that crosses the day boundary on a day, as Anki does when answering', () => {
    // Due at 5:00 tomorrow (after the 4:00 rollover): Anki's maybe_as_days makes that day-learn, day 69.
    expect(dueToAnki(card(1, seoul(3, 11, 5)), clock, now)).toEqual({ type: 1, queue: 3, due: 69 });
    // Due at 3:00 tomorrow (before the rollover): still today's study day, a timestamp.
    expect(dueToAnki(card(1, seoul(3, 11, 3)), clock, now)).toEqual({ type: 1, queue: 1, due: seoul(3, 11, 3) / 1000 });
  });

  it('counts a review due at any hour on the day that hour belongs to', () => {
    expect(dueToAnki(card(2, seoul(4, 11, 23)), clock, now).due).toBe(100);
    expect(dueToAnki(card(2, seoul(4, 12, 3, 59)), clock, now).due).toBe(100);
    expect(dueToAnki(card(2, seoul(4, 12, 4)), clock, now).due).toBe(101);
  });
});

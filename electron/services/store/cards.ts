import type { Sql } from './sql';

/** A row of the `cards` table, as stored. Times in ms since the epoch. */
export interface CardRow {
  id: number;
  note_id: number;
  ord: number;
  due: number;
  stability: number;
  difficulty: number;
  elapsed_days: number;
  scheduled_days: number;
  learning_steps: number;
  reps: number;
  lapses: number;
  /** ts-fsrs State: 0 new, 1 learning, 2 review, 3 relearning */
  state: number;
  last_review: number | null;
  suspended: number;
  buried_until: number | null;
  new_position: number;
  /** Anki's card flag (migration 010): 0 none, 1 red, 2 orange, 3 green, 4 blue, 5 pink, 6 turquoise, 7 purple. */
  flags: number;
}

/** The columns of `cards`, in table order. */
export const cardColumns = [
  'id',
  'note_id',
  'ord',
  'due',
  'stability',
  'difficulty',
  'elapsed_days',
  'scheduled_days',
  'learning_steps',
  'reps',
  'lapses',
  'state',
  'last_review',
  'suspended',
  'buried_until',
  'new_position',
  'flags',
] as const satisfies readonly (keyof CardRow)[];

/** What an answer or a replay of the review log decides: the card's memory state and due time. */
export type Schedule = Pick<CardRow, 'due' | 'stability' | 'difficulty' | 'elapsed_days' | 'scheduled_days' | 'learning_steps' | 'reps' | 'lapses' | 'state' | 'last_review'>;

/** A card's schedule as a file carries it (an import with scheduling). */
export interface ScheduledCard extends Schedule {
  ord: number;
  suspended: boolean;
  /** The card's flag in the file (0 when it had none). */
  flags?: number;
}

const cardById = `SELECT ${cardColumns.join(', ')} FROM cards WHERE id = ?`;
const cardsOfDeck = `SELECT ${cardColumns.map((c) => `c.${c}`).join(', ')} FROM cards c JOIN notes n ON n.id = c.note_id WHERE n.deck_id = ? ORDER BY c.note_id, c.ord`;
const ids = (list: readonly number[]) => JSON.stringify(list);
const scheduleSet = `due = @due, stability = @stability, difficulty = @difficulty, elapsed_days = @elapsed_days,
  scheduled_days = @scheduled_days, learning_steps = @learning_steps, reps = @reps, lapses = @lapses,
  state = @state, last_review = @last_review`;
const answerCard = `UPDATE cards SET ${scheduleSet}, buried_until = NULL WHERE id = @id`;
// Parameters are written out, not spread ({ ...schedule, id }): on Node 20 a spread with added
// keys costs about 10 µs, more than the statement it binds (sql.ts).
const scheduleParams = (id: number, s: Schedule) => ({
  id,
  due: s.due,
  stability: s.stability,
  difficulty: s.difficulty,
  elapsed_days: s.elapsed_days,
  scheduled_days: s.scheduled_days,
  learning_steps: s.learning_steps,
  reps: s.reps,
  lapses: s.lapses,
  state: s.state,
  last_review: s.last_review,
});
const scheduleCard = `UPDATE cards SET ${scheduleSet} WHERE id = @id`;

const DAY_MS = 86_400_000;

/** Not suspended, not buried at @now. */
export const available = `suspended = 0 AND (buried_until IS NULL OR buried_until <= @now)`;
const siblingsToBury = `SELECT id FROM cards WHERE note_id = (SELECT note_id FROM cards WHERE id = @id) AND id != @id AND ((state = 0 AND @new) OR (state = 2 AND @review)) AND ${available}`;
const dueByDay = `SELECT max(0, CAST((due - @dayStart + ${DAY_MS} * 100000) / ${DAY_MS} AS INTEGER) - 100000) AS day, count(*) AS n
  FROM cards WHERE state <> 0 AND suspended = 0 AND due < @until GROUP BY day`;

/** The `cards` table. Many-card changes take their ids as one JSON array (any number, one statement). */
export function cardsStore(sql: Sql) {
  return {
    byId(id: number): CardRow | undefined {
      return sql.get<CardRow>(cardById, id);
    },
    /** How many of `list` exist. */
    countExisting(list: readonly number[]): number {
      return sql.value<number>(`SELECT COUNT(*) FROM cards WHERE id IN (SELECT value FROM json_each(?))`, ids(list)) ?? 0;
    },
    /** The notes of the cards in `list`, each once. */
    noteIdsOf(list: readonly number[]): number[] {
      return sql.column<number>(`SELECT DISTINCT note_id FROM cards WHERE id IN (SELECT value FROM json_each(?))`, ids(list));
    },
    /** A note's cards by ord. */
    ofNote(noteId: number): { id: number; ord: number; reps: number }[] {
      return sql.all(`SELECT id, ord, reps FROM cards WHERE note_id = ? ORDER BY ord`, noteId);
    },
    /** Every card of a deck's notes, by note and ord. */
    ofDeck(deckId: number): CardRow[] {
      return sql.all<CardRow>(cardsOfDeck, deckId);
    },
    count(): number {
      return sql.value<number>(`SELECT COUNT(*) FROM cards`) ?? 0;
    },
    /** New cards not suspended: what is left to learn, whatever today's limit. */
    countNewLeft(): number {
      return sql.value<number>(`SELECT COUNT(*) FROM cards WHERE state = 0 AND suspended = 0`) ?? 0;
    },
    /** The last place in the order new cards are introduced (0 when there is no card). */
    lastNewPosition(): number {
      return sql.value<number | null>(`SELECT MAX(new_position) FROM cards`) ?? 0;
    },
    /** A new card, introduced at `position`. */
    insertNew(noteId: number, ord: number, due: number, position: number): number {
      return Number(sql.run(`INSERT INTO cards (note_id, ord, due, state, new_position) VALUES (?, ?, ?, 0, ?)`, noteId, ord, due, position).lastInsertRowid);
    },
    /** A card with the schedule a file carried. */
    insertScheduled(noteId: number, card: ScheduledCard, position: number): number {
      return Number(
        sql.run(
          `INSERT INTO cards (note_id, ord, due, stability, difficulty, elapsed_days, scheduled_days, learning_steps, reps, lapses, state, last_review, suspended, new_position, flags)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          noteId,
          card.ord,
          card.due,
          card.stability,
          card.difficulty,
          card.elapsed_days,
          card.scheduled_days,
          card.learning_steps,
          card.reps,
          card.lapses,
          card.state,
          card.last_review,
          card.suspended ? 1 : 0,
          position,
          card.flags ?? 0,
        ).lastInsertRowid,
      );
    },
    /** The schedule an answer gave; an answered card is no longer buried. */
    answer(id: number, schedule: Schedule): void {
      sql.run(answerCard, scheduleParams(id, schedule));
    },
    /** The schedule a replay of the review log gave (the optimizer's reschedule). */
    setSchedule(id: number, schedule: Schedule): void {
      sql.run(scheduleCard, scheduleParams(id, schedule));
    },
    /** The note's other new and review cards that are neither buried nor suspended at `now`. */
    siblingsToBury(id: number, now: number, which: { new: boolean; review: boolean } = { new: true, review: true }): number[] {
      return sql.column<number>(siblingsToBury, { id, now, new: which.new ? 1 : 0, review: which.review ? 1 : 0 });
    },
    /** @returns how many cards were changed. */
    bury(list: readonly number[], until: number): number {
      return sql.run(`UPDATE cards SET buried_until = ? WHERE id IN (SELECT value FROM json_each(?))`, until, ids(list)).changes;
    },
    /** @returns how many cards were changed. */
    suspend(list: readonly number[], suspended: boolean): number {
      return sql.run(`UPDATE cards SET suspended = ? WHERE id IN (SELECT value FROM json_each(?))`, suspended ? 1 : 0, ids(list)).changes;
    },
    /** Sets the flag of every card in `list` (0 clears it). @returns how many cards changed. */
    setFlag(list: readonly number[], flag: number): number {
      return sql.run(`UPDATE cards SET flags = ? WHERE id IN (SELECT value FROM json_each(?)) AND flags <> ?`, flag, ids(list), flag).changes;
    },
    /** Back to new: the schedule and its counts cleared (the review log is kept). */
    forget(list: readonly number[], now: number): void {
      sql.run(
        `UPDATE cards SET state = 0, due = ?, stability = 0, difficulty = 0, elapsed_days = 0, scheduled_days = 0,
           learning_steps = 0, reps = 0, lapses = 0, last_review = NULL, buried_until = NULL WHERE id IN (SELECT value FROM json_each(?))`,
        now,
        ids(list),
      );
    },
    /** Review cards falling due on each day from `dayStart` until `until` (overdue ones on day 0). */
    dueByDay(dayStart: number, until: number): { day: number; n: number }[] {
      return sql.all(dueByDay, { dayStart, until });
    },
    totals(): { cards: number; newCards: number | null; learning: number | null; review: number | null; suspended: number | null } {
      return sql.get(
        `SELECT count(*) AS cards, sum(state = 0) AS newCards, sum(state IN (1, 3)) AS learning, sum(state = 2) AS review, sum(suspended) AS suspended FROM cards`,
      )!;
    },
    /** [stability, difficulty] of every card past new, read one at a time. */
    iterateMemory(): IterableIterator<[number, number]> {
      return sql.iterateRaw(`SELECT stability, difficulty FROM cards WHERE state <> 0`);
    },
    /** Deletes cards with their review log. */
    delete(list: readonly number[]): void {
      sql.run(`DELETE FROM cards WHERE id IN (SELECT value FROM json_each(?))`, ids(list));
    },
  };
}

export type CardsStore = ReturnType<typeof cardsStore>;

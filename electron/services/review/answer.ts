import { AppError } from '../../../src/shared/errors';
import type { Rating } from '../../../src/shared/contract';
import type { ServiceContext } from '../context';
import { cardColumns, type CardRow } from '../scheduler/card-row';
import { studyDay } from '../scheduler/study-day';

export function loadCard(ctx: ServiceContext, cardId: number): CardRow {
  const row = ctx.sql.get<CardRow>(`SELECT ${cardColumns.join(', ')} FROM cards WHERE id = ?`, cardId);
  if (!row) throw new AppError('not-found', `card ${cardId} does not exist`, { cardId });
  return row;
}

const restoreCard = `UPDATE cards SET ${cardColumns
  .filter((c) => c !== 'id')
  .map((c) => `${c} = @${c}`)
  .join(', ')} WHERE id = @id`;

/**
 * Buries the note's other new and review cards that are not buried or suspended yet, until the
 * next study day (as Anki's "bury new/review siblings"); learning cards keep their steps.
 * @returns the ids buried.
 */
function burySiblings(ctx: ServiceContext, card: CardRow, now: number): number[] {
  const siblings = ctx.sql
    .all<{ id: number }>(
      `SELECT id FROM cards WHERE note_id = (SELECT note_id FROM cards WHERE id = ?) AND id != ? AND state IN (0, 2)
         AND suspended = 0 AND (buried_until IS NULL OR buried_until <= ?)`,
      card.id,
      card.id,
      now,
    )
    .map((row) => row.id);
  if (!siblings.length) return [];
  const { end } = studyDay(now, ctx.settings.get().dayStartHour, ctx.timeZone);
  for (const id of siblings) ctx.sql.run(`UPDATE cards SET buried_until = ? WHERE id = ?`, end, id);
  return siblings;
}

/**
 * Records an answer: the card's new schedule and its review-log row (holding the card as it was,
 * for undo) in one transaction. Once this returns, the answer is in the WAL and survives a kill.
 * @returns the card's new due time.
 */
export function recordAnswer(ctx: ServiceContext, cardId: number, rating: Rating, durationMs: number): number {
  const now = ctx.now();
  return ctx.sql.transaction(() => {
    const before = loadCard(ctx, cardId);
    const buriedSiblings = ctx.settings.get().burySiblings ? burySiblings(ctx, before, now) : [];
    const { card, log } = ctx.scheduler().answer(before, now, rating);
    ctx.sql.run(
      `UPDATE cards SET due = @due, stability = @stability, difficulty = @difficulty, elapsed_days = @elapsed_days,
         scheduled_days = @scheduled_days, learning_steps = @learning_steps, reps = @reps, lapses = @lapses,
         state = @state, last_review = @last_review, buried_until = NULL WHERE id = @id`,
      { ...card, id: cardId },
    );
    // revlog ids are answer times in ms and must be unique: two answers in one ms take the next one.
    const last = ctx.sql.get<{ id: number | null }>(`SELECT MAX(id) AS id FROM revlog`)!.id ?? 0;
    const id = Math.max(now, last + 1);
    ctx.sql.run(
      `INSERT INTO revlog (id, card_id, rating, state, due, stability, difficulty, elapsed_days, last_elapsed_days,
         scheduled_days, learning_steps, duration_ms, prev_card)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      id,
      cardId,
      rating,
      before.state,
      card.due,
      card.stability,
      card.difficulty,
      log.elapsed_days,
      log.last_elapsed_days,
      card.scheduled_days,
      card.learning_steps,
      durationMs,
      // The card as it was, and the siblings this answer buried: undo puts both back.
      JSON.stringify(buriedSiblings.length ? { ...before, buriedSiblings } : before),
    );
    return card.due;
  });
}

/**
 * Undoes the most recent answer: the card row is put back exactly as it was and the log row
 * removed, in one transaction. Works across restarts because the old card lives in the log row.
 */
export function undoLastAnswer(ctx: ServiceContext): number {
  return ctx.sql.transaction(() => {
    const last = ctx.sql.get<{ id: number; card_id: number; prev_card: string | null }>(
      `SELECT id, card_id, prev_card FROM revlog ORDER BY id DESC LIMIT 1`,
    );
    // Imported history has no saved card: it cannot be undone, and neither can anything before it.
    if (!last || last.prev_card === null) throw new AppError('nothing-to-undo', 'there is no answer to undo');
    const { buriedSiblings, ...previous } = JSON.parse(last.prev_card) as CardRow & { buriedSiblings?: number[] };
    const changed = ctx.sql.run(restoreCard, { ...previous, id: last.card_id }).changes;
    if (changed !== 1) throw new AppError('nothing-to-undo', `card ${last.card_id} of the last answer no longer exists`, { cardId: last.card_id });
    for (const sibling of buriedSiblings ?? []) ctx.sql.run(`UPDATE cards SET buried_until = NULL WHERE id = ?`, sibling);
    ctx.sql.run(`DELETE FROM revlog WHERE id = ?`, last.id);
    return last.card_id;
  });
}

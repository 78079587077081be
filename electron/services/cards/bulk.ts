import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { BulkAction } from '../../../src/shared/contract/library';
import { AppError } from '../../../src/shared/errors';
import type { ServiceContext } from '../context';

type Change = z.infer<typeof BulkAction>;

/** Everything a bulk change touched, as it was: enough to put it back. */
interface Snapshot {
  cards: Record<string, unknown>[];
  notes: Record<string, unknown>[];
  revlog: Record<string, unknown>[];
}

/** The last few bulk changes, in memory: undo is for "oops", right after the change. */
const undoStack = new Map<string, Snapshot>();
const keepUndo = 10;

function chunks<T>(xs: T[], size = 900): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

function selectIn(ctx: ServiceContext, sql: (marks: string) => string, ids: number[]): Record<string, unknown>[] {
  return chunks(ids).flatMap((part) => ctx.db.prepare(sql(part.map(() => '?').join(','))).all(...part) as Record<string, unknown>[]);
}

function insertRows(ctx: ServiceContext, table: string, rows: Record<string, unknown>[]): void {
  if (!rows.length) return;
  const columns = Object.keys(rows[0]);
  // An upsert, not INSERT OR REPLACE: REPLACE deletes first, which would cascade to a note's cards
  // and skip the text index's delete trigger.
  const insert = ctx.db.prepare(
    `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})
     ON CONFLICT (id) DO UPDATE SET ${columns.filter((c) => c !== 'id').map((c) => `${c} = excluded.${c}`).join(', ')}`,
  );
  for (const row of rows) insert.run(row);
}

/**
 * Applies one change to many cards in one transaction, after taking a snapshot of what it touches.
 * Tags live on notes, so tag changes apply to the notes of the selected cards; delete removes the
 * selected cards and any note left without a card.
 */
export function applyBulk(ctx: ServiceContext, cardIds: number[], change: Change): { affected: number; undoToken: string } {
  const ids = [...new Set(cardIds)];
  return ctx.sql.transaction(() => {
    const cards = selectIn(ctx, (m) => `SELECT * FROM cards WHERE id IN (${m})`, ids);
    if (cards.length !== ids.length) throw new AppError('not-found', `${ids.length - cards.length} of the selected cards no longer exist`);
    const noteIds = [...new Set(cards.map((c) => c.note_id as number))];
    const notes = selectIn(ctx, (m) => `SELECT * FROM notes WHERE id IN (${m})`, noteIds);
    const revlog = change.action === 'delete' ? selectIn(ctx, (m) => `SELECT * FROM revlog WHERE card_id IN (${m})`, ids) : [];
    const now = ctx.now();
    const each = (sql: string, list: number[], ...extra: unknown[]) => {
      for (const part of chunks(list)) ctx.db.prepare(sql.replace('$IDS', part.map(() => '?').join(','))).run(...extra, ...part);
    };
    switch (change.action) {
      case 'suspend':
      case 'unsuspend':
        each(`UPDATE cards SET suspended = ? WHERE id IN ($IDS)`, ids, change.action === 'suspend' ? 1 : 0);
        break;
      case 'move':
        if (!ctx.sql.get(`SELECT 1 FROM decks WHERE id = ?`, change.deckId)) throw new AppError('not-found', `deck ${change.deckId} does not exist`);
        each(`UPDATE notes SET deck_id = ?, modified = ? WHERE id IN ($IDS)`, noteIds, change.deckId, now);
        break;
      case 'tag':
      case 'untag': {
        const update = ctx.db.prepare(`UPDATE notes SET tags = ?, modified = ? WHERE id = ?`);
        for (const note of notes) {
          const tags = new Set(String(note.tags).split(' ').filter(Boolean));
          if (change.action === 'tag') tags.add(change.tag);
          else tags.delete(change.tag);
          update.run([...tags].join(' '), now, note.id);
        }
        break;
      }
      case 'reset':
        each(
          `UPDATE cards SET state = 0, due = ?, stability = 0, difficulty = 0, elapsed_days = 0, scheduled_days = 0,
             learning_steps = 0, reps = 0, lapses = 0, last_review = NULL, buried_until = NULL WHERE id IN ($IDS)`,
          ids,
          now,
        );
        break;
      case 'delete':
        each(`DELETE FROM cards WHERE id IN ($IDS)`, ids);
        each(`DELETE FROM notes WHERE id IN ($IDS) AND NOT EXISTS (SELECT 1 FROM cards WHERE note_id = notes.id)`, noteIds);
        break;
    }
    const undoToken = randomUUID();
    undoStack.set(undoToken, { cards, notes, revlog });
    while (undoStack.size > keepUndo) undoStack.delete(undoStack.keys().next().value as string);
    return { affected: ids.length, undoToken };
  });
}

/** Puts back every row a bulk change touched, as it was before. */
export function undoBulk(ctx: ServiceContext, token: string): { restored: number } {
  const snapshot = undoStack.get(token);
  if (!snapshot) throw new AppError('nothing-to-undo', 'that change can no longer be undone');
  ctx.sql.transaction(() => {
    insertRows(ctx, 'notes', snapshot.notes);
    insertRows(ctx, 'cards', snapshot.cards);
    insertRows(ctx, 'revlog', snapshot.revlog);
  });
  undoStack.delete(token);
  return { restored: snapshot.cards.length };
}

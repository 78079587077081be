import type Database from 'better-sqlite3';
import { cardColumns } from './cards';
import { deckColumns } from './decks';
import { noteColumns } from './notes';
import { noteTypeColumns } from './note-types';
import { presetColumns } from './presets';
import { reviewColumns } from './revlog';
import type { Sql } from './sql';

/**
 * The undo history (migration 006): each operation the user can take back is a row of
 * `undo_log`, and every row of the tracked tables it touched a row of `undo_rows` holding that
 * row's image as JSON. While an operation is not undone, the image is the row as it was before
 * the operation (null: the operation inserted it); once undone, the row as the operation left it
 * (null: it did not exist). Undo and redo are then one step, a swap: each row takes its stored
 * image, and the image becomes what the row was.
 *
 * Rows are recorded by TEMP triggers on this connection, so every statement of an operation is
 * covered whichever store writes it (cascades included), and nothing else pays for them: another
 * program or connection writing the file never sees these triggers. A write to a tracked table
 * outside an operation (the built-in decks updated, the optimizer's reschedule) clears the
 * history, since the images would no longer describe the rows they would be put back over.
 */

/** The tables an operation can change, children after parents; each has an INTEGER PRIMARY KEY `id`. */
const tracked = {
  presets: presetColumns,
  decks: deckColumns,
  note_types: noteTypeColumns,
  notes: noteColumns,
  cards: cardColumns,
  revlog: reviewColumns,
} as const satisfies Record<string, readonly string[]>;
type Table = keyof typeof tracked;
const parentsFirst = Object.keys(tracked) as Table[];
const childrenFirst = [...parentsFirst].reverse();

/** How many operations the history keeps (the oldest are dropped first). */
export const undoDepth = 100;

/** One operation of the history. `params` name it ("delete 12 cards"): count, and a deck or tag name. */
export interface UndoEntry {
  id: number;
  kind: string;
  params: Record<string, string | number>;
  created: number;
  undone: boolean;
}

interface EntryRow {
  id: number;
  kind: string;
  params: string;
  created: number;
  undone: number;
}

const toEntry = (row: EntryRow): UndoEntry => ({ ...row, params: JSON.parse(row.params) as UndoEntry['params'], undone: row.undone === 1 });

/** Idle: a tracked write clears the history. Replaying: an undo or redo is writing (nothing recorded). Above 0: the operation being recorded. */
const idle = 0;
const replaying = -1;

/** The mode of each connection: its triggers call one function, whichever store object asks. */
const modes = new WeakMap<Database.Database, { current: number }>();

const image = (table: Table, alias: string) => `json_object(${tracked[table].map((c) => `'${c}', ${alias}.${c}`).join(', ')})`;

function triggers(table: Table): string {
  const record = (event: 'INSERT' | 'UPDATE' | 'DELETE') => {
    const when = event === 'INSERT' ? 'AFTER' : 'BEFORE';
    const value = event === 'INSERT' ? `new.id, NULL` : `old.id, ${image(table, 'old')}`;
    // OR IGNORE: the first change of a row within an operation decides what undo puts back.
    return `CREATE TEMP TRIGGER IF NOT EXISTS undo_${table}_${event.toLowerCase()} ${when} ${event} ON main.${table} WHEN undo_mode() > 0
      BEGIN INSERT OR IGNORE INTO main.undo_rows (op, tbl, row_id, image) VALUES (undo_mode(), '${table}', ${value}); END;`;
  };
  const forget = (event: 'INSERT' | 'UPDATE' | 'DELETE') =>
    `CREATE TEMP TRIGGER IF NOT EXISTS undo_${table}_forget_${event.toLowerCase()} AFTER ${event} ON main.${table}
      WHEN undo_mode() = ${idle} AND EXISTS (SELECT 1 FROM main.undo_log) BEGIN DELETE FROM main.undo_log; END;`;
  return (['INSERT', 'UPDATE', 'DELETE'] as const).map((event) => record(event) + forget(event)).join('\n');
}

/** The undo history of one connection. */
export function undoStore(sql: Sql) {
  let state = modes.get(sql.db);
  if (!state) {
    const created = { current: idle };
    state = created;
    modes.set(sql.db, created);
    sql.db.function('undo_mode', { deterministic: false }, () => created.current);
  }
  const mode = state;
  sql.exec(
    [
      ...parentsFirst.map(triggers),
      `CREATE TEMP TABLE IF NOT EXISTS undo_swap (tbl TEXT NOT NULL, row_id INTEGER NOT NULL, target TEXT, PRIMARY KEY (tbl, row_id)) WITHOUT ROWID;`,
    ].join('\n'),
  );

  /** Every row of operation `id` takes its stored image; the image becomes what the row was. */
  function swap(id: number): void {
    const previous = mode.current;
    mode.current = replaying;
    try {
      sql.run(`DELETE FROM temp.undo_swap`);
      sql.run(`INSERT INTO temp.undo_swap (tbl, row_id, target) SELECT tbl, row_id, image FROM undo_rows WHERE op = ?`, id);
      // Every current image first: a delete below cascades into rows of other tables.
      for (const table of parentsFirst) {
        sql.run(`UPDATE undo_rows SET image = (SELECT ${image(table, 't')} FROM main.${table} t WHERE t.id = undo_rows.row_id) WHERE op = ? AND tbl = '${table}'`, id);
      }
      for (const table of childrenFirst) {
        sql.run(`DELETE FROM main.${table} WHERE id IN (SELECT row_id FROM temp.undo_swap WHERE tbl = '${table}' AND target IS NULL)`);
      }
      for (const table of parentsFirst) {
        const columns = tracked[table];
        // An upsert, not INSERT OR REPLACE: REPLACE deletes first, which would cascade to a note's cards.
        sql.run(
          `INSERT INTO main.${table} (${columns.join(', ')})
           SELECT ${columns.map((c) => `json_extract(target, '$.${c}')`).join(', ')} FROM temp.undo_swap WHERE tbl = '${table}' AND target IS NOT NULL ORDER BY row_id
           ON CONFLICT (id) DO UPDATE SET ${columns.filter((c) => c !== 'id').map((c) => `${c} = excluded.${c}`).join(', ')}`,
        );
      }
      sql.run(`DELETE FROM temp.undo_swap`);
    } finally {
      mode.current = previous;
    }
  }

  function peek(): { undo: UndoEntry | null; redo: UndoEntry | null } {
    const undo = sql.get<EntryRow>(`SELECT id, kind, params, created, undone FROM undo_log WHERE undone = 0 ORDER BY id DESC LIMIT 1`);
    const redo = sql.get<EntryRow>(`SELECT id, kind, params, created, undone FROM undo_log WHERE undone = 1 ORDER BY id ASC LIMIT 1`);
    return { undo: undo ? toEntry(undo) : null, redo: redo ? toEntry(redo) : null };
  }

  return {
    /**
     * Runs `work` as one operation of the history, in one transaction: what it changes can be
     * undone. `describe` names it: from its result, or, when already known, as it is (written with
     * the operation's row, one statement fewer on an answer). An operation that changed nothing is
     * not kept. Called while another operation records, `work` becomes part of that one.
     */
    record<T>(kind: string, now: number, work: () => T, describe: UndoEntry['params'] | ((result: T) => UndoEntry['params']) = {}): T {
      if (mode.current !== idle) return work();
      return sql.transaction(() => {
        const known = typeof describe === 'function' ? null : JSON.stringify(describe);
        const id = Number(sql.run(`INSERT INTO undo_log (kind, params, created, undone) VALUES (?, ?, ?, 0)`, kind, known ?? '{}', now).lastInsertRowid);
        mode.current = id;
        let result: T;
        try {
          result = work();
        } finally {
          mode.current = idle;
        }
        if (sql.value(`SELECT 1 FROM undo_rows WHERE op = ? LIMIT 1`, id) === undefined) {
          sql.run(`DELETE FROM undo_log WHERE id = ?`, id);
          return result;
        }
        if (typeof describe === 'function') sql.run(`UPDATE undo_log SET params = ? WHERE id = ?`, JSON.stringify(describe(result)), id);
        // A new operation replaces what was undone, and the oldest beyond the depth are dropped.
        sql.run(`DELETE FROM undo_log WHERE undone = 1`);
        if (id - (sql.value<number>(`SELECT MIN(id) FROM undo_log`) ?? id) >= undoDepth) {
          sql.run(`DELETE FROM undo_log WHERE id <= (SELECT id FROM undo_log ORDER BY id DESC LIMIT 1 OFFSET ?)`, undoDepth);
        }
        return result;
      });
    },
    /** The operation undo would take back, and the one redo would do again. */
    peek,
    /** Takes back the newest operation; null when there is none. */
    undo(): UndoEntry | null {
      return sql.transaction(() => {
        const entry = peek().undo;
        if (!entry) return null;
        swap(entry.id);
        sql.run(`UPDATE undo_log SET undone = 1 WHERE id = ?`, entry.id);
        return { ...entry, undone: true };
      }, { immediate: true });
    },
    /** Does the operation undone last again; null when there is none. */
    redo(): UndoEntry | null {
      return sql.transaction(() => {
        const entry = peek().redo;
        if (!entry) return null;
        swap(entry.id);
        sql.run(`UPDATE undo_log SET undone = 0 WHERE id = ?`, entry.id);
        return { ...entry, undone: false };
      }, { immediate: true });
    },
    /** The ids of `table`'s rows an operation touched (the card an answer was about). */
    rowsOf(id: number, table: Table): number[] {
      return sql.column<number>(`SELECT row_id FROM undo_rows WHERE op = ? AND tbl = ? ORDER BY row_id`, id, table);
    },
  };
}

export type UndoStore = ReturnType<typeof undoStore>;

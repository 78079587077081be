// Test helpers: real database files in temporary folders, and notes/cards written directly.
import type Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function temporaryDir(prefix = 'proofdeck-'): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function addDeck(db: Database.Database, name = 'Test', builtinKey: string | null = null): number {
  return Number(db.prepare(`INSERT INTO decks (name, builtin_key, created, modified) VALUES (?, ?, 0, 0)`).run(name, builtinKey).lastInsertRowid);
}

export interface CardFixture {
  deckId: number;
  front?: string;
  back?: string;
  context?: string;
  language?: string | null;
  translations?: Record<string, Partial<Record<'front' | 'back' | 'context', string>>> | null;
  tags?: string;
  experimentId?: string | null;
  experimentParams?: Record<string, unknown> | null;
  /** 0 new, 1 learning, 2 review, 3 relearning */
  state?: number;
  due?: number;
  stability?: number;
  difficulty?: number;
  scheduledDays?: number;
  reps?: number;
  lastReview?: number | null;
  suspended?: boolean;
  buriedUntil?: number | null;
  newPosition?: number;
}

let serial = 0;

/** Writes one note with one card; returns the card id. */
export function addCard(db: Database.Database, f: CardFixture): number {
  serial++;
  const noteId = Number(
    db
      .prepare(
        `INSERT INTO notes (guid, deck_id, front, back, context, language, translations, tags, experiment_id, experiment_params, created, modified)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0)`,
      )
      .run(
        `test:${serial}:${Math.random()}`,
        f.deckId,
        f.front ?? `front ${serial}`,
        f.back ?? `back ${serial}`,
        f.context ?? '',
        f.language ?? null,
        f.translations ? JSON.stringify(f.translations) : null,
        f.tags ?? '',
        f.experimentId ?? null,
        f.experimentParams ? JSON.stringify(f.experimentParams) : null,
      ).lastInsertRowid,
  );
  const state = f.state ?? 0;
  return Number(
    db
      .prepare(
        `INSERT INTO cards (note_id, due, stability, difficulty, scheduled_days, reps, state, last_review, suspended, buried_until, new_position)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        noteId,
        f.due ?? 0,
        f.stability ?? (state === 0 ? 0 : 10),
        f.difficulty ?? (state === 0 ? 0 : 5),
        f.scheduledDays ?? (state === 2 ? 10 : 0),
        f.reps ?? (state === 0 ? 0 : 3),
        state,
        f.lastReview ?? (state === 0 ? null : (f.due ?? 0) - 10 * 86_400_000),
        f.suspended ? 1 : 0,
        f.buriedUntil ?? null,
        f.newPosition ?? serial,
      ).lastInsertRowid,
  );
}

import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { ExchangeNote, ParsedImport } from './types';
import { noteSourceHash } from './apply';
import type { NoteRow } from '../store/note-row';
import { cardOrdinals, ordsRemovedByEdit, toNoteKind } from '../../../src/shared/cloze';
import { syncNoteCards } from './note-cards';
import { cardsOfNote } from './validate';
import { deleteUnusedNoteTypes, saveNoteType, setNoteNoteType } from '../store/note-types';

/**
 * Hash of what a user sees and edits in a note: the built-in decks' `noteSourceHash` (apply.ts),
 * so a built-in note and the same note arriving in a shared file agree, plus the Anki fields when
 * a note has them. Stored in `notes.source_hash` on import; a later import compares it with the
 * note's current hash to tell "edited here since" (a conflict when the file changed it too) from
 * "untouched since import" (update).
 */
export function noteHash(
  note: Pick<ExchangeNote, 'front' | 'back' | 'context' | 'language' | 'translations' | 'tags' | 'experimentId' | 'experimentParams' | 'fields' | 'kind'>,
): string {
  const base = noteSourceHash({
    front: note.front,
    back: note.back,
    context: note.context,
    language: note.language ?? null,
    translations: note.translations ?? null,
    tags: note.tags,
    experimentId: note.experimentId ?? null,
    experimentParams: note.experimentParams ?? null,
    kind: note.kind,
  });
  if (!note.fields) return base;
  return createHash('sha256').update(base).update(JSON.stringify([note.fields.notetype, note.fields.names, note.fields.values])).digest('hex');
}

type LocalNote = Pick<NoteRow, 'id' | 'guid' | 'front' | 'back' | 'context' | 'language' | 'translations' | 'tags' | 'experiment_id' | 'experiment_params' | 'deck_id' | 'fields' | 'kind' | 'source_hash'>;

export function localHash(row: LocalNote): string {
  return noteHash({
    front: row.front,
    back: row.back,
    context: row.context,
    language: row.language,
    translations: row.translations ? JSON.parse(row.translations) : null,
    tags: splitTags(row.tags),
    experimentId: row.experiment_id,
    experimentParams: row.experiment_params ? (JSON.parse(row.experiment_params) as Record<string, unknown>) : null,
    fields: row.fields ? JSON.parse(row.fields) : null,
    kind: toNoteKind(row.kind),
  });
}

export function splitTags(tags: string): string[] {
  return tags.split(/\s+/).filter(Boolean);
}

export type MergeKind = 'add' | 'update' | 'unchanged' | 'conflict';

export interface ConflictSummary {
  guid: string;
  localFront: string;
  localBack: string;
  incomingFront: string;
  incomingBack: string;
}

export interface MergePlan {
  deckName: string;
  deckExists: boolean;
  items: { kind: MergeKind; note: ExchangeNote; local?: LocalNote; incomingHash: string }[];
  /** cardsAdded: cards the import creates (added notes' cards, new cloze numbers of updated notes). */
  counts: { added: number; updated: number; unchanged: number; conflicts: number; cardsRemoved: number; cardsAdded: number };
  conflicts: ConflictSummary[];
  media: { added: number; updated: number; unchanged: number };
}

/** What to do with notes changed both locally and in the file. */
export interface ConflictChoices {
  default: 'keep-mine' | 'take-theirs';
  /** Per-note exceptions to the default. */
  takeTheirs?: string[];
  keepMine?: string[];
}

const sha1 = (data: Uint8Array): string => createHash('sha1').update(data).digest('hex');

/** Reads the database and decides, per note, what an import would do. Writes nothing. */
export function planImport(db: Database.Database, parsed: ParsedImport): MergePlan {
  const deck = db.prepare('SELECT id FROM decks WHERE name = ?').get(parsed.deckName) as { id: number } | undefined;
  const select = db.prepare(
    'SELECT id, guid, deck_id, front, back, context, language, translations, tags, experiment_id, experiment_params, fields, kind, source_hash FROM notes WHERE guid = ?',
  );
  const cardOrds = db.prepare('SELECT ord FROM cards WHERE note_id = ? ORDER BY ord').pluck();
  const plan: MergePlan = {
    deckName: parsed.deckName,
    deckExists: deck !== undefined,
    items: [],
    counts: { added: 0, updated: 0, unchanged: 0, conflicts: 0, cardsRemoved: 0, cardsAdded: 0 },
    conflicts: [],
    media: { added: 0, updated: 0, unchanged: 0 },
  };
  for (const note of parsed.notes) {
    const incomingHash = noteHash(note);
    const local = select.get(note.guid) as LocalNote | undefined;
    let kind: MergeKind;
    if (!local) kind = 'add';
    else {
      const current = localHash(local);
      if (current === incomingHash) kind = 'unchanged';
      else if (local.source_hash === current) kind = 'update';
      else if (local.source_hash === incomingHash) kind = 'unchanged'; // the file is what we imported before; keep local edits
      else kind = 'conflict';
    }
    plan.items.push({ kind, note, local, incomingHash });
    if (kind === 'add') {
      plan.counts.added++;
      plan.counts.cardsAdded += cardsOfNote(note);
    } else if (kind === 'update') {
      plan.counts.updated++;
      // Cards the update would take away with their history (a cloze number gone): said before, not only after.
      const ords = cardOrds.all(local!.id) as number[];
      plan.counts.cardsRemoved += ordsRemovedByEdit(ords, { kind: note.kind ?? 'basic', front: note.front, previousKind: toNoteKind(local!.kind) }).length;
      plan.counts.cardsAdded += cardOrdinals(note.kind ?? 'basic', note.front).filter((ord) => !ords.includes(ord)).length;
    }
    else if (kind === 'unchanged') plan.counts.unchanged++;
    else {
      plan.counts.conflicts++;
      if (plan.conflicts.length < 500) {
        plan.conflicts.push({ guid: note.guid, localFront: local!.front, localBack: local!.back, incomingFront: note.front, incomingBack: note.back });
      }
    }
  }
  const mediaSelect = db.prepare('SELECT sha1 FROM media WHERE name = ?');
  for (const file of parsed.media) {
    const existing = mediaSelect.get(file.name) as { sha1: string } | undefined;
    if (!existing) plan.media.added++;
    else if (existing.sha1 !== sha1(file.data)) plan.media.updated++;
    else plan.media.unchanged++;
  }
  return plan;
}

export interface ImportResult {
  deckName: string;
  added: number;
  updated: number;
  unchanged: number;
  conflictsKept: number;
  conflictsTaken: number;
  media: { added: number; updated: number; unchanged: number };
  reviews: number;
  /** Cards of updated notes that the update added or removed (cloze numbers, kind). */
  cardsAdded: number;
  cardsRemoved: number;
}

/**
 * Applies an import in ONE transaction: plan and writes see the same database, and any failure
 * (a constraint, a bug, a full disk) rolls everything back. Existing notes are updated in place,
 * so their cards, scheduling and review history stay; scheduling from the file is applied only
 * to notes this import adds.
 */
export function applyImport(db: Database.Database, parsed: ParsedImport, choices: ConflictChoices, now = Date.now()): ImportResult {
  const run = db.transaction((): ImportResult => {
    const plan = planImport(db, parsed);
    let deckId = (db.prepare('SELECT id FROM decks WHERE name = ?').get(parsed.deckName) as { id: number } | undefined)?.id;
    if (deckId === undefined) {
      deckId = Number(
        db.prepare('INSERT INTO decks (name, description, created, modified) VALUES (?, ?, ?, ?)').run(parsed.deckName, parsed.description, now, now)
          .lastInsertRowid,
      );
    } else {
      db.prepare('UPDATE decks SET modified = ? WHERE id = ?').run(now, deckId);
    }
    const insertNote = db.prepare(
      `INSERT INTO notes (guid, deck_id, front, back, context, language, translations, tags, experiment_id, experiment_params, fields, kind, source_hash, created, modified)
       VALUES (@guid, @deckId, @front, @back, @context, @language, @translations, @tags, @experimentId, @experimentParams, @fields, @kind, @hash, @now, @now)`,
    );
    const updateNote = db.prepare(
      `UPDATE notes SET front = @front, back = @back, context = @context, language = @language, translations = @translations, tags = @tags,
       experiment_id = @experimentId, experiment_params = @experimentParams, fields = @fields, kind = @kind, source_hash = @hash, modified = @now WHERE id = @id`,
    );
    const insertCard = db.prepare(
      `INSERT INTO cards (note_id, ord, due, stability, difficulty, elapsed_days, scheduled_days, learning_steps, reps, lapses, state, last_review, suspended, new_position)
       VALUES (@noteId, @ord, @due, @stability, @difficulty, @elapsedDays, @scheduledDays, @learningSteps, @reps, @lapses, @state, @lastReview, @suspended, @newPosition)`,
    );
    const revlogExists = db.prepare('SELECT 1 FROM revlog WHERE id = ?').pluck();
    const insertReview = db.prepare(
      `INSERT INTO revlog (id, card_id, rating, state, due, stability, difficulty, elapsed_days, last_elapsed_days, scheduled_days, learning_steps, duration_ms)
       VALUES (@id, @cardId, @rating, @state, @due, @stability, @difficulty, @elapsedDays, @lastElapsedDays, @scheduledDays, @learningSteps, @durationMs)`,
    );
    let newPosition = ((db.prepare('SELECT MAX(new_position) FROM cards').pluck().get() as number | null) ?? 0) + 1;
    // Note types are stored once by content; a note of the file takes the file's (its look is the deck's, not a user edit).
    const noteTypeIds = new Map<string, number>();
    for (const notetype of parsed.notetypes ?? []) {
      const { kind, ...rest } = notetype;
      noteTypeIds.set(notetype.key, saveNoteType(db, { ...rest, ankiKind: kind }, now));
    }
    const takeTheirs = new Set(choices.takeTheirs ?? []);
    const keepMine = new Set(choices.keepMine ?? []);
    const result: ImportResult = {
      deckName: parsed.deckName,
      added: 0,
      updated: 0,
      unchanged: 0,
      conflictsKept: 0,
      conflictsTaken: 0,
      media: plan.media,
      reviews: 0,
      cardsAdded: 0,
      cardsRemoved: 0,
    };
    for (const item of plan.items) {
      const note = item.note;
      const row = {
        guid: note.guid,
        deckId,
        front: note.front,
        back: note.back,
        context: note.context,
        language: note.language,
        translations: note.translations ? JSON.stringify(note.translations) : null,
        tags: note.tags.join(' '),
        experimentId: note.experimentId,
        experimentParams: note.experimentParams ? JSON.stringify(note.experimentParams) : null,
        fields: note.fields ? JSON.stringify(note.fields) : null,
        kind: note.kind ?? 'basic',
        hash: item.incomingHash,
        now,
      };
      const noteTypeId = note.notetypeKey !== undefined ? noteTypeIds.get(note.notetypeKey) : undefined;
      if (item.local && noteTypeId !== undefined) setNoteNoteType(db, item.local.id, noteTypeId);
      if (item.kind === 'unchanged') {
        result.unchanged++;
        continue;
      }
      if (item.kind === 'conflict') {
        const take = takeTheirs.has(note.guid) || (choices.default === 'take-theirs' && !keepMine.has(note.guid));
        if (!take) {
          result.conflictsKept++;
          continue;
        }
        result.conflictsTaken++;
      }
      if (item.kind === 'update' || item.kind === 'conflict') {
        updateNote.run({ ...row, id: item.local!.id });
        // A changed cloze number or kind adds or removes cards; the cards that stay keep their schedule.
        const sync = syncNoteCards(db, item.local!.id, { kind: row.kind, front: note.front, previousKind: toNoteKind(item.local!.kind) }, now, () => newPosition++);
        result.cardsAdded += sync.added.length;
        result.cardsRemoved += sync.removed.length;
        if (item.kind === 'update') result.updated++;
        continue;
      }
      const noteId = Number(insertNote.run(row).lastInsertRowid);
      if (noteTypeId !== undefined) setNoteNoteType(db, noteId, noteTypeId);
      result.added++;
      // The file's cards with their schedules, then a new card for each the note's kind makes and the file lacks.
      const wanted = new Set(cardOrdinals(row.kind, note.front));
      const fileCards = (note.cards ?? []).filter((card) => row.kind === 'basic' || wanted.has(card.ord));
      const cards = fileCards.length ? fileCards : row.kind === 'basic' ? [null] : [];
      const cardIds = new Map<number, number>();
      for (const card of cards) {
        const values = card
          ? { ...card, lastReview: card.lastReview, suspended: card.suspended ? 1 : 0 }
          : { ord: 0, due: now, stability: 0, difficulty: 0, elapsedDays: 0, scheduledDays: 0, learningSteps: 0, reps: 0, lapses: 0, state: 0, lastReview: null, suspended: 0 };
        const cardId = Number(insertCard.run({ ...values, noteId, newPosition: newPosition++ }).lastInsertRowid);
        cardIds.set(values.ord, cardId);
      }
      if (row.kind !== 'basic') syncNoteCards(db, noteId, { kind: row.kind, front: note.front, previousKind: row.kind }, now, () => newPosition++);
      for (const review of note.reviews ?? []) {
        const cardId = cardIds.get(review.ord);
        if (cardId === undefined) continue;
        let id = review.id;
        while (revlogExists.get(id)) id++; // revlog ids are answer times; bumped by 1 on a collision
        insertReview.run({ ...review, id, cardId });
        result.reviews++;
      }
    }
    const upsertMedia = db.prepare(
      'INSERT INTO media (name, mime, sha1, data) VALUES (?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET mime = excluded.mime, sha1 = excluded.sha1, data = excluded.data',
    );
    for (const file of parsed.media) upsertMedia.run(file.name, file.mime, sha1(file.data), Buffer.from(file.data.buffer, file.data.byteOffset, file.data.byteLength));
    deleteUnusedNoteTypes(db);
    return result;
  });
  return run.immediate();
}

import type Database from 'better-sqlite3';
import { AppError } from '../../../src/shared/errors';
import type { ExchangeCard, ExchangeMedia, ExchangeNote, ExchangeNotetype, ExchangeReview, NoteFields } from './types';
import { getNoteType } from '../store/note-types';
import { splitTags } from './merge';
import { referencedMedia } from './sanitize';
import type { CardRow as StoredCardRow } from '../scheduler/card-row';
import type { NoteRow as StoredNoteRow } from '../store/note-row';
import { toNoteKind } from '../../../src/shared/cloze';

export interface DeckForExport {
  name: string;
  description: string;
  notes: ExchangeNote[];
  media: ExchangeMedia[];
  /** The Anki note types its notes are drawn with (`ExchangeNote.notetypeKey`). */
  notetypes?: ExchangeNotetype[];
}

type NoteRow = Pick<StoredNoteRow, 'id' | 'guid' | 'front' | 'back' | 'context' | 'language' | 'translations' | 'tags' | 'experiment_id' | 'experiment_params' | 'fields' | 'kind' | 'note_type_id'>;

/** The card columns an export carries (the store's row without the new-card order). */
type CardRow = Omit<StoredCardRow, 'new_position'>;

interface ReviewRow {
  id: number;
  card_id: number;
  rating: number;
  state: number;
  due: number;
  stability: number;
  difficulty: number;
  elapsed_days: number;
  last_elapsed_days: number;
  scheduled_days: number;
  learning_steps: number;
  duration_ms: number;
}

/** Reads one deck with its cards (always: exporters need card ords) and, when asked, review history. */
export function readDeckForExport(db: Database.Database, deckName: string, options: { schedule: boolean; now?: number }): DeckForExport {
  const now = options.now ?? Date.now();
  const deck = db.prepare('SELECT id, name, description FROM decks WHERE name = ?').get(deckName) as
    | { id: number; name: string; description: string }
    | undefined;
  if (!deck) throw new AppError('not-found', `no deck named '${deckName}'`, { deck: deckName });
  const rows = db
    .prepare('SELECT id, guid, front, back, context, language, translations, tags, experiment_id, experiment_params, fields, kind, note_type_id FROM notes WHERE deck_id = ? ORDER BY id')
    .all(deck.id) as NoteRow[];
  const cards = db
    .prepare(
      `SELECT c.id, c.note_id, c.ord, c.due, c.stability, c.difficulty, c.elapsed_days, c.scheduled_days, c.learning_steps, c.reps, c.lapses,
              c.state, c.last_review, c.suspended, c.buried_until
       FROM cards c JOIN notes n ON n.id = c.note_id WHERE n.deck_id = ? ORDER BY c.note_id, c.ord`,
    )
    .all(deck.id) as CardRow[];
  const cardsByNote = new Map<number, CardRow[]>();
  for (const card of cards) {
    const list = cardsByNote.get(card.note_id) ?? [];
    list.push(card);
    cardsByNote.set(card.note_id, list);
  }
  const reviewsByCard = new Map<number, ReviewRow[]>();
  if (options.schedule) {
    const reviews = db
      .prepare(
        `SELECT r.id, r.card_id, r.rating, r.state, r.due, r.stability, r.difficulty, r.elapsed_days, r.last_elapsed_days, r.scheduled_days,
                r.learning_steps, r.duration_ms
         FROM revlog r JOIN cards c ON c.id = r.card_id JOIN notes n ON n.id = c.note_id WHERE n.deck_id = ? ORDER BY r.id`,
      )
      .all(deck.id) as ReviewRow[];
    for (const review of reviews) {
      const list = reviewsByCard.get(review.card_id) ?? [];
      list.push(review);
      reviewsByCard.set(review.card_id, list);
    }
  }
  const mediaNames = new Set<string>();
  const notetypes = new Map<number, ExchangeNotetype | null>();
  const notetypeOf = (id: number): ExchangeNotetype | null => {
    if (!notetypes.has(id)) {
      const stored = getNoteType(db, id);
      notetypes.set(id, stored ? { key: stored.key, ankiId: stored.ankiId, name: stored.name, kind: stored.ankiKind, fields: stored.fields, templates: stored.templates, css: stored.css, extra: stored.extra } : null);
    }
    return notetypes.get(id) ?? null;
  };
  const notes = rows.map((row): ExchangeNote => {
    const note: ExchangeNote = {
      guid: row.guid,
      front: row.front,
      back: row.back,
      context: row.context,
      language: row.language,
      translations: row.translations ? JSON.parse(row.translations) : null,
      tags: splitTags(row.tags),
      experimentId: row.experiment_id,
      experimentParams: row.experiment_params ? JSON.parse(row.experiment_params) : null,
      fields: row.fields ? (JSON.parse(row.fields) as NoteFields) : null,
      kind: toNoteKind(row.kind),
    };
    const notetype = row.note_type_id != null && note.fields ? notetypeOf(row.note_type_id) : null;
    if (notetype) note.notetypeKey = notetype.key;
    const noteCards = cardsByNote.get(row.id) ?? [];
    note.cards = noteCards.map(
      (c): ExchangeCard => ({
        ord: c.ord,
        due: c.due,
        stability: c.stability,
        difficulty: c.difficulty,
        elapsedDays: c.elapsed_days,
        scheduledDays: c.scheduled_days,
        learningSteps: c.learning_steps,
        reps: c.reps,
        lapses: c.lapses,
        state: c.state,
        lastReview: c.last_review,
        suspended: c.suspended !== 0,
        ...(c.buried_until !== null && c.buried_until > now ? { buried: true } : {}),
      }),
    );
    if (options.schedule) {
      note.reviews = noteCards.flatMap((c) =>
        (reviewsByCard.get(c.id) ?? []).map(
          (r): ExchangeReview => ({
            ord: c.ord,
            id: r.id,
            rating: r.rating,
            state: r.state,
            due: r.due,
            stability: r.stability,
            difficulty: r.difficulty,
            elapsedDays: r.elapsed_days,
            lastElapsedDays: r.last_elapsed_days,
            scheduledDays: r.scheduled_days,
            learningSteps: r.learning_steps,
            durationMs: r.duration_ms,
          }),
        ),
      );
    }
    for (const text of [note.front, note.back, note.context, ...(note.fields?.values ?? [])]) {
      if (text.includes('<img') || text.includes('[sound:') || text.includes('](')) for (const name of referencedMedia(text)) mediaNames.add(name);
    }
    return note;
  });
  const mediaSelect = db.prepare('SELECT name, mime, data FROM media WHERE name = ?');
  const media: ExchangeMedia[] = [];
  for (const name of mediaNames) {
    const row = mediaSelect.get(name) as { name: string; mime: string; data: Buffer } | undefined;
    if (row) media.push({ name: row.name, mime: row.mime, data: new Uint8Array(row.data) });
  }
  const used = [...notetypes.values()].filter((n): n is ExchangeNotetype => n !== null);
  return { name: deck.name, description: deck.description, notes, media, ...(used.length ? { notetypes: used } : {}) };
}

export interface DeckCounts {
  name: string;
  notes: number;
  cards: number;
  revlog: number;
}

/** Every deck with its note, card and review-log counts (the CLI's `list`). */
export function listDeckCounts(db: Database.Database): DeckCounts[] {
  return db
    .prepare(
      `SELECT d.name AS name,
              (SELECT COUNT(*) FROM notes n WHERE n.deck_id = d.id) AS notes,
              (SELECT COUNT(*) FROM cards c JOIN notes n ON n.id = c.note_id WHERE n.deck_id = d.id) AS cards,
              (SELECT COUNT(*) FROM revlog r JOIN cards c ON c.id = r.card_id JOIN notes n ON n.id = c.note_id WHERE n.deck_id = d.id) AS revlog
       FROM decks d ORDER BY d.name`,
    )
    .all() as DeckCounts[];
}

import type Database from 'better-sqlite3';
import { AppError } from '../../../src/shared/errors';
import type { ExchangeCard, ExchangeMedia, ExchangeNote, ExchangeNotetype, ExchangeReview } from './types';
import { referencedMedia } from './sanitize';
import { notetypeMediaNames } from './anki/notetypes';
import { storesFor } from '../store/stores';
import type { CardRow } from '../store/cards';
import type { ReviewRow } from '../store/revlog';
import type { ExchangePreset } from './anki/deck-config';
import { defaultPresetId } from '../../../src/shared/contract/presets';

export interface DeckForExport {
  name: string;
  description: string;
  notes: ExchangeNote[];
  media: ExchangeMedia[];
  /** The Anki note types its notes are drawn with (`ExchangeNote.notetypeKey`). */
  notetypes?: ExchangeNotetype[];
  /** Its options preset (an .apkg carries it as the deck's options). */
  preset?: ExchangePreset;
}

/** Reads one deck with its cards (always: exporters need card ords) and, when asked, review history. */
export function readDeckForExport(db: Database.Database, deckName: string, options: { schedule: boolean; now?: number }): DeckForExport {
  const now = options.now ?? Date.now();
  const store = storesFor(db);
  const deck = store.decks.byName(deckName);
  if (!deck) throw new AppError('not-found', `no deck named '${deckName}'`, { deck: deckName });
  const stored = store.notes.inDeck(deck.id);
  const cards = store.cards.ofDeck(deck.id);
  const cardsByNote = new Map<number, CardRow[]>();
  for (const card of cards) {
    const list = cardsByNote.get(card.note_id) ?? [];
    list.push(card);
    cardsByNote.set(card.note_id, list);
  }
  const reviewsByCard = new Map<number, ReviewRow[]>();
  if (options.schedule) {
    const reviews = store.revlog.ofDeck(deck.id);
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
      const kept = store.noteTypes.byId(id);
      notetypes.set(id, kept ? { key: kept.key, ankiId: kept.ankiId, name: kept.name, kind: kept.ankiKind, fields: kept.fields, templates: kept.templates, css: kept.css, extra: kept.extra } : null);
    }
    return notetypes.get(id) ?? null;
  };
  const notes = stored.map((row): ExchangeNote => {
    const note: ExchangeNote = {
      guid: row.guid,
      front: row.front,
      back: row.back,
      context: row.context,
      language: row.language,
      translations: row.translations,
      tags: row.tags,
      experimentId: row.experimentId,
      experimentParams: row.experimentParams,
      fields: row.fields,
      kind: row.kind,
    };
    const notetype = row.noteTypeId !== null && note.fields ? notetypeOf(row.noteTypeId) : null;
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
        ...(c.flags ? { flag: c.flags } : {}),
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
  const used = [...notetypes.values()].filter((n): n is ExchangeNotetype => n !== null);
  // The note types' own files (a font, a background) travel with them.
  for (const notetype of used) for (const name of notetypeMediaNames(notetype)) mediaNames.add(name);
  const media: ExchangeMedia[] = [];
  for (const name of mediaNames) {
    const file = store.media.byName(name);
    if (file) media.push(file);
  }
  const preset = store.presets.byId(deck.preset_id ?? defaultPresetId);
  return {
    name: deck.name,
    description: deck.description,
    notes,
    media,
    ...(used.length ? { notetypes: used } : {}),
    ...(preset ? { preset: { name: preset.name, config: preset.config } } : {}),
  };
}

export interface DeckCounts {
  name: string;
  notes: number;
  cards: number;
  revlog: number;
}

/** Every deck with its note, card and review-log counts (the CLI's `list`). */
export function listDeckCounts(db: Database.Database): DeckCounts[] {
  return storesFor(db).decks.listWithCounts();
}

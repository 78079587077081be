import type { Locale, ReviewCard } from '../../../src/shared/contract';
import type { ServiceContext } from '../context';
import { cardColumns, type CardRow } from '../scheduler/card-row';
import { nextCardId } from '../scheduler/queue';
import { countsOf, currentQueue } from './today';
import { toNoteKind } from '../../../src/shared/cloze';
import { storedAnkiView } from '../decks/anki-note-view';

interface NoteFields {
  front: string;
  back: string;
  context: string;
}

interface CardWithNote extends CardRow, NoteFields {
  language: string | null;
  translations: string | null;
  tags: string;
  experiment_id: string | null;
  experiment_params: string | null;
  kind: string;
  deck_name: string;
  note_type_id: number | null;
  fields: string | null;
}

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The note's fields in `locale` when it has a translation there; the primary language otherwise, field by field. */
function localized(row: CardWithNote, locale: Locale | null): NoteFields {
  const primary = { front: row.front, back: row.back, context: row.context };
  if (!locale || row.language === locale) return primary;
  const translations = parseJson(row.translations);
  const translated = isRecord(translations) ? translations[locale] : undefined;
  if (!isRecord(translated)) return primary;
  const pick = (field: keyof NoteFields) => {
    const value = translated[field];
    return typeof value === 'string' && value.trim() !== '' ? value : primary[field];
  };
  return { front: pick('front'), back: pick('back'), context: pick('context') };
}

function ankiOf(ctx: ServiceContext, row: CardWithNote): Pick<ReviewCard, 'anki'> {
  const anki = storedAnkiView(ctx.sql.db, row.note_type_id, row.fields);
  return anki ? { anki } : {};
}

/** The next card of today's queue as the review screen shows it, or null when the day is done. */
export function nextReviewCard(ctx: ServiceContext, locale: Locale | undefined, deckId?: number): ReviewCard | null {
  const now = ctx.now();
  const settings = ctx.settings.get();
  const queue = currentQueue(ctx, deckId);
  const cardId = nextCardId({ sql: ctx.sql, settings, now, timeZone: ctx.timeZone, ...(deckId !== undefined ? { deckId } : {}) }, queue);
  if (cardId === null) return null;
  const row = ctx.sql.get<CardWithNote>(
    `SELECT ${cardColumns.map((c) => `c.${c}`).join(', ')}, n.front, n.back, n.context, n.language, n.translations,
       n.tags, n.experiment_id, n.experiment_params, n.kind, n.note_type_id, n.fields, d.name AS deck_name
     FROM cards c JOIN notes n ON n.id = c.note_id JOIN decks d ON d.id = n.deck_id WHERE c.id = ?`,
    cardId,
  )!;
  const params = parseJson(row.experiment_params);
  const kind = toNoteKind(row.kind);
  const fields = localized(row, locale ?? settings.locale);
  // The card the scheduler picked decides the sides: a reversed note's ord 1 asks the back.
  const sides = kind === 'reversed' && row.ord === 1 ? { ...fields, front: fields.back, back: fields.front } : fields;
  return {
    cardId: row.id,
    noteId: row.note_id,
    deckName: row.deck_name,
    kind,
    ord: row.ord,
    cloze: kind === 'cloze' ? row.ord + 1 : null,
    ...sides,
    tags: row.tags.split(/\s+/).filter(Boolean),
    experimentId: row.experiment_id,
    experimentParams: isRecord(params) ? params : null,
    state: row.state as ReviewCard['state'],
    // A note of an Anki note type is drawn by its template for this card.
    ...ankiOf(ctx, row),
    intervals: ctx.scheduler().intervals(row, now),
    counts: countsOf(queue),
  };
}

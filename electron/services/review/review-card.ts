import type { Locale, ReviewCard } from '../../../src/shared/contract';
import type { ServiceContext } from '../context';
import type { Note, SideTexts } from '../store/notes';
import { nextCardId } from '../scheduler/queue';
import { countsOf, currentQueue } from './today';
import { storedAnkiView } from '../decks/anki/note-view';
import { isMarked } from '../../../src/shared/contract/card-info';
import { previewIntervals } from './answer';

/** The note's sides in `locale` when it has a translation there; the primary language otherwise, field by field. */
function localized(note: Note, locale: Locale | null): SideTexts {
  const primary = { front: note.front, back: note.back, context: note.context };
  if (!locale || note.language === locale) return primary;
  const translated = note.translations?.[locale] as Partial<Record<keyof SideTexts, unknown>> | undefined;
  if (typeof translated !== 'object' || translated === null || Array.isArray(translated)) return primary;
  const pick = (field: keyof SideTexts) => {
    const value = translated[field];
    return typeof value === 'string' && value.trim() !== '' ? value : primary[field];
  };
  return { front: pick('front'), back: pick('back'), context: pick('context') };
}

/**
 * The next card of today's queue as the review screen shows it, or null when the day is done.
 * With `deckId`, of that deck's cards only. With `cardId`, that card (the screen shows it again
 * after its answer was undone).
 */
export function nextReviewCard(ctx: ServiceContext, locale: Locale | undefined, which: { deckId?: number; cardId?: number } = {}): ReviewCard | null {
  const now = ctx.now();
  const settings = ctx.settings.get();
  const queue = currentQueue(ctx, which.deckId);
  const id = which.cardId ?? nextCardId({ store: ctx.store, settings, now, timeZone: ctx.timeZone, ...(which.deckId !== undefined ? { deckId: which.deckId } : {}) }, queue);
  if (id === null) return null;
  const card = ctx.store.cards.byId(id);
  const note = card && ctx.store.notes.byId(card.note_id);
  if (!card || !note) return null;
  const fields = localized(note, locale ?? settings.locale);
  const anki = storedAnkiView(ctx.store, note);
  // The card the scheduler picked decides the sides: a reversed note's ord 1 asks the back.
  const sides = note.kind === 'reversed' && card.ord === 1 ? { ...fields, front: fields.back, back: fields.front } : fields;
  return {
    cardId: card.id,
    noteId: note.id,
    deckName: ctx.store.decks.byId(note.deckId)?.name ?? '',
    kind: note.kind,
    ord: card.ord,
    cloze: note.kind === 'cloze' ? card.ord + 1 : null,
    ...sides,
    tags: note.tags,
    experimentId: note.experimentId,
    experimentParams: note.experimentParams,
    state: card.state as ReviewCard['state'],
    flag: card.flags,
    marked: isMarked(note.tags),
    // A note of an Anki note type is drawn by its template for this card.
    ...(anki ? { anki } : {}),
    intervals: previewIntervals(ctx, card, now),
    counts: countsOf(queue),
  };
}

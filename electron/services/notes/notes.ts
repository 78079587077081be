import type { z } from 'zod';
import type { NoteDetail, NoteInput } from '../../../src/shared/contract/library';
import { AppError } from '../../../src/shared/errors';
import type { ServiceContext } from '../context';
import { clozeNumbers, type NoteKind } from '../../../src/shared/cloze';
import type { Note, NoteContent, Translations } from '../store/notes';
import { undoable } from '../undo/undo';
import { storedAnkiView } from '../decks/anki/note-view';
import { syncNoteCards } from './note-cards';
import { ankiEdit } from './anki-note-edit';

/** The note's translations as the editor shows them: per language, the fields that are text. */
function translationsOf(note: Note): NoteDetail['translations'] {
  const result: NoteDetail['translations'] = {};
  for (const [locale, fields] of Object.entries(note.translations ?? {})) {
    if (typeof fields !== 'object' || fields === null) continue;
    const f = fields as unknown as Record<string, unknown>;
    result[locale] = Object.fromEntries((['front', 'back', 'context'] as const).filter((k) => typeof f[k] === 'string').map((k) => [k, f[k] as string]));
  }
  return result;
}

/** A cloze note without a deletion would be one card with nothing to recall: refused, as Anki does. */
function requireCloze(kind: string, front: string): void {
  if (kind === 'cloze' && clozeNumbers(front).length === 0) {
    throw new AppError('invalid-args', 'a cloze note needs at least one {{c1::…}} in its text', { detail: 'front: no cloze deletion' });
  }
}

export function getNote(ctx: ServiceContext, noteId: number): NoteDetail {
  const note = ctx.store.notes.byId(noteId);
  if (!note) throw new AppError('not-found', `note ${noteId} does not exist`, { noteId });
  const cards = ctx.store.cards.ofNote(noteId);
  const anki = storedAnkiView(ctx.store, note);
  return {
    noteId: note.id,
    guid: note.guid,
    deckId: note.deckId,
    front: note.front,
    back: note.back,
    context: note.context,
    tags: note.tags,
    experimentId: note.experimentId,
    experimentParams: note.experimentParams,
    cardIds: cards.map((c) => c.id),
    kind: note.kind,
    cards: cards.map((c) => ({ cardId: c.id, ord: c.ord, reps: c.reps })),
    language: note.language,
    translations: translationsOf(note),
    // Only on notes of an Anki note type: a ProofDeck note's detail stays what notes.save takes back.
    ...(anki ? { anki } : {}),
  };
}

const contentKeys = ['front', 'back', 'context', 'language', 'translations', 'tags', 'experimentId', 'experimentParams', 'fields', 'kind'] as const;

/** Whether `next` says what `previous` already does (objects compared as JSON: a key order that differs only counts as a change). */
function sameContent(previous: NoteContent, next: NoteContent): boolean {
  return contentKeys.every((key) => JSON.stringify(previous[key] ?? null) === JSON.stringify(next[key] ?? null));
}

/**
 * Creates a note with its cards (one, two for reversed, one per cloze number), or edits one in
 * place, as one operation of the undo history. An edit keeps the schedule and review history of
 * every card the note still has; a changed kind or cloze numbers add new cards and remove the ones
 * that no longer exist (the editor warns first). The experiment link was checked at the door
 * (dispatch.ts): it names an experiment of the registry, with params its schema accepts.
 */
export function saveNote(
  ctx: ServiceContext,
  input: z.output<typeof NoteInput>,
): { noteId: number; cardIds: number[]; added: number[]; removed: number[] } {
  if (!ctx.store.decks.byId(input.deckId)) throw new AppError('not-found', `deck ${input.deckId} does not exist`);
  const now = ctx.now();
  const { notes, cards } = ctx.store;
  const content = (kind: NoteKind, previous: Note | null, sides: { front: string; back: string; fields: Note['fields'] }): NoteContent => ({
    front: sides.front,
    back: sides.back,
    context: input.context,
    // What the editor does not show is kept as it was; translations are replaced when it sends them.
    language: previous?.language ?? null,
    translations: input.translations ? (input.translations as Translations) : (previous?.translations ?? null),
    fields: sides.fields,
    tags: [...new Set(input.tags)],
    experimentId: input.experimentId,
    experimentParams: input.experimentId !== null ? input.experimentParams : null,
    kind,
  });
  if (input.noteId !== undefined) {
    const noteId = input.noteId;
    return undoable(
      ctx,
      'edit-note',
      () => {
        const previous = notes.byId(noteId);
        if (!previous) throw new AppError('not-found', `note ${noteId} does not exist`, { noteId });
        const kind = input.kind ?? previous.kind;
        // A note of an Anki note type is edited through its fields; its front/back follow from them.
        const anki = input.ankiFields ? ankiEdit(ctx.store, previous, input.ankiFields) : null;
        const sides = anki ?? { front: input.front, back: input.back, fields: previous.fields };
        requireCloze(kind, sides.front);
        const next = content(kind, previous, sides);
        // A save without an edit writes nothing, so it is no step of the undo history.
        if (!sameContent(previous, next)) notes.update(noteId, next, now);
        if (previous.deckId !== input.deckId) notes.setDeck(noteId, input.deckId, now);
        const sync = syncNoteCards(cards, noteId, { kind, front: sides.front, previousKind: previous.kind }, now);
        return { noteId, cardIds: getNote(ctx, noteId).cardIds, ...sync };
      },
      (result) => ({ count: result.cardIds.length }),
    );
  }
  const kind = input.kind ?? 'basic';
  requireCloze(kind, input.front);
  return undoable(
    ctx,
    'add-note',
    () => {
      const noteId = notes.insert({ guid: null, deckId: input.deckId, content: content(kind, null, { front: input.front, back: input.back, fields: null }), sourceHash: null, now });
      const sync = syncNoteCards(cards, noteId, { kind, front: input.front, previousKind: null }, now);
      return { noteId, cardIds: getNote(ctx, noteId).cardIds, ...sync };
    },
    (result) => ({ count: result.cardIds.length }),
  );
}

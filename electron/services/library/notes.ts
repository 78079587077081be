import type { z } from 'zod';
import type { NoteDetail, NoteInput } from '../../../src/shared/contract/library';
import { AppError } from '../../../src/shared/errors';
import { findMeta } from '../../../src/experiments/catalog';
import type { ServiceContext } from '../context';
import { clozeNumbers, toNoteKind } from '../../../src/shared/cloze';
import { syncNoteCards } from '../decks/note-cards';
import { storedAnkiView } from '../decks/anki-note-view';
import { ankiEdit } from './anki-note-edit';

interface NoteRow {
  id: number;
  guid: string;
  deck_id: number;
  front: string;
  back: string;
  context: string;
  tags: string;
  experiment_id: string | null;
  experiment_params: string | null;
  kind: string;
  language: string | null;
  translations: string | null;
  note_type_id: number | null;
  fields: string | null;
}

function parseTranslations(text: string | null): NoteDetail['translations'] {
  if (!text) return {};
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
    const result: NoteDetail['translations'] = {};
    for (const [locale, fields] of Object.entries(parsed as Record<string, unknown>)) {
      if (typeof fields !== 'object' || fields === null) continue;
      const f = fields as Record<string, unknown>;
      result[locale] = Object.fromEntries((['front', 'back', 'context'] as const).filter((k) => typeof f[k] === 'string').map((k) => [k, f[k] as string]));
    }
    return result;
  } catch {
    return {};
  }
}

/** A cloze note without a deletion would be one card with nothing to recall: refused, as Anki does. */
function requireCloze(kind: string, front: string): void {
  if (kind === 'cloze' && clozeNumbers(front).length === 0) {
    throw new AppError('invalid-args', 'a cloze note needs at least one {{c1::…}} in its text', { detail: 'front: no cloze deletion' });
  }
}

export function getNote(ctx: ServiceContext, noteId: number): NoteDetail {
  const row = ctx.sql.get<NoteRow>(`SELECT id, guid, deck_id, front, back, context, tags, experiment_id, experiment_params, kind, language, translations, note_type_id, fields FROM notes WHERE id = ?`, noteId);
  if (!row) throw new AppError('not-found', `note ${noteId} does not exist`, { noteId });
  const cards = ctx.sql.all<{ id: number; ord: number; reps: number }>(`SELECT id, ord, reps FROM cards WHERE note_id = ? ORDER BY ord`, noteId);
  return {
    noteId: row.id,
    guid: row.guid,
    deckId: row.deck_id,
    front: row.front,
    back: row.back,
    context: row.context,
    tags: row.tags.split(' ').filter(Boolean),
    experimentId: row.experiment_id,
    experimentParams: row.experiment_params ? (JSON.parse(row.experiment_params) as Record<string, unknown>) : null,
    cardIds: cards.map((c) => c.id),
    kind: toNoteKind(row.kind),
    cards: cards.map((c) => ({ cardId: c.id, ord: c.ord, reps: c.reps })),
    language: row.language,
    translations: parseTranslations(row.translations),
    // Only on notes of an Anki note type: a ProofDeck note's detail stays what notes.save takes back.
    ...ankiOf(ctx, row),
  };
}

function ankiOf(ctx: ServiceContext, row: NoteRow): Pick<NoteDetail, 'anki'> {
  const anki = storedAnkiView(ctx.sql.db, row.note_type_id, row.fields);
  return anki ? { anki } : {};
}

/**
 * Creates a note with its cards (one, two for reversed, one per cloze number), or edits one in
 * place. An edit keeps the schedule and review history of every card the note still has; a
 * changed kind or cloze numbers add new cards and remove the ones that no longer exist (the
 * editor warns first). An experiment link must name an experiment of the registry, and its
 * params must pass that experiment's schema.
 */
export function saveNote(
  ctx: ServiceContext,
  input: z.output<typeof NoteInput>,
): { noteId: number; cardIds: number[]; added: number[]; removed: number[] } {

  let params: string | null = null;
  if (input.experimentId !== null) {
    const meta = findMeta(input.experimentId);
    if (!meta) throw new AppError('invalid-args', `no experiment '${input.experimentId}'`, { detail: `experimentId: ${input.experimentId}` });
    const parsed = meta.params.safeParse(input.experimentParams ?? {});
    if (!parsed.success) throw new AppError('invalid-args', `parameters of ${meta.id}: ${parsed.error.issues[0]?.message}`, { detail: parsed.error.issues[0]?.message ?? '' });
    params = input.experimentParams ? JSON.stringify(input.experimentParams) : null;
  }
  if (!ctx.sql.get(`SELECT 1 FROM decks WHERE id = ?`, input.deckId)) throw new AppError('not-found', `deck ${input.deckId} does not exist`);
  const now = ctx.now();
  const tags = [...new Set(input.tags)].join(' ');
  return ctx.sql.transaction(() => {
    if (input.noteId !== undefined) {
      const previous = ctx.sql.get<{ kind: string; fields: string | null }>(`SELECT kind, fields FROM notes WHERE id = ?`, input.noteId);
      const previousKind = toNoteKind(previous?.kind);
      const kind = input.kind ?? previousKind;
      // A note of an Anki note type is edited through its fields; its front/back follow from them.
      const anki = input.ankiFields && previous ? ankiEdit(ctx.sql.db, input.noteId, input.ankiFields, previous.fields) : null;
      if (anki) ctx.sql.run(`UPDATE notes SET fields = ? WHERE id = ?`, anki.fields, input.noteId);
      const front = anki?.front ?? input.front;
      requireCloze(kind, front);
      const result = ctx.sql.run(
        `UPDATE notes SET deck_id = ?, front = ?, back = ?, context = ?, tags = ?, experiment_id = ?, experiment_params = ?, kind = ?, modified = ? WHERE id = ?`,
        input.deckId,
        front,
        anki?.back ?? input.back,
        input.context,
        tags,
        input.experimentId,
        params,
        kind,
        now,
        input.noteId,
      );
      if (result.changes === 0 || !previous) throw new AppError('not-found', `note ${input.noteId} does not exist`, { noteId: input.noteId });
      if (input.translations) ctx.sql.run(`UPDATE notes SET translations = ? WHERE id = ?`, JSON.stringify(input.translations), input.noteId);
      const sync = syncNoteCards(ctx.sql.db, input.noteId, { kind, front, previousKind }, now);
      return { noteId: input.noteId, cardIds: getNote(ctx, input.noteId).cardIds, ...sync };
    }
    const kind = input.kind ?? 'basic';
    requireCloze(kind, input.front);
    const noteId = Number(
      ctx.sql.run(
        `INSERT INTO notes (guid, deck_id, front, back, context, tags, experiment_id, experiment_params, kind, created, modified)
         VALUES (lower(hex(randomblob(16))), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        input.deckId,
        input.front,
        input.back,
        input.context,
        tags,
        input.experimentId,
        params,
        kind,
        now,
        now,
      ).lastInsertRowid,
    );
    const sync = syncNoteCards(ctx.sql.db, noteId, { kind, front: input.front, previousKind: null }, now);
    return { noteId, cardIds: getNote(ctx, noteId).cardIds, ...sync };
  });
}

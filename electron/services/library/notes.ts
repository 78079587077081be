import type { z } from 'zod';
import type { NoteDetail, NoteInput } from '../../../src/shared/contract/library';
import { AppError } from '../../../src/shared/errors';
import { findMeta } from '../../../src/experiments/catalog';
import type { ServiceContext } from '../context';

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
}

export function getNote(ctx: ServiceContext, noteId: number): NoteDetail {
  const row = ctx.sql.get<NoteRow>(`SELECT id, guid, deck_id, front, back, context, tags, experiment_id, experiment_params FROM notes WHERE id = ?`, noteId);
  if (!row) throw new AppError('not-found', `note ${noteId} does not exist`, { noteId });
  const cardIds = ctx.sql.all<{ id: number }>(`SELECT id FROM cards WHERE note_id = ? ORDER BY ord`, noteId).map((c) => c.id);
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
    cardIds,
  };
}

/**
 * Creates a note with one new card, or edits one in place. Editing touches only the note's
 * fields: every card keeps its schedule and review history. An experiment link must name an
 * experiment of the registry, and its params must pass that experiment's schema.
 */
export function saveNote(ctx: ServiceContext, input: z.output<typeof NoteInput>): { noteId: number; cardIds: number[] } {
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
      const result = ctx.sql.run(
        `UPDATE notes SET deck_id = ?, front = ?, back = ?, context = ?, tags = ?, experiment_id = ?, experiment_params = ?, modified = ? WHERE id = ?`,
        input.deckId,
        input.front,
        input.back,
        input.context,
        tags,
        input.experimentId,
        params,
        now,
        input.noteId,
      );
      if (result.changes === 0) throw new AppError('not-found', `note ${input.noteId} does not exist`, { noteId: input.noteId });
      return { noteId: input.noteId, cardIds: getNote(ctx, input.noteId).cardIds };
    }
    const noteId = Number(
      ctx.sql.run(
        `INSERT INTO notes (guid, deck_id, front, back, context, tags, experiment_id, experiment_params, created, modified)
         VALUES (lower(hex(randomblob(16))), ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        input.deckId,
        input.front,
        input.back,
        input.context,
        tags,
        input.experimentId,
        params,
        now,
        now,
      ).lastInsertRowid,
    );
    const position = ctx.sql.get<{ p: number | null }>(`SELECT MAX(new_position) AS p FROM cards`)!.p ?? 0;
    const cardId = Number(ctx.sql.run(`INSERT INTO cards (note_id, ord, due, new_position) VALUES (?, 0, ?, ?)`, noteId, now, position + 1).lastInsertRowid);
    return { noteId, cardIds: [cardId] };
  });
}

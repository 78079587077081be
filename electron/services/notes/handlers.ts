import type { Handlers } from '../dispatch';
import type { ServiceContext } from '../context';
import { getNote, saveNote } from './notes';

/** The note editor: read a note, create or edit one. */
export function noteHandlers(ctx: ServiceContext): Pick<Handlers, 'notes.get' | 'notes.save'> {
  return {
    'notes.get': ({ noteId }) => getNote(ctx, noteId),
    'notes.save': (input) => saveNote(ctx, input),
  };
}

/** A row of the `notes` table, as stored (migrations 001 and 003). Times in ms since the epoch. */
export interface NoteRow {
  id: number;
  guid: string;
  deck_id: number;
  front: string;
  back: string;
  context: string;
  language: string | null;
  /** JSON {"en": {"front","back","context"}, …} */
  translations: string | null;
  /** Space-separated. */
  tags: string;
  experiment_id: string | null;
  /** JSON object of the experiment's params. */
  experiment_params: string | null;
  /** JSON of an imported Anki note's extra fields (migration 003). */
  fields: string | null;
  /** 'basic' | 'reversed' | 'cloze' (migration 004): which cards the note has. */
  kind: string;
  source_hash: string | null;
  /** The Anki note type whose templates draw the note's cards (migration 007); null for ProofDeck's own notes. */
  note_type_id?: number | null;
  created: number;
  modified: number;
}

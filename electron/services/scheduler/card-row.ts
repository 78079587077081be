/** A row of the `cards` table, as stored. Times in ms since the epoch. */
export interface CardRow {
  id: number;
  note_id: number;
  ord: number;
  due: number;
  stability: number;
  difficulty: number;
  elapsed_days: number;
  scheduled_days: number;
  learning_steps: number;
  reps: number;
  lapses: number;
  state: number;
  last_review: number | null;
  suspended: number;
  buried_until: number | null;
  new_position: number;
}

export const cardColumns = [
  'id',
  'note_id',
  'ord',
  'due',
  'stability',
  'difficulty',
  'elapsed_days',
  'scheduled_days',
  'learning_steps',
  'reps',
  'lapses',
  'state',
  'last_review',
  'suspended',
  'buried_until',
  'new_position',
] as const satisfies readonly (keyof CardRow)[];

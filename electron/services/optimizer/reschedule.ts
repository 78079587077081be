import type { Rating } from '../../../src/shared/contract';
import type { ServiceContext } from '../context';
import type { CardRow } from '../store/cards';
import { createScheduler } from '../scheduler/fsrs';
import { defaultPresetConfig, defaultPresetId } from '../../../src/shared/contract/presets';

/**
 * Recomputes every reviewed card of a preset's decks: its memory state and due date under the current weights by
 * replaying its review log from the first answer, in one transaction. Cards whose log does not
 * start with a new-card answer (imported midway) keep their schedule. Not an operation of the undo
 * history: it rewrites every card, and so clears the history (store/undo.ts).
 * @returns how many cards were rescheduled.
 */
export function rescheduleAll(ctx: ServiceContext, presetId: number): number {
  // Replays must not add fuzz: the same history gives the same schedule.
  const scheduler = createScheduler((ctx.store.presets.byId(presetId) ?? ctx.store.presets.byId(defaultPresetId))?.config ?? defaultPresetConfig, { fuzz: false });
  const rows = [...ctx.store.presets.iterateHistories(presetId)] as [number, number, Rating, number][];
  let count = 0;
  ctx.store.transaction(() => {
    for (let i = 0; i < rows.length; ) {
      const cardId = rows[i][0];
      let j = i;
      while (j < rows.length && rows[j][0] === cardId) j++;
      if (rows[i][3] === 0) {
        let card: CardRow = {
          id: cardId, note_id: 0, ord: 0, due: rows[i][1], stability: 0, difficulty: 0, elapsed_days: 0, scheduled_days: 0,
          learning_steps: 0, reps: 0, lapses: 0, state: 0, last_review: null, suspended: 0, buried_until: null, new_position: 0, flags: 0,
        };
        for (let k = i; k < j; k++) card = { ...card, ...scheduler.answer(card, rows[k][1], rows[k][2]).card };
        ctx.store.cards.setSchedule(cardId, card);
        count++;
      }
      i = j;
    }
  });
  return count;
}

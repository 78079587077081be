import { AppError } from '../../../src/shared/errors';
import type { Rating } from '../../../src/shared/contract';
import type { ServiceContext } from '../context';
import type { CardRow } from '../store/cards';
import { studyDay } from '../scheduler/study-day';
import { undoable } from '../undo/undo';
import { placementFor } from '../scheduler/placement';
import { defaultPresetConfig, defaultPresetId } from '../../../src/shared/contract/presets';

export function loadCard(ctx: ServiceContext, cardId: number): CardRow {
  const row = ctx.store.cards.byId(cardId);
  if (!row) throw new AppError('not-found', `card ${cardId} does not exist`, { cardId });
  return row;
}

/** The end of the study day `now` falls in: buried cards come back then. */
export function endOfStudyDay(ctx: ServiceContext, now: number): number {
  return studyDay(now, ctx.settings.get().dayStartHour, ctx.timeZone).end;
}

/**
 * Records an answer: the card's new schedule and its review-log row in one transaction, as one
 * operation of the undo history. After it, the note's other new and review cards that are not
 * buried or suspended yet are buried until the next study day (Anki's "bury siblings"; learning
 * cards keep their steps), and undo brings them back with the card. Once this returns, the answer
 * is in the WAL and survives a kill.
 * @returns the card's new due time.
 */
export function recordAnswer(ctx: ServiceContext, cardId: number, rating: Rating, durationMs: number): number {
  const now = ctx.now();
  return undoable(
    ctx,
    'answer',
    () => {
      const before = loadCard(ctx, cardId);
      // The options of the card's deck: its preset's steps, retention, weights and bury rules.
      const presetId = ctx.store.presets.presetOfCard(cardId);
      const preset = ctx.store.presets.byId(presetId) ?? ctx.store.presets.byId(defaultPresetId);
      const config = preset?.config ?? defaultPresetConfig;
      if (config.buryNew || config.buryReviews) {
        const siblings = ctx.store.cards.siblingsToBury(cardId, now, { new: config.buryNew, review: config.buryReviews });
        if (siblings.length) ctx.store.cards.bury(siblings, endOfStudyDay(ctx, now));
      }
      const { card, log } = ctx.scheduler(presetId).answer(before, now, rating, placementFor(ctx, before, presetId, config, now));
      ctx.store.cards.answer(cardId, card);
      ctx.store.revlog.insertAnswer(
        {
          card_id: cardId,
          rating,
          state: before.state,
          due: card.due,
          stability: card.stability,
          difficulty: card.difficulty,
          elapsed_days: log.elapsed_days,
          last_elapsed_days: log.last_elapsed_days,
          scheduled_days: card.scheduled_days,
          learning_steps: card.learning_steps,
          duration_ms: durationMs,
        },
        now,
      );
      return card.due;
    },
    { count: 1, rating, cardId },
  );
}

/** The interval each grade would give `card`, under its deck's preset and on the day its answer will pick. */
export function previewIntervals(ctx: ServiceContext, card: CardRow, now: number): { 1: string; 2: string; 3: string; 4: string } {
  const presetId = ctx.store.presets.presetOfCard(card.id);
  const config = (ctx.store.presets.byId(presetId) ?? ctx.store.presets.byId(defaultPresetId))?.config ?? defaultPresetConfig;
  return ctx.scheduler(presetId).intervals(card, now, placementFor(ctx, card, presetId, config, now));
}

import type { Handlers } from '../dispatch';
import type { ServiceContext } from '../context';
import { studyDay } from '../scheduler/study-day';
import { readSequences } from './items';
import { AppError } from '../../../src/shared/errors';
import { defaultPresetId } from '../../../src/shared/contract/presets';
import { optimize } from './optimizer';
import { rescheduleAll } from './reschedule';

/** The FSRS optimizer: fits a preset's weights to its decks' review log, adopts them when better, reschedules its cards on request. */
export function optimizerHandlers(ctx: ServiceContext): Pick<Handlers, 'optimizer.run'> {
  return {
    'optimizer.run': async ({ reschedule, presetId = defaultPresetId }, call) => {
      const preset = ctx.store.presets.byId(presetId);
      if (!preset) throw new AppError('not-found', `preset ${presetId} does not exist`, { id: presetId });
      const day = studyDay(ctx.now(), ctx.settings.get().dayStartHour, ctx.timeZone);
      // As Anki: each preset's weights are fitted to the reviews of its own decks.
      const sequences = readSequences({ iterateHistories: () => ctx.store.presets.iterateHistories(presetId) }, day.start % 86_400_000);
      const current = preset.config.fsrsWeights;
      const outcome = await optimize(sequences, current, (fraction) =>
        call.emit('progress', { jobId: 'optimizer', fraction, message: fraction < 1 ? 'fitting' : 'done' }),
      );
      if (outcome.status === 'too-short') return outcome;
      let rescheduled = 0;
      if (outcome.adopted) {
        ctx.store.presets.update(presetId, { config: { ...preset.config, fsrsWeights: outcome.adopted } }, ctx.now());
        if (reschedule) rescheduled = rescheduleAll(ctx, presetId);
      }
      return { ...outcome, adopted: outcome.adopted !== null, rescheduled };
    },
  };
}

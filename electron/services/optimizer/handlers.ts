import type { Handlers } from '../dispatch';
import type { ServiceContext } from '../context';
import { studyDay } from '../scheduler/study-day';
import { readSequences } from './items';
import { optimize } from './optimizer';
import { rescheduleAll } from './reschedule';

/** The FSRS optimizer: fits the weights to the review log, adopts them when better, reschedules on request. */
export function optimizerHandlers(ctx: ServiceContext): Pick<Handlers, 'optimizer.run'> {
  return {
    'optimizer.run': async ({ reschedule }, call) => {
      const day = studyDay(ctx.now(), ctx.settings.get().dayStartHour, ctx.timeZone);
      const sequences = readSequences(ctx.store.revlog, day.start % 86_400_000);
      const current = ctx.settings.get().fsrsWeights;
      const outcome = await optimize(sequences, current, (fraction) =>
        call.emit('progress', { jobId: 'optimizer', fraction, message: fraction < 1 ? 'fitting' : 'done' }),
      );
      if (outcome.status === 'too-short') return outcome;
      let rescheduled = 0;
      if (outcome.adopted) {
        ctx.settings.set({ fsrsWeights: outcome.adopted });
        if (reschedule) rescheduled = rescheduleAll(ctx);
      }
      return { ...outcome, adopted: outcome.adopted !== null, rescheduled };
    },
  };
}

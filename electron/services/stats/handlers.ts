import type { Handlers } from '../dispatch';
import type { ServiceContext } from '../context';
import { studyDay } from '../scheduler/study-day';
import { computeStats } from './stats';

/** The statistics screen. */
export function statsHandlers(ctx: ServiceContext): Pick<Handlers, 'stats.get'> {
  return {
    'stats.get': (args) => {
      const dayStart = studyDay(ctx.now(), ctx.settings.get().dayStartHour, ctx.timeZone).start;
      const stats = computeStats(ctx.store, { ...args, now: ctx.now(), dayStart });
      // JSON has no Infinity: the last stability bin is open-ended.
      return { ...stats, stability: stats.stability.map((b) => ({ upper: Number.isFinite(b.upper) ? b.upper : null, count: b.count })) };
    },
  };
}

import type { PresetConfig } from '../../../src/shared/contract/presets';
import type { ServiceContext } from '../context';
import type { CardRow } from '../store/cards';
import type { Placement } from './load-balance';
import { studyDay } from './study-day';

const DAY_MS = 86_400_000;
const weekdayFormatters = new Map<string, Intl.DateTimeFormat>();
const weekdayIndex: Record<string, number> = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };

/** The weekday (0 Monday … 6 Sunday) of study day `d` from the one starting at `dayStart`, on the wall clock of `timeZone`. */
export function weekdayOf(dayStart: number, d: number, timeZone: string): number {
  let f = weekdayFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short' });
    weekdayFormatters.set(timeZone, f);
  }
  // Noon of that day: clear of the day-start hour and of a DST change's hour.
  return weekdayIndex[f.format(dayStart + d * DAY_MS + 12 * 3_600_000)] ?? 0;
}

/** Where the reviews of `card` (of preset `presetId`) may land: the preset's load on each day ahead, its easy days, the note's other cards. */
export function placementFor(ctx: ServiceContext, card: CardRow, presetId: number, config: PresetConfig, now: number): () => Placement {
  return () => {
    const day = studyDay(now, ctx.settings.get().dayStartHour, ctx.timeZone);
    const allDecks = ctx.store.presets.coversAllDecks(presetId);
    return {
      load: (from, to) => ctx.store.presets.reviewLoad(presetId, day.start, from, to, allDecks),
      weekday: (d) => weekdayOf(day.start, d, ctx.timeZone),
      easyDays: config.easyDays,
      siblingDays: ctx.store.presets.siblingDays(card.id, card.note_id, day.start),
      balance: ctx.settings.get().loadBalancing,
    };
  };
}

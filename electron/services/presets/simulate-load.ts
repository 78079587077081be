import { default_w, forgetting_curve } from 'ts-fsrs';
import { defaultPresetConfig, type LoadSimulation, type PresetConfig } from '../../../src/shared/contract/presets';
import { seededRandom } from '../../../src/shared/random';
import type { ServiceContext } from '../context';
import type { CardRow } from '../store/cards';
import type { SimulationCard } from '../store/presets';
import { createScheduler } from '../scheduler/fsrs';
import { balanceHorizon, fuzzSeed, type Placement } from '../scheduler/load-balance';
import { weekdayOf } from '../scheduler/placement';
import { studyDay } from '../scheduler/study-day';

const DAY_MS = 86_400_000;
const MINUTE = 60_000;

interface Simulated {
  row: CardRow;
  preset: number;
  /** The study day (from today) it is next answered on. */
  day: number;
}

function toRow({ preset: _preset, ...c }: SimulationCard): CardRow {
  return { ...c, ord: 0, suspended: 0, buried_until: null, flags: 0 };
}

function summary(series: readonly number[]): { max: number; mean: number; sd: number } {
  const n = series.length || 1;
  const mean = series.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(series.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
  return { max: Math.max(0, ...series), mean, sd };
}

/**
 * Reviews per day over `days` days when every card is answered on the day it falls due and each
 * preset's new cards are introduced at its daily limit: recalled (Good) with its FSRS probability
 * of recall, else forgotten (Again, then Good after its relearning step). Each card's n-th answer
 * draws the same number in both runs, so the two differ only by where the scheduler puts the
 * reviews. It is the app's scheduler that places them (fuzz on), with load balancing on or off.
 */
export function simulateDailyLoad(
  cards: readonly SimulationCard[],
  presets: ReadonlyMap<number, PresetConfig>,
  balance: boolean,
  options: { days: number; dayStart: number; timeZone: string },
): number[] {
  const { days, dayStart, timeZone } = options;
  const horizon = days + balanceHorizon + 2;
  const config = (id: number) => presets.get(id) ?? defaultPresetConfig;
  const schedulers = new Map([...presets].map(([id, c]) => [id, createScheduler(c, { fuzz: true })]));
  const schedulerOf = (id: number) => schedulers.get(id) ?? createScheduler(config(id), { fuzz: true });
  const loads = new Map<number, number[]>();
  const loadOf = (preset: number) => {
    let load = loads.get(preset);
    if (!load) loads.set(preset, (load = new Array<number>(horizon).fill(0)));
    return load;
  };
  const weekdays = Array.from({ length: horizon }, (_, d) => weekdayOf(dayStart, d, timeZone));
  const waiting = new Map<number, Simulated[]>();
  const newCards = new Map<number, Simulated[]>();
  for (const c of cards) {
    const item: Simulated = { row: toRow(c), preset: c.preset, day: 0 };
    if (c.state === 0) {
      const list = newCards.get(c.preset) ?? [];
      list.push(item);
      newCards.set(c.preset, list);
      continue;
    }
    item.day = Math.max(0, Math.floor((c.due - dayStart) / DAY_MS));
    if (item.day >= days) continue;
    if (c.state === 2) loadOf(c.preset)[item.day]++;
    const list = waiting.get(item.day) ?? [];
    list.push(item);
    waiting.set(item.day, list);
  }
  const series = new Array<number>(days).fill(0);
  const answer = (item: Simulated, d: number, now: number, rating: 1 | 3) => {
    const load = loadOf(item.preset);
    const placement = (): Placement => ({
      load: (from, to) => load.slice(d + from, d + to + 1),
      weekday: (x) => weekdays[d + x] ?? 0,
      easyDays: config(item.preset).easyDays,
      siblingDays: new Set(),
      balance,
    });
    item.row = { ...item.row, ...schedulerOf(item.preset).answer(item.row, now, rating, placement).card };
  };
  for (let d = 0; d < days; d++) {
    const now = dayStart + d * DAY_MS + 10 * 3_600_000;
    const today = waiting.get(d) ?? [];
    waiting.delete(d);
    for (const [preset, list] of newCards) today.push(...list.splice(0, config(preset).newPerDay));
    for (const item of today) {
      const load = loadOf(item.preset);
      if (item.row.state === 2) {
        series[d]++;
        load[d]--;
        const elapsed = item.row.last_review === null ? item.row.scheduled_days : Math.max(0, Math.round((now - item.row.last_review) / DAY_MS));
        const recall = forgetting_curve(config(item.preset).fsrsWeights ?? default_w, elapsed, Math.max(0.01, item.row.stability));
        const recalled = seededRandom(fuzzSeed(item.row.id, item.row.reps) ^ 0x5bd1e995)() < recall;
        answer(item, d, now, recalled ? 3 : 1);
      }
      // New, learning or forgotten: Good on each step until it is a review again.
      for (let step = 0; item.row.state !== 2 && step < 8; step++) answer(item, d, now + (step + 1) * 10 * MINUTE, 3);
      item.day = Math.max(d + 1, Math.floor((item.row.due - dayStart) / DAY_MS));
      if (item.day < horizon) load[item.day]++;
      if (item.day < days) {
        const list = waiting.get(item.day) ?? [];
        list.push(item);
        waiting.set(item.day, list);
      }
    }
  }
  return series;
}

/** The collection's daily review load for `days` days, simulated with load balancing on and off. */
export function simulateLoad(ctx: ServiceContext, days: number): LoadSimulation {
  const day = studyDay(ctx.now(), ctx.settings.get().dayStartHour, ctx.timeZone);
  const cards = ctx.store.presets.simulationCards();
  const presets = new Map(ctx.store.presets.all().map((p) => [p.id, p.config]));
  const options = { days, dayStart: day.start, timeZone: ctx.timeZone };
  const balanced = simulateDailyLoad(cards, presets, true, options);
  const unbalanced = simulateDailyLoad(cards, presets, false, options);
  // Day 0 holds every overdue card in both runs: the figures describe the days after it.
  return {
    days: Array.from({ length: days }, (_, i) => day.start + i * DAY_MS),
    balanced,
    unbalanced,
    summary: { balanced: summary(balanced.slice(1)), unbalanced: summary(unbalanced.slice(1)) },
  };
}

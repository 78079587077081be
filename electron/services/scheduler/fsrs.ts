import { fsrs, generatorParameters, get_fuzz_range, State, type Card, type FSRS, type Grade, type ReviewLog, type StepUnit } from 'ts-fsrs';
import type { Rating } from '../../../src/shared/contract';
import type { PresetConfig } from '../../../src/shared/contract/presets';
import type { CardRow } from '../store/cards';
import { formatInterval } from './interval';
import { fuzzSeed, pickDay, type Placement } from './load-balance';

const DAY_MS = 86_400_000;

export interface Scheduled {
  /** The card's schedule columns after the answer. */
  card: Pick<CardRow, 'due' | 'stability' | 'difficulty' | 'elapsed_days' | 'scheduled_days' | 'learning_steps' | 'reps' | 'lapses' | 'state' | 'last_review'>;
  log: ReviewLog;
}

/** FSRS-6 (ts-fsrs) configured from a preset's options. */
export interface Scheduler {
  /** `placement` (the load of the days ahead, easy days) is asked for only when a review's day is drawn. */
  answer(row: CardRow, now: number, rating: Rating, placement?: () => Placement): Scheduled;
  /** The interval each grade would give, as the grade buttons show it (the day the answer will pick). */
  intervals(row: CardRow, now: number, placement?: () => Placement): { 1: string; 2: string; 3: string; 4: string };
}

/** How a preset's reviews are spread: fuzz, and within the fuzz range, load balancing and easy days. */
export interface SchedulerOptions {
  /** Anki's fuzz: a review lands on a day drawn within a range around its interval. Off: exactly on it. */
  fuzz: boolean;
}

function toCard(row: CardRow): Card {
  return {
    due: new Date(row.due),
    stability: row.stability,
    difficulty: row.difficulty,
    elapsed_days: row.elapsed_days,
    scheduled_days: row.scheduled_days,
    learning_steps: row.learning_steps,
    reps: row.reps,
    lapses: row.lapses,
    state: row.state,
    last_review: row.last_review === null ? undefined : new Date(row.last_review),
  };
}

function fromCard(card: Card): Scheduled['card'] {
  return {
    due: card.due.getTime(),
    stability: card.stability,
    difficulty: card.difficulty,
    elapsed_days: card.elapsed_days,
    scheduled_days: card.scheduled_days,
    learning_steps: card.learning_steps,
    reps: card.reps,
    lapses: card.lapses,
    state: card.state,
    last_review: card.last_review ? card.last_review.getTime() : null,
  };
}

export function createScheduler(config: PresetConfig, options: SchedulerOptions): Scheduler {
  // ts-fsrs gives the exact interval; the day within the fuzz range is drawn here, seeded by the
  // card, where the load of the days ahead can weigh in.
  const engine: FSRS = fsrs(
    generatorParameters({
      request_retention: config.desiredRetention,
      enable_fuzz: false,
      maximum_interval: config.maximumInterval,
      // The preset schema already restricts steps to <number><m|h|d>.
      learning_steps: config.learningSteps as StepUnit[],
      relearning_steps: config.relearningSteps as StepUnit[],
      ...(config.fsrsWeights ? { w: config.fsrsWeights } : {}),
    }),
  );
  const place = (row: CardRow, card: Card, log: ReviewLog, now: number, placement: (() => Placement) | undefined): Card => {
    if (card.state !== State.Review) return card;
    // ts-fsrs keeps Hard < Good < Easy by pushing an interval past the maximum; Anki caps them all.
    const interval = Math.min(card.scheduled_days, config.maximumInterval);
    if (!options.fuzz || interval < 2.5) return interval === card.scheduled_days ? card : { ...card, scheduled_days: interval, due: new Date(now + interval * DAY_MS) };
    const { min_ivl, max_ivl } = get_fuzz_range(interval, log.elapsed_days, config.maximumInterval);
    const where: Placement = placement?.() ?? { load: () => [], weekday: () => 0, easyDays: config.easyDays, siblingDays: new Set(), balance: false };
    const day = pickDay(interval, min_ivl, max_ivl, where, fuzzSeed(row.id, row.reps));
    return { ...card, scheduled_days: day, due: new Date(now + day * DAY_MS) };
  };
  return {
    answer(row, now, rating, placement) {
      const item = engine.next(toCard(row), now, rating as Grade);
      return { card: fromCard(place(row, item.card, item.log, now, placement)), log: item.log };
    },
    intervals(row, now, placement) {
      const preview = engine.repeat(toCard(row), now);
      let asked: Placement | undefined;
      const once = placement && (() => (asked ??= placement()));
      const label = (grade: Grade) => formatInterval(place(row, preview[grade].card, preview[grade].log, now, once).due.getTime() - now);
      return { 1: label(1), 2: label(2), 3: label(3), 4: label(4) };
    },
  };
}

import { fsrs, generatorParameters, type Card, type FSRS, type Grade, type ReviewLog, type StepUnit } from 'ts-fsrs';
import type { Rating, Settings } from '../../../src/shared/contract';
import type { CardRow } from '../store/cards';
import { formatInterval } from './interval';

export interface Scheduled {
  /** The card's schedule columns after the answer. */
  card: Pick<CardRow, 'due' | 'stability' | 'difficulty' | 'elapsed_days' | 'scheduled_days' | 'learning_steps' | 'reps' | 'lapses' | 'state' | 'last_review'>;
  log: ReviewLog;
}

/** FSRS-6 (ts-fsrs) configured from the user's settings. */
export interface Scheduler {
  answer(row: CardRow, now: number, rating: Rating): Scheduled;
  /** The interval each grade would give, as the grade buttons show it. */
  intervals(row: CardRow, now: number): { 1: string; 2: string; 3: string; 4: string };
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

export function createScheduler(settings: Settings): Scheduler {
  const engine: FSRS = fsrs(
    generatorParameters({
      request_retention: settings.desiredRetention,
      enable_fuzz: settings.enableFuzz,
      // The Settings schema already restricts steps to <number><m|h|d>.
      learning_steps: settings.learningSteps as StepUnit[],
      relearning_steps: settings.relearningSteps as StepUnit[],
      ...(settings.fsrsWeights ? { w: settings.fsrsWeights } : {}),
    }),
  );
  return {
    answer(row, now, rating) {
      const item = engine.next(toCard(row), now, rating as Grade);
      return { card: fromCard(item.card), log: item.log };
    },
    intervals(row, now) {
      const preview = engine.repeat(toCard(row), now);
      const label = (grade: Grade) => formatInterval(preview[grade].card.due.getTime() - now);
      return { 1: label(1), 2: label(2), 3: label(3), 4: label(4) };
    },
  };
}

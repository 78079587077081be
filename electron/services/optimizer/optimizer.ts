import { computeParameters, FSRSBinding, FSRSBindingItem, FSRSBindingReview } from '@open-spaced-repetition/binding';
import { default_w } from 'ts-fsrs';
import type { ReviewSequence } from './items';
import { countItems } from './items';

/**
 * Fewer answers than this and a fit says more about noise than about the learner (Anki asks for a
 * few hundred too).
 */
export const minimumItems = 400;

export interface Evaluation {
  logLoss: number;
  rmse: number;
}

export type OptimizeOutcome =
  | { status: 'too-short'; items: number; needed: number }
  | {
      status: 'fitted';
      items: number;
      cards: number;
      current: Evaluation;
      fitted: Evaluation;
      /** The new weights when they predict the history better than the current ones; otherwise null. */
      adopted: number[] | null;
      weights: number[];
    };

/** One training item per answer after the first: the history up to and including that answer. */
export function toItems(sequences: ReviewSequence[]): FSRSBindingItem[] {
  const items: FSRSBindingItem[] = [];
  for (const s of sequences) {
    const reviews = s.reviews.map((r) => new FSRSBindingReview(r.rating, r.deltaDays));
    for (let i = 2; i <= reviews.length; i++) items.push(new FSRSBindingItem(reviews.slice(0, i)));
  }
  return items;
}

function evaluate(weights: readonly number[], items: FSRSBindingItem[]): Evaluation {
  const e = new FSRSBinding([...weights]).evaluate(items);
  return { logLoss: e.logLoss, rmse: e.rmseBins };
}

/**
 * Fits the 21 FSRS-6 weights to a learner's own history with fsrs-rs (the reference optimizer,
 * through @open-spaced-repetition/binding; it trains on a native thread, so the caller's event loop
 * stays free), and compares log loss and RMSE with the weights in use. The fit is adopted only when
 * it is better.
 */
export async function optimize(
  sequences: ReviewSequence[],
  currentWeights: readonly number[] | null,
  progress: (fraction: number) => void,
): Promise<OptimizeOutcome> {
  const itemCount = countItems(sequences);
  if (itemCount < minimumItems) return { status: 'too-short', items: itemCount, needed: minimumItems };
  const items = toItems(sequences);
  progress(0.02);
  const weights = await computeParameters(items, {
    enableShortTerm: true,
    progress: (done, total) => {
      // fsrs-rs reports training steps; evaluation follows, so training fills 2%..90%.
      if (total > 0) progress(0.02 + 0.88 * Math.min(1, done / total));
    },
  });
  const current = evaluate(currentWeights ?? default_w, items);
  const fitted = evaluate(weights, items);
  const better = fitted.logLoss < current.logLoss;
  progress(1);
  return { status: 'fitted', items: itemCount, cards: sequences.length, current, fitted, adopted: better ? weights : null, weights };
}

import { createEmptyCard, default_w, forgetting_curve, fsrs, generatorParameters, Rating, type Card, type Grade } from 'ts-fsrs';
import type { ReviewSequence } from './items';
import { seededRandom } from '../../../src/shared/random';

const DAY_MS = 86_400_000;


/**
 * A simulated learner whose memory follows FSRS-6 with `trueWeights`: each card is reviewed when
 * the scheduler (using the same weights, desired retention 0.9) says, recalled with the true
 * probability of recall, and graded Again on a lapse, else Hard/Good/Easy. Used to check that the
 * optimizer recovers a better model than the defaults from such a history.
 */
export function simulateLearner(trueWeights: readonly number[], cards: number, reviewsPerCard: number, seed: number): ReviewSequence[] {
  const random = seededRandom(seed);
  const scheduler = fsrs(generatorParameters({ w: [...trueWeights], enable_fuzz: false, enable_short_term: false, request_retention: 0.9 }));
  const sequences: ReviewSequence[] = [];
  for (let id = 1; id <= cards; id++) {
    let card: Card = createEmptyCard(new Date(0));
    let day = 0;
    const reviews: ReviewSequence['reviews'] = [];
    for (let i = 0; i < reviewsPerCard; i++) {
      let rating: Grade;
      if (i === 0) rating = random() < 0.3 ? Rating.Again : Rating.Good;
      else {
        const elapsed = day - Math.round((card.last_review?.getTime() ?? 0) / DAY_MS);
        const recall = forgetting_curve([...trueWeights], elapsed, card.stability);
        const u = random();
        rating = random() > recall ? Rating.Again : u < 0.15 ? Rating.Hard : u < 0.9 ? Rating.Good : Rating.Easy;
      }
      const delta = i === 0 ? 0 : day - Math.round((card.last_review?.getTime() ?? 0) / DAY_MS);
      reviews.push({ rating, deltaDays: delta });
      card = scheduler.next(card, new Date(day * DAY_MS), rating).card;
      // Review on the due day, with some learners late by a day or two.
      day += Math.max(1, card.scheduled_days) + (random() < 0.2 ? 1 + Math.floor(random() * 2) : 0);
    }
    sequences.push({ cardId: id, reviews });
  }
  return sequences;
}

/** A learner unlike the defaults: forgets new cards faster and consolidates more slowly. */
export function unusualLearnerWeights(): number[] {
  const w = [...default_w];
  w[0] *= 0.25;
  w[1] *= 0.25;
  w[2] *= 0.3;
  w[3] *= 0.4;
  w[8] *= 0.7;
  return w;
}

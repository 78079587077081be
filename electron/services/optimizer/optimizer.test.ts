import { describe, expect, it } from 'vitest';
import { default_w } from 'ts-fsrs';
import { optimize, minimumItems } from './optimizer';
import { simulateLearner, unusualLearnerWeights } from './simulate';

describe('FSRS optimizer', () => {
  it('fits a simulated learner better than the default weights and adopts the fit', async () => {
    const history = simulateLearner(unusualLearnerWeights(), 400, 8, 20261127 + Math.floor(Math.random() * 1000));
    const steps: number[] = [];
    const outcome = await optimize(history, null, (f) => steps.push(f));
    expect(outcome.status).toBe('fitted');
    if (outcome.status !== 'fitted') return;
    expect(outcome.weights).toHaveLength(21);
    expect(outcome.fitted.logLoss).toBeLessThan(outcome.current.logLoss);
    expect(outcome.fitted.rmse).toBeLessThan(outcome.current.rmse);
    expect(outcome.adopted).toEqual(outcome.weights);
    // Learned initial stability for 'Good' moves towards the learner's (much lower) one.
    expect(outcome.weights[2]).toBeLessThan(default_w[2]);
    expect(steps.at(-1)).toBe(1);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
  });

  it('keeps the current weights when the fit is not better', async () => {
    const history = simulateLearner(unusualLearnerWeights(), 400, 8, 7);
    const first = await optimize(history, null, () => {});
    if (first.status !== 'fitted') throw new Error('expected a fit');
    // Refitting the same history against its own fit cannot be strictly better.
    const second = await optimize(history, first.weights, () => {});
    if (second.status !== 'fitted') throw new Error('expected a fit');
    expect(second.fitted.logLoss).toBeGreaterThanOrEqual(second.current.logLoss - 1e-3);
    if (second.fitted.logLoss >= second.current.logLoss) expect(second.adopted).toBeNull();
  });

  it('says a history is too short to fit instead of fitting noise', async () => {
    const history = simulateLearner(default_w, 20, 5, 3);
    const outcome = await optimize(history, null, () => {});
    expect(outcome).toEqual({ status: 'too-short', items: 80, needed: minimumItems });
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { addCard, addDeck, temporaryDir } from '../../testing/fixtures';
import { openTestServices, seoul } from '../../testing/services';
import { weekdayOf } from './placement';
import { studyDay } from './study-day';
import { easyDayModifiers, pickDay } from './load-balance';

const MIN = 60_000;
const DAY = 86_400_000;
const now = seoul(2026, 3, 10, 9);
const dayStart = studyDay(now, 4, 'Asia/Seoul').start;
const dirs: { remove(): void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

/**
 * A collection with an uneven load ahead (every third day heavy) and `answering` review cards of
 * the same memory due now, answered Good one after the other through the API: the days their
 * reviews land on, and the load per day afterwards.
 */
async function answerAll(settings: { loadBalancing: boolean }, easyDays?: (0 | 0.5 | 1)[], answering = 150) {
  const dir = temporaryDir();
  dirs.push(dir);
  const t = openTestServices(dir.dir, now, { enableFuzz: true, ...settings });
  const db = t.services.db!;
  const deck = addDeck(db, 'Load');
  if (easyDays) await t.client.api['presets.update']({ id: 1, config: { easyDays } });
  for (let d = 1; d <= 95; d++) {
    const heavy = d % 3 === 0 ? 30 : 3;
    for (let i = 0; i < heavy; i++) addCard(db, { deckId: deck, state: 2, due: dayStart + d * DAY + 6 * 3_600_000, stability: 50 });
  }
  const cards = Array.from({ length: answering }, () => addCard(db, { deckId: deck, state: 2, due: now - MIN, stability: 8, difficulty: 5, lastReview: now - 8 * DAY }));
  const landed: number[] = [];
  for (const cardId of cards) {
    const { due } = await t.client.api['review.answer']({ cardId, rating: 3, durationMs: 1000 });
    landed.push(Math.floor((due - dayStart) / DAY));
  }
  const forecast = (await t.client.api['stats.get']({})).forecast;
  t.services.close();
  return { landed, forecast };
}

function figures(values: number[]) {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
  return { max: Math.max(...values), mean: Number(mean.toFixed(2)), sd: Number(sd.toFixed(2)) };
}

describe('load balancing', () => {
  it('flattens the daily load within the fuzz range, compared with fuzz alone', async () => {
    const on = await answerAll({ loadBalancing: true });
    const off = await answerAll({ loadBalancing: false });
    // The same range of days either way (the fuzz range of the same interval).
    const first = Math.min(...on.landed, ...off.landed);
    const last = Math.max(...on.landed, ...off.landed);
    const window = (forecast: number[]) => forecast.slice(first, last + 1);
    const balanced = figures(window(on.forecast));
    const unbalanced = figures(window(off.forecast));
    console.log(`days ${first}..${last}: load per day with load balancing ${JSON.stringify(window(on.forecast))} ${JSON.stringify(balanced)}`);
    console.log(`days ${first}..${last}: load per day without it          ${JSON.stringify(window(off.forecast))} ${JSON.stringify(unbalanced)}`);
    expect(last - first).toBeGreaterThanOrEqual(3);
    expect(balanced.sd).toBeLessThan(unbalanced.sd * 0.6);
    expect(balanced.max).toBeLessThan(unbalanced.max);
    // Deterministic: the same collection answered again lands every card on the same day.
    expect((await answerAll({ loadBalancing: true })).landed).toEqual(on.landed);
  });

  it('keeps reviews off the minimum easy days, and fewer on reduced ones', async () => {
    const weekend = (landed: number[]) => landed.filter((d) => weekdayOf(dayStart, d, 'Asia/Seoul') >= 5).length;
    const normal = await answerAll({ loadBalancing: true });
    const minimum = await answerAll({ loadBalancing: true }, [1, 1, 1, 1, 1, 0, 0]);
    const reduced = await answerAll({ loadBalancing: true }, [1, 1, 1, 1, 1, 0.5, 0.5]);
    const off = await answerAll({ loadBalancing: false }, [1, 1, 1, 1, 1, 0, 0]);
    console.log(`reviews of 150 landing on Sat/Sun: normal ${weekend(normal.landed)}, reduced ${weekend(reduced.landed)}, minimum ${weekend(minimum.landed)}, minimum without load balancing ${weekend(off.landed)}`);
    expect(weekend(normal.landed)).toBeGreaterThan(10);
    // Almost none, as in Anki: a minimum day weighs 1/10,000 of a normal one.
    expect(weekend(minimum.landed)).toBeLessThan(weekend(normal.landed) / 10);
    expect(weekend(off.landed)).toBe(0);
    expect(weekend(reduced.landed)).toBeLessThan(weekend(normal.landed));
  });

  it("weighs days as Anki's balancer does", () => {
    const loads = (list: number[]) => (from: number, to: number) => list.slice(from, to + 1);
    const flat = { load: loads([0, 0, 0, 0, 0, 0]), weekday: (d: number) => d % 7, easyDays: [1, 1, 1, 1, 1, 1, 1], siblingDays: new Set<number>(), balance: true };
    // An empty day among loaded ones is (almost) always picked.
    const picks = Array.from({ length: 50 }, (_, seed) => pickDay(4, 3, 5, { ...flat, load: loads([0, 0, 0, 20, 0, 20]) }, seed));
    expect(picks.filter((d) => d === 4).length).toBeGreaterThan(45);
    // A sibling's day is avoided.
    const apart = Array.from({ length: 50 }, (_, seed) => pickDay(4, 3, 5, { ...flat, siblingDays: new Set([3, 5]) }, seed));
    expect(apart.filter((d) => d === 4).length).toBeGreaterThanOrEqual(48);
    // A reduced day stays open while under half the others' mean, and closes past it.
    expect(easyDayModifiers([1, 0.5, 1, 1, 1, 1, 1], [0, 1, 2], [10, 2, 10])).toEqual([1, 1, 1]);
    expect(easyDayModifiers([1, 0.5, 1, 1, 1, 1, 1], [0, 1, 2], [10, 9, 10])).toEqual([1, 0.0001, 1]);
  });
});

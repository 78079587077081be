import { describe, expect, it } from 'vitest';
import { compareSamples, kendallTrend, logLogSlope, normalUpperTail, robustSlope, spread } from './statistics';

describe('statistics a verdict rests on', () => {
  it('spread: median, range and the 10–90% band', () => {
    const s = spread([5, 1, 4, 2, 3]);
    expect(s).toMatchObject({ median: 3, low: 1, high: 5, samples: 5 });
    expect(s.p10).toBeCloseTo(1.4, 10);
    expect(s.p90).toBeCloseTo(4.6, 10);
    expect(spread([1, 2, 3, 4]).median).toBe(2.5);
  });

  it('Mann–Whitney: five samples each entirely below the other give the exact p = 1/252', () => {
    const fast = [10, 11, 12, 13, 14];
    const slow = [20, 21, 22, 23, 24];
    const c = compareSamples(fast, slow);
    expect(c.pSmaller).toBeCloseTo(1 / 252, 12);
    expect(c.pLarger).toBeCloseTo(1, 12);
    expect(c.direction).toBe('smaller');
    expect(c.ratio).toBeCloseTo(22 / 12, 12);
    expect(compareSamples(slow, fast).direction).toBe('larger');
  });

  it('Mann–Whitney: interleaved samples are a tie, whatever their medians', () => {
    const c = compareSamples([10, 12, 14, 16, 18], [11, 13, 15, 17, 19]);
    expect(c.direction).toBe('tie');
    expect(c.pSmaller).toBeGreaterThan(0.05);
  });

  it('Mann–Whitney: the exact distribution matches brute force over every split of 4 + 3 ranks', () => {
    // All C(7,3) = 35 ways to draw b's ranks: p for U ≥ u is the fraction with at least that many a<b pairs.
    const a = [1, 2, 4, 7];
    const b = [3, 5, 6];
    let u = 0;
    for (const x of a) for (const y of b) if (x < y) u++;
    let atLeast = 0;
    let total = 0;
    const ranks = [1, 2, 3, 4, 5, 6, 7];
    for (let i = 0; i < 7; i++) for (let j = i + 1; j < 7; j++) for (let k = j + 1; k < 7; k++) {
      const bs = [ranks[i], ranks[j], ranks[k]];
      const as = ranks.filter((r) => !bs.includes(r));
      let count = 0;
      for (const x of as) for (const y of bs) if (x < y) count++;
      total++;
      if (count >= u) atLeast++;
    }
    expect(compareSamples(a, b).pSmaller).toBeCloseTo(atLeast / total, 12);
  });

  it('Mann–Whitney: large samples use the normal approximation and still decide', () => {
    const a = Array.from({ length: 40 }, (_, i) => i);
    const b = Array.from({ length: 40 }, (_, i) => i + 30);
    expect(compareSamples(a, b).direction).toBe('smaller');
    expect(compareSamples(a, a.map((x) => x + 0.5)).direction).toBe('tie');
  });

  it('normal tail matches known values', () => {
    expect(normalUpperTail(0)).toBeCloseTo(0.5, 6);
    expect(normalUpperTail(1.6448536)).toBeCloseTo(0.05, 6);
    expect(normalUpperTail(-1.959964)).toBeCloseTo(0.975, 6);
  });

  it('slopes and trends', () => {
    const x = [64, 128, 256, 512];
    expect(logLogSlope(x, x.map((n) => n * n))).toBeCloseTo(2, 10);
    expect(logLogSlope(x, x.map((n) => 3 * n))).toBeCloseTo(1, 10);
    expect(robustSlope([1, 2, 3, 4, 5], [2, 4, 6, 100, 10])).toBeCloseTo(2, 10);
    const rising = kendallTrend([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(rising.tau).toBe(1);
    expect(rising.pRising).toBeLessThan(0.001);
    const flat = kendallTrend([1, 2, 3, 4, 5, 6, 7, 8], [3, 1, 4, 1, 5, 9, 2, 6]);
    expect(flat.pRising).toBeGreaterThan(0.05);
    expect(flat.pFalling).toBeGreaterThan(0.05);
  });
});

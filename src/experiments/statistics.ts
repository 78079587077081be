/**
 * The statistics a verdict may rest on: medians and spreads of repeated measurements, and tests
 * that say how sure a comparison is (Mann–Whitney for "A is faster than B", Kendall's τ for "this
 * grows with that"). Small, exact where the samples are small (5–20 repeats), and dependency-free.
 */

/** Significance level of every decision: a comparison decides only at p ≤ ALPHA (95% confidence). */
export const ALPHA = 0.05;

export interface Spread {
  median: number;
  /** Smallest and largest sample. */
  low: number;
  high: number;
  /** 10th and 90th percentiles (linear interpolation). */
  p10: number;
  p90: number;
  samples: number;
}

/** Linear-interpolated quantile q ∈ [0, 1] of already sorted values. */
function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.ceil(position);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

/** Median, range and 10–90% band of repeated measurements. */
export function spread(samples: readonly number[]): Spread {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    median: quantileSorted(sorted, 0.5),
    low: sorted[0] ?? Number.NaN,
    high: sorted[sorted.length - 1] ?? Number.NaN,
    p10: quantileSorted(sorted, 0.1),
    p90: quantileSorted(sorted, 0.9),
    samples: sorted.length,
  };
}

export function median(samples: readonly number[]): number {
  return spread(samples).median;
}

/** Standard normal upper tail P(Z ≥ z) (Abramowitz & Stegun 26.2.17, |error| < 7.5e-8). */
export function normalUpperTail(z: number): number {
  if (z < 0) return 1 - normalUpperTail(-z);
  const t = 1 / (1 + 0.2316419 * z);
  const density = Math.exp((-z * z) / 2) / Math.sqrt(2 * Math.PI);
  const poly = t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  return density * poly;
}

/**
 * Exact null distribution of the Mann–Whitney U statistic for samples of m and n: counts[u] is the
 * number of orderings with U = u (0 ≤ u ≤ m·n), out of C(m+n, m).
 */
function mannWhitneyCounts(m: number, n: number): Float64Array {
  // f[i][j][u]: orderings of i and j items with U = u; f(i,j,u) = f(i−1,j,u−j) + f(i,j−1,u).
  let previous: Float64Array[] = [];
  for (let i = 0; i <= m; i++) {
    const row: Float64Array[] = [];
    for (let j = 0; j <= n; j++) {
      const counts = new Float64Array(i * j + 1);
      if (i === 0 || j === 0) counts[0] = 1;
      else {
        const fromI = previous[j];
        const fromJ = row[j - 1];
        for (let u = 0; u < counts.length; u++) {
          counts[u] = (u - j >= 0 && u - j < fromI.length ? fromI[u - j] : 0) + (u < fromJ.length ? fromJ[u] : 0);
        }
      }
      row.push(counts);
    }
    previous = row;
  }
  return previous[n];
}

export interface Comparison {
  /** median(b) / median(a): above 1 when a is smaller (e.g. faster) than b. */
  ratio: number;
  /** One-sided p-value that a tends to be smaller than b (Mann–Whitney). */
  pSmaller: number;
  /** One-sided p-value that a tends to be larger than b. */
  pLarger: number;
  /** 'smaller' or 'larger' when that side's p ≤ ALPHA, else 'tie' (the run cannot tell them apart). */
  direction: 'smaller' | 'larger' | 'tie';
  samplesA: number;
  samplesB: number;
}

/**
 * Compares two sets of repeated measurements (times, say) with the Mann–Whitney U test: exact for
 * up to 25 samples a side, a normal approximation with continuity correction beyond. Ties count
 * half. With 5 samples a side the smallest possible p is 1/252 ≈ 0.004.
 */
export function compareSamples(a: readonly number[], b: readonly number[]): Comparison {
  const m = a.length;
  const n = b.length;
  const ratio = median(b) / median(a);
  if (m === 0 || n === 0) return { ratio, pSmaller: 1, pLarger: 1, direction: 'tie', samplesA: m, samplesB: n };
  // U counts the pairs where a is smaller (ties half).
  let u = 0;
  for (const x of a) for (const y of b) u += x < y ? 1 : x === y ? 0.5 : 0;
  let pSmaller: number;
  let pLarger: number;
  if (m <= 25 && n <= 25) {
    const counts = mannWhitneyCounts(m, n);
    const total = counts.reduce((s, c) => s + c, 0);
    let atLeast = 0;
    let atMost = 0;
    for (let k = 0; k < counts.length; k++) {
      if (k >= Math.floor(u)) atLeast += counts[k];
      if (k <= Math.ceil(u)) atMost += counts[k];
    }
    pSmaller = atLeast / total;
    pLarger = atMost / total;
  } else {
    const mean = (m * n) / 2;
    const sd = Math.sqrt((m * n * (m + n + 1)) / 12);
    pSmaller = normalUpperTail((u - 0.5 - mean) / sd);
    pLarger = normalUpperTail((mean - u - 0.5) / sd);
  }
  const direction = pSmaller <= ALPHA ? 'smaller' : pLarger <= ALPHA ? 'larger' : 'tie';
  return { ratio, pSmaller: Math.min(1, pSmaller), pLarger: Math.min(1, pLarger), direction, samplesA: m, samplesB: n };
}

/** Least-squares slope of log(y) against log(x): 1 for linear growth, 2 for quadratic. */
export function logLogSlope(x: readonly number[], y: readonly number[]): number {
  const lx = x.map(Math.log);
  const ly = y.map(Math.log);
  const mx = lx.reduce((a, b) => a + b, 0) / lx.length;
  const my = ly.reduce((a, b) => a + b, 0) / ly.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < lx.length; i++) {
    num += (lx[i] - mx) * (ly[i] - my);
    den += (lx[i] - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

/**
 * Theil–Sen slope: the median of the slopes between every pair of points. Robust to the timing
 * spikes a busy machine produces (up to about 29% of the points), unlike a least-squares fit.
 */
export function robustSlope(x: readonly number[], y: readonly number[]): number {
  const slopes: number[] = [];
  for (let i = 0; i < x.length; i++) for (let j = i + 1; j < x.length; j++) if (x[j] !== x[i]) slopes.push((y[j] - y[i]) / (x[j] - x[i]));
  return slopes.length ? median(slopes) : 0;
}

export interface Trend {
  /** Kendall's τ: +1 when y always rises with x, 0 with no monotone trend. */
  tau: number;
  /** One-sided p-value of a rising trend (normal approximation of τ under independence). */
  pRising: number;
  /** One-sided p-value of a falling trend. */
  pFalling: number;
}

/** Kendall's τ between x and y with its significance (normal approximation, fine from n ≈ 8). */
export function kendallTrend(x: readonly number[], y: readonly number[]): Trend {
  let concordant = 0;
  let discordant = 0;
  for (let i = 0; i < x.length; i++) {
    for (let j = i + 1; j < x.length; j++) {
      const sign = Math.sign(x[j] - x[i]) * Math.sign(y[j] - y[i]);
      if (sign > 0) concordant++;
      else if (sign < 0) discordant++;
    }
  }
  const n = x.length;
  const pairs = concordant + discordant;
  const tau = pairs === 0 ? 0 : (concordant - discordant) / pairs;
  if (n < 3) return { tau, pRising: 1, pFalling: 1 };
  const z = (3 * tau * Math.sqrt(n * (n - 1))) / Math.sqrt(2 * (2 * n + 5));
  return { tau, pRising: normalUpperTail(z), pFalling: normalUpperTail(-z) };
}

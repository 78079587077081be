import { AppError } from '../shared/errors';
import type { DeviceInfo } from '../engine/device-info';
import type { ChartSpec, ExperimentResult, Localized } from './types';

/** Experiments call this between GPU submissions so that a cancel stops them within a second. */
export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new AppError('cancelled', 'The run was cancelled');
}

/** Lets the event loop deliver a cancel (and progress messages) between long synchronous steps. */
export async function yieldToEvents(signal: AbortSignal): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 0));
  throwIfAborted(signal);
}

export interface Spread {
  median: number;
  low: number;
  high: number;
}

/** Median and range of repeated measurements (the chart draws the range as an error bar). */
export function spread(samples: readonly number[]): Spread {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median, low: sorted[0], high: sorted[sorted.length - 1] };
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

/** Short human numbers for verdict sentences: 3 significant digits. */
export function num(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return String(value);
  if (value !== 0 && (Math.abs(value) < 1e-3 || Math.abs(value) >= 1e6)) return value.toExponential(digits - 1);
  return Number(value.toPrecision(digits)).toString();
}

/** Bytes as KiB/MiB/GiB. */
export function bytes(value: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let v = value;
  let unit = 0;
  while (Math.abs(v) >= 1024 && unit < units.length - 1) {
    v /= 1024;
    unit++;
  }
  return `${num(v)} ${units[unit]}`;
}

export function both(ko: string, en: string): Localized {
  return { ko, en };
}

/** The device of a float64 CPU-reference run: clearly not a GPU. */
export const cpuReferenceDevice: DeviceInfo = {
  name: 'CPU float64 reference (no GPU)',
  vendor: 'cpu',
  architecture: 'javascript',
  isFallback: true,
  backend: 'cpu-reference',
  timestampQuery: false,
  limits: {
    maxStorageBufferBindingSize: Number.MAX_SAFE_INTEGER,
    maxBufferSize: Number.MAX_SAFE_INTEGER,
    maxComputeWorkgroupStorageSize: 0,
    maxComputeInvocationsPerWorkgroup: 1,
  },
};

/** Context added to every run on a software adapter, so nobody reads its timings as a GPU's. */
export const softwareGpuContext = both(
  '이 장치는 소프트웨어 GPU(SwiftShader, 실제로는 CPU)입니다. 계산량이 병목이므로 시간 차이는 실제 GPU와 다르게 나타날 수 있고, 메모리와 이동 바이트 수가 더 믿을 만한 지표입니다.',
  'This device is a software GPU (SwiftShader, really a CPU). It is compute-bound, so timings can differ from a real GPU; allocated memory and bytes moved are the more reliable evidence here.',
);

/** The roofline chart: the device's measured roofs with the result's placed passes (FLOPs and bytes modelled, times measured). */
export function rooflineChart(title: Localized): ChartSpec {
  return {
    id: 'roofline',
    kind: 'roofline',
    title,
    xLabel: both('연산 강도 FLOP/바이트 (모델, 로그)', 'Arithmetic intensity FLOP/byte (model, log)'),
    yLabel: both('GFLOP/s (로그)', 'GFLOP/s (log)'),
    xLog: true,
    yLog: true,
    series: [],
  };
}

export function joinContext(...parts: (Localized | undefined)[]): Localized | undefined {
  const present = parts.filter((p): p is Localized => p !== undefined);
  if (present.length === 0) return undefined;
  return { ko: present.map((p) => p.ko).join(' '), en: present.map((p) => p.en).join(' ') };
}

/** Stamps timings on a result assembled by an experiment. */
export function finish(result: Omit<ExperimentResult, 'timings'>, startedAt: number): ExperimentResult {
  const finishedAt = Date.now();
  return { ...result, timings: { startedAt, finishedAt, wallMs: finishedAt - startedAt } };
}

/**
 * Runs engine work so that a cancel reads as 'cancelled' (whatever the engine threw when it saw
 * the aborted signal) and an engine error as 'experiment-failed' with its message.
 */
export async function guarded<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
  try {
    const value = await work();
    throwIfAborted(signal);
    return value;
  } catch (error) {
    if (signal.aborted) throw new AppError('cancelled', 'The run was cancelled');
    if (error instanceof AppError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new AppError('experiment-failed', message, { reason: message });
  }
}

/** Median of the values whose index falls in [from, to) of the list (fractions of its length). */
export function sliceMedian(values: readonly number[], from: number, to: number): number {
  const start = Math.floor(values.length * from);
  const end = Math.max(start + 1, Math.ceil(values.length * to));
  return spread(values.slice(start, end)).median;
}

/** About `count` evenly spaced indices of a list of `length` (always the first and the last). */
export function sampleIndices(length: number, count: number): number[] {
  if (length <= count) return Array.from({ length }, (_, i) => i);
  const picked = new Set<number>();
  for (let i = 0; i < count; i++) picked.add(Math.round((i * (length - 1)) / (count - 1)));
  return [...picked];
}

/**
 * Theil–Sen slope: the median of the slopes between every pair of points. Robust to the timing
 * spikes a busy machine produces (up to about 29% of the points), unlike a least-squares fit.
 */
export function robustSlope(x: readonly number[], y: readonly number[]): number {
  const slopes: number[] = [];
  for (let i = 0; i < x.length; i++) for (let j = i + 1; j < x.length; j++) if (x[j] !== x[i]) slopes.push((y[j] - y[i]) / (x[j] - x[i]));
  return slopes.length ? spread(slopes).median : 0;
}

/** Kendall's τ between x and y: +1 when y always rises with x, 0 with no monotone trend. */
export function kendallTau(x: readonly number[], y: readonly number[]): number {
  let concordant = 0;
  let discordant = 0;
  for (let i = 0; i < x.length; i++) {
    for (let j = i + 1; j < x.length; j++) {
      const sign = Math.sign(x[j] - x[i]) * Math.sign(y[j] - y[i]);
      if (sign > 0) concordant++;
      else if (sign < 0) discordant++;
    }
  }
  const pairs = concordant + discordant;
  return pairs === 0 ? 0 : (concordant - discordant) / pairs;
}

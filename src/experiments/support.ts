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

/** About `count` evenly spaced indices of a list of `length` (always the first and the last). */
export function sampleIndices(length: number, count: number): number[] {
  if (length <= count) return Array.from({ length }, (_, i) => i);
  const picked = new Set<number>();
  for (let i = 0; i < count; i++) picked.add(Math.round((i * (length - 1)) / (count - 1)));
  return [...picked];
}


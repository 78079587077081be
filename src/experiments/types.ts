import type { z } from 'zod';
import type { EngineContext, DeviceInfo } from '../engine/device-info';
import type { ControlArm, Verdict } from './verdict';

export interface Localized {
  ko: string;
  en: string;
}

/** One adjustable parameter as the UI shows it (the zod schema remains the authority). */
export interface ParamField {
  key: string;
  label: Localized;
  kind: 'int' | 'bool' | 'enum';
  min?: number;
  max?: number;
  step?: number;
  options?: readonly string[];
}

/** Everything about an experiment that the UI needs without loading the engine. */
export interface ExperimentMeta<P extends Record<string, unknown> = Record<string, unknown>> {
  id: string;
  title: Localized;
  /** The claim from the deck that this experiment tests. */
  claim: Localized;
  /** Defaults finish in seconds on a software GPU; bounds keep a run within the device. */
  params: z.ZodType<P>;
  fields: readonly ParamField[];
  /**
   * True when the experiment can run on the float64 CPU reference (small sizes only) when there is
   * no GPU adapter; such a run is labelled backend 'cpu-reference'.
   */
  cpuReference: boolean;
}

export interface Series {
  id: string;
  label: Localized;
  x: number[];
  y: number[];
  /** Range from repeats (min..max or p10..p90), same length as y, when measured. */
  yLow?: number[];
  yHigh?: number[];
}

export interface ChartSpec {
  id: string;
  title: Localized;
  xLabel: Localized;
  yLabel: Localized;
  xLog?: boolean;
  yLog?: boolean;
  /** Ids of the series drawn on this chart. */
  series: string[];
  /** 'roofline': the result's `roofline` (its roofs and the passes placed on them), not series. */
  kind?: 'line' | 'bar' | 'roofline';
}

/** A point on the device's roofline: one pass, placed by its measured time. */
export interface RooflinePoint {
  id: string;
  label: Localized;
  /** FLOPs per byte of the pass (both counted from the algorithm: a model). */
  intensity: number;
  /** Model FLOPs / measured time. */
  gflops: number;
  /** Model bytes / measured time. */
  gbs: number;
  /** Measured median time of the pass. */
  ms: number;
  /** Which roof it sits under at its intensity, and the share of that roof it reached. */
  bound: 'memory' | 'compute';
  roofShare: number;
}

/** The device's measured roofs (a stream copy and an FMA kernel) and where this run's passes sit. */
export interface RooflineResult {
  bandwidthGBs: number;
  computeGflops: number;
  gemmGflops: number;
  /** When the roofs were measured; a later run on the same adapter reuses them (see keepRoofline). */
  measuredAt: number;
  points: RooflinePoint[];
}

export interface ExperimentResult {
  experimentId: string;
  params: Record<string, unknown>;
  device: DeviceInfo;
  metrics: Record<string, number | string | boolean | null>;
  table: { columns: Localized[]; rows: (number | string | null)[][] };
  series: Series[];
  charts: ChartSpec[];
  /** The claim's test on this run's own arm: outcome, plain summary, checks and their evidence. */
  verdict: Verdict;
  /** The same test on the counterfactual arm, measured the same way in the same run. */
  control: ControlArm;
  roofline?: RooflineResult;
  /** Why the result looks as it does on this device (e.g. a software GPU is compute-bound). */
  context?: Localized;
  timings: { startedAt: number; finishedAt: number; wallMs: number };
}

export type ProgressFn = (fraction: number, message: string) => void;

export interface Experiment<P extends Record<string, unknown> = Record<string, unknown>> extends ExperimentMeta<P> {
  run(engine: EngineContext, params: P, progress: ProgressFn, signal: AbortSignal): Promise<ExperimentResult>;
  /** The float64 CPU stand-in for a missing GPU (only when `cpuReference`); small sizes only. */
  runReference?(params: P, progress: ProgressFn, signal: AbortSignal): Promise<ExperimentResult>;
}

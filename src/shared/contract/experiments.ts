import { z } from 'zod';
import { method } from './define';

const Localized = z.object({ ko: z.string(), en: z.string() });

/** The device a run used, as the engine describes it (mirrors src/engine/device-info.ts). */
export const RunDevice = z.object({
  name: z.string(),
  vendor: z.string(),
  architecture: z.string(),
  isFallback: z.boolean(),
  backend: z.enum(['webgpu', 'cpu-reference']),
  timestampQuery: z.boolean(),
  subgroups: z.boolean().optional(),
  limits: z.object({
    maxStorageBufferBindingSize: z.number(),
    maxBufferSize: z.number(),
    maxComputeWorkgroupStorageSize: z.number(),
    maxComputeInvocationsPerWorkgroup: z.number(),
  }),
});

export const Outcome = z.enum(['holds', 'does-not-hold', 'not-shown']);
export type Outcome = z.infer<typeof Outcome>;

/** One number behind a verdict (mirrors src/experiments/verdict.ts). */
export const Evidence = z.object({
  id: z.string(),
  label: Localized,
  value: z.union([z.number(), z.string(), z.boolean(), z.null()]),
  unit: z.string(),
  source: z.enum(['measured', 'model']),
  decisive: z.boolean(),
});
export type Evidence = z.infer<typeof Evidence>;

const Check = z.object({ id: z.string(), claim: Localized, outcome: Outcome, observed: Localized, evidence: z.array(Evidence) });

export const Verdict = z.object({
  outcome: Outcome,
  holds: z.boolean(),
  summary: Localized,
  meaning: Localized,
  checks: z.array(Check),
  evidence: z.array(Evidence),
});

export const ControlArm = z.object({ description: Localized, outcome: Outcome, summary: Localized, checks: z.array(Check) });

const Roofline = z.object({
  bandwidthGBs: z.number(),
  computeGflops: z.number(),
  gemmGflops: z.number(),
  measuredAt: z.number(),
  points: z.array(
    z.object({
      id: z.string(),
      label: Localized,
      intensity: z.number(),
      gflops: z.number(),
      gbs: z.number(),
      ms: z.number(),
      bound: z.enum(['memory', 'compute']),
      roofShare: z.number(),
    }),
  ),
});

/** What an experiment returns (mirrors src/experiments/types.ts ExperimentResult). */
export const RunResult = z.object({
  experimentId: z.string(),
  params: z.record(z.string(), z.unknown()),
  device: RunDevice,
  metrics: z.record(z.string(), z.union([z.number(), z.string(), z.boolean(), z.null()])),
  table: z.object({ columns: z.array(Localized), rows: z.array(z.array(z.union([z.number(), z.string(), z.null()]))) }),
  series: z.array(
    z.object({
      id: z.string(),
      label: Localized,
      x: z.array(z.number()),
      y: z.array(z.number()),
      yLow: z.array(z.number()).optional(),
      yHigh: z.array(z.number()).optional(),
    }),
  ),
  charts: z.array(
    z.object({
      id: z.string(),
      title: Localized,
      xLabel: Localized,
      yLabel: Localized,
      xLog: z.boolean().optional(),
      yLog: z.boolean().optional(),
      series: z.array(z.string()),
      kind: z.enum(['line', 'bar', 'roofline']).optional(),
    }),
  ),
  verdict: Verdict,
  control: ControlArm.nullable(),
  roofline: Roofline.optional(),
  context: Localized.optional(),
  timings: z.object({ startedAt: z.number(), finishedAt: z.number(), wallMs: z.number() }),
});
export type RunResult = z.infer<typeof RunResult>;

export const RunStatus = z.enum(['queued', 'running', 'done', 'failed', 'cancelled']);
export type RunStatus = z.infer<typeof RunStatus>;

/** Why a run did not finish: a stable error code (translated as errors.<code>) and the reason. */
export const RunError = z.object({ code: z.string(), message: z.string() });

/** One row of the run history; `result` only on `experiments.get`. */
export const RunRecord = z.object({
  id: z.number().int(),
  experimentId: z.string(),
  noteId: z.number().int().nullable(),
  params: z.record(z.string(), z.unknown()),
  device: RunDevice.nullable(),
  status: RunStatus,
  error: RunError.nullable(),
  /** The verdict of a finished run, so history lists need not load whole results. */
  verdict: z.object({ outcome: Outcome, holds: z.boolean(), summary: Localized }).nullable(),
  startedAt: z.number(),
  finishedAt: z.number().nullable(),
  wallMs: z.number().nullable(),
  result: RunResult.nullable(),
});
export type RunRecord = z.infer<typeof RunRecord>;

const runId = z.number().int().positive();

export const experimentsContract = {
  /**
   * Queues a run (one runs at a time) and returns its id at once; progress arrives as `progress`
   * events with jobId `run:<id>`, the end as a `run-finished` event. Params are checked against the
   * experiment's own schema (bounds) before the run is queued.
   */
  'experiments.run': method(
    z
      .object({
        experimentId: z.string().min(1).max(64),
        params: z.record(z.string(), z.unknown()).optional(),
        noteId: z.number().int().positive().optional(),
        backend: z.enum(['webgpu', 'cpu-reference']).optional(),
      })
      .strict(),
    z.object({ runId: z.number().int() }),
  ),
  /** Cancels a queued or running run; resolves once it has stopped (within about a second). */
  'experiments.cancel': method(z.object({ runId }).strict(), z.object({ status: RunStatus })),
  /** Runs, newest first, of one experiment and/or one note (both optional). */
  'experiments.history': method(
    z
      .object({
        experimentId: z.string().max(64).optional(),
        noteId: z.number().int().positive().optional(),
        limit: z.number().int().min(1).max(500).optional(),
      })
      .strict(),
    z.array(RunRecord),
  ),
  'experiments.get': method(z.object({ runId }).strict(), RunRecord),
};

import type Database from 'better-sqlite3';
import { AppError, failureOf } from '../../../src/shared/errors';
import type { EventName, EventPayload, RunRecord, RunStatus } from '../../../src/shared/contract';
import { findMeta } from '../../../src/experiments/catalog';
import type { EngineHost } from './engine-host';
import { storesFor } from '../store/stores';

export type Emit = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

export interface ExperimentServiceOptions {
  db: Database.Database;
  host: EngineHost;
  now?: () => number;
  /** A run longer than this is stopped and fails with 'timeout'. */
  timeoutMs?: number;
  /**
   * How long a cancelled or timed-out run may take to notice its aborted signal before the host is
   * reset (engine process killed, window recreated). Keeps "cancel stops within a second" true even
   * when the engine is stuck inside one long GPU submission.
   */
  stopGraceMs?: number;
}

interface Job {
  runId: number;
  experimentId: string;
  params: Record<string, unknown>;
  backend: 'webgpu' | 'cpu-reference';
  emit: Emit;
  controller: AbortController;
  /** Why the run is being stopped, once it is. */
  stopReason: 'cancelled' | 'timeout' | null;
  /** Resolves when the job has reached its final status. */
  settled: Promise<RunStatus>;
  settle: (status: RunStatus) => void;
}

export interface ExperimentService {
  run(args: { experimentId: string; params?: Record<string, unknown>; noteId?: number; backend?: 'webgpu' | 'cpu-reference' }, emit: Emit): { runId: number };
  cancel(runId: number): Promise<RunStatus>;
  history(filter: { experimentId?: string; noteId?: number; limit?: number }): RunRecord[];
  get(runId: number): RunRecord;
  /** Stops the running job and closes the engine host. */
  dispose(): Promise<void>;
}

/** A failure as the history stores it and the UI shows it (code translated, message as the reason). */
function asFailure(error: unknown): { code: string; message: string } {
  const { code, message } = failureOf(error, 'experiment-failed');
  return { code, message };
}

/**
 * The experiment run service: queues runs (one
 * at a time: they share one GPU and timings would disturb each other), relays progress, keeps every
 * run in experiment_runs, and enforces cancel and timeout whatever state the engine is in.
 */
export function createExperimentService(options: ExperimentServiceOptions): ExperimentService {
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? 10 * 60_000;
  const stopGraceMs = options.stopGraceMs ?? 700;
  const { runs: store, notes } = storesFor(options.db);
  store.failInterrupted(now());
  const queue: Job[] = [];
  let active: Job | null = null;
  let disposed = false;

  function finishEvent(job: Job, status: 'done' | 'failed' | 'cancelled', error: { code: string; message: string } | null): void {
    job.settle(status);
    job.emit('run-finished', { runId: job.runId, experimentId: job.experimentId, status, error });
  }

  async function execute(job: Job): Promise<void> {
    store.markRunning(job.runId, now());
    const jobId = `run:${job.runId}`;
    job.emit('progress', { jobId, fraction: 0, message: 'starting' });
    let stopTimer: ReturnType<typeof setTimeout> | undefined;
    // Resolves when the run must end now, engine or not (cancel/timeout past the grace period).
    let forceStop: (reason: 'cancelled' | 'timeout') => void = () => {};
    const forced = new Promise<never>((_, reject) => {
      forceStop = (reason) =>
        reject(reason === 'timeout' ? new AppError('timeout', `The run took longer than ${Math.round(timeoutMs / 1000)} s and was stopped`) : new AppError('cancelled', 'The run was cancelled'));
    });
    const onAbort = (): void => {
      stopTimer = setTimeout(() => {
        options.host.reset(`the engine did not stop within ${stopGraceMs} ms after ${job.stopReason ?? 'abort'}`);
        forceStop(job.stopReason ?? 'cancelled');
      }, stopGraceMs);
    };
    job.controller.signal.addEventListener('abort', onAbort, { once: true });
    const timeout = setTimeout(() => {
      job.stopReason = 'timeout';
      job.controller.abort();
    }, timeoutMs);
    try {
      const result = await Promise.race([
        options.host.run(
          // The device's roofline is measured once and kept in the run history for later engines.
          { experimentId: job.experimentId, params: job.params, backend: job.backend, roofline: store.latestRoofline() },
          {
            signal: job.controller.signal,
            onProgress: (fraction, message) => {
              if (!job.controller.signal.aborted) job.emit('progress', { jobId, fraction: Math.min(1, Math.max(0, fraction)), message });
            },
          },
        ),
        forced,
      ]);
      if (job.stopReason) throw new AppError(job.stopReason, job.stopReason === 'timeout' ? 'The run timed out' : 'The run was cancelled');
      store.finishDone(job.runId, result, now());
      job.emit('progress', { jobId, fraction: 1, message: 'done' });
      finishEvent(job, 'done', null);
    } catch (error) {
      let failure = asFailure(error);
      // Once stopped, the run reads as what stopped it, whatever the engine reported on its way
      // down (a reset engine reports itself lost).
      if (job.stopReason === 'timeout') failure = { code: 'timeout', message: `The run took longer than ${Math.round(timeoutMs / 1000)} s and was stopped` };
      else if (job.stopReason === 'cancelled') failure = { code: 'cancelled', message: 'The run was cancelled' };
      const status = failure.code === 'cancelled' ? 'cancelled' : 'failed';
      store.finishFailed(job.runId, status, failure, now());
      finishEvent(job, status, failure);
    } finally {
      clearTimeout(timeout);
      clearTimeout(stopTimer);
      job.controller.signal.removeEventListener('abort', onAbort);
    }
  }

  async function pump(): Promise<void> {
    if (active || disposed) return;
    const next = queue.shift();
    if (!next) return;
    active = next;
    try {
      await execute(next);
    } finally {
      active = null;
      void pump();
    }
  }

  return {
    run(args, emit) {
      if (disposed) throw new AppError('internal', 'the experiment service is shut down');
      // The params were checked against the experiment's schema at the door (door-checks.ts).
      const meta = findMeta(args.experimentId);
      if (!meta) throw new AppError('not-found', `unknown experiment '${args.experimentId}'`, { id: args.experimentId });
      const backend = args.backend ?? 'webgpu';
      if (backend === 'cpu-reference' && !meta.cpuReference) {
        throw new AppError('gpu-unavailable', `${meta.id} has no CPU reference run; it needs a GPU`, { reason: 'no cpu reference' });
      }
      if (args.noteId !== undefined && !notes.exists(args.noteId)) throw new AppError('not-found', `note ${args.noteId} does not exist`, { id: args.noteId });
      const params = args.params ?? {};
      const runId = store.insert({ experimentId: meta.id, noteId: args.noteId ?? null, params, startedAt: now() });
      let settle: (status: RunStatus) => void = () => {};
      const settled = new Promise<RunStatus>((resolve) => (settle = resolve));
      queue.push({ runId, experimentId: meta.id, params, backend, emit, controller: new AbortController(), stopReason: null, settled, settle });
      void pump();
      return { runId };
    },

    async cancel(runId) {
      const queued = queue.findIndex((job) => job.runId === runId);
      if (queued >= 0) {
        const [job] = queue.splice(queued, 1);
        const failure = { code: 'cancelled', message: 'The run was cancelled before it started' };
        store.finishFailed(runId, 'cancelled', failure, now());
        finishEvent(job, 'cancelled', failure);
        return 'cancelled';
      }
      if (active?.runId === runId) {
        const job = active;
        if (!job.stopReason) job.stopReason = 'cancelled';
        job.controller.abort();
        return job.settled;
      }
      const record = store.get(runId);
      if (!record) throw new AppError('not-found', `run ${runId} does not exist`, { id: runId });
      return record.status;
    },

    history(filter) {
      return store.list({ experimentId: filter.experimentId, noteId: filter.noteId, limit: filter.limit ?? 50 });
    },

    get(runId) {
      const record = store.get(runId);
      if (!record) throw new AppError('not-found', `run ${runId} does not exist`, { id: runId });
      return record;
    },

    async dispose() {
      disposed = true;
      for (const job of queue.splice(0)) {
        store.finishFailed(job.runId, 'cancelled', { code: 'cancelled', message: 'ProofDeck is closing' }, now());
        job.settle('cancelled');
      }
      if (active) {
        active.stopReason = 'cancelled';
        active.controller.abort();
        await active.settled;
      }
      await options.host.close();
    },
  };
}

import { AppError, failureOf } from '../shared/errors';
import type { EngineContext } from '../engine/device-info';
import { runExperiment } from '../experiments/runner';
import type { EngineFault, FromEngine, ToEngine } from '../experiments/engine-protocol';

/** Where a loop's engine comes from: the hidden page's navigator.gpu, or Dawn in the engine process. */
export interface EngineSource {
  /** The engine for the next run (acquired once and kept; a refusal is not kept, so the next run tries again). */
  acquire(): Promise<EngineContext>;
  /** Before a run on an engine: a cancelled run may have left work on the queue. */
  settle?(engine: EngineContext): Promise<void>;
  /** Why the device was lost, once it was: the numbers of a run on a lost device are no evidence. */
  lostReason?(): string | null;
  /** A run failed with the device lost: the next one acquires afresh. */
  onLost?(): void;
  /**
   * Faults the failure tests may inject (only where the host allows them). `hang`, `crash` and
   * `adapter` strike before the engine is acquired, the others on the acquired engine.
   */
  faults?: Partial<Record<EngineFault, (engine: EngineContext | null) => Promise<void> | void>>;
}

const early = new Set<EngineFault>(['hang', 'crash']);

/**
 * The one message loop of an engine (engine-protocol.ts), for the hidden engine page and the
 * engine process alike: runs each `run` on the source's engine (or the CPU reference) with its
 * progress, answers with the result or the failure, and aborts a run on `cancel`.
 */
export function createEngineLoop(source: EngineSource, send: (message: FromEngine) => void) {
  const running = new Map<number, AbortController>();

  async function run(message: Extract<ToEngine, { type: 'run' }>): Promise<void> {
    const controller = new AbortController();
    running.set(message.jobId, controller);
    const fault = message.fault && source.faults?.[message.fault];
    try {
      if (fault && early.has(message.fault!)) await fault(null);
      let engine: EngineContext | null = null;
      if (message.request.backend === 'webgpu') {
        if (fault && message.fault === 'adapter') await fault(null);
        engine = await source.acquire();
        await source.settle?.(engine);
        if (fault && !early.has(message.fault!) && message.fault !== 'adapter') await fault(engine);
      }
      const result = await runExperiment(engine, message.request, (fraction, text) => send({ type: 'progress', jobId: message.jobId, fraction, message: text }), controller.signal);
      const lost = source.lostReason?.() ?? null;
      if (lost !== null) throw new AppError('gpu-lost', `The GPU device was lost during the run (${lost})`, { reason: lost });
      send({ type: 'result', jobId: message.jobId, result });
    } catch (error) {
      // Whatever a run on a lost device failed with (a failed readback, a validation error), the
      // cause the user should see is the loss.
      const lost = source.lostReason?.() ?? null;
      const failure = lost !== null && !(error instanceof AppError && error.code === 'gpu-lost')
        ? { code: 'gpu-lost' as const, message: `The GPU device was lost during the run (${lost})` }
        : failureOf(error, 'experiment-failed');
      if (failure.code === 'gpu-lost') source.onLost?.();
      send({ type: 'error', jobId: message.jobId, error: failure, deviceLost: failure.code === 'gpu-lost' });
    } finally {
      running.delete(message.jobId);
    }
  }

  return {
    receive(message: ToEngine): void {
      if (message.type === 'run') void run(message);
      else running.get(message.jobId)?.abort();
    },
    /** How many runs are in progress. */
    get busy(): number {
      return running.size;
    },
    /** Aborts every run in progress (the engine is closing). */
    abortAll(): void {
      for (const controller of running.values()) controller.abort();
    },
  };
}

import type { ExperimentResult } from '../../../src/experiments/types';
import type { RunRequest } from '../../../src/experiments/runner';

/** What the service asks an engine to run; params already validated (defaults applied). */
export type EngineRunRequest = RunRequest;

export interface EngineRunHooks {
  onProgress(fraction: number, message: string): void;
  /** Aborted on cancel or timeout; the engine stops at its next check (between GPU submissions). */
  signal: AbortSignal;
}

/**
 * Where experiments actually run: the hidden engine window (Electron), a Dawn engine process (the
 * browser host, the CLI), or anything a test provides. The run service owns queueing, history,
 * cancel and timeout; a host only runs one request at a time and reports how it ended.
 */
export interface EngineHost {
  /**
   * Runs one experiment. Rejects with an AppError: 'gpu-unavailable' (no adapter, with the
   * reason), 'gpu-lost' (device lost), 'engine-crashed' (the engine process or renderer died),
   * 'engine-stuck' (silent or no progress), 'experiment-failed' (kernel error), 'cancelled',
   * 'invalid-args'.
   */
  run(request: EngineRunRequest, hooks: EngineRunHooks): Promise<ExperimentResult>;
  /** Throws away a hung or broken engine (kills its process, closes the window); the next run gets a fresh one. */
  reset(reason: string): void;
  close(): Promise<void>;
}

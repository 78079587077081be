import type { ApiFailure } from '../shared/errors';
import type { RunRequest } from './runner';
import type { ExperimentResult } from './types';

/**
 * Faults a test can inject into the next run, to prove that failures show their reason and the
 * following run works. Engines honour them only when their host was created with faults allowed.
 * - adapter: the adapter request is refused (a real refusal: no adapter matches)
 * - kernel: a kernel that fails WGSL validation is submitted
 * - hang: the engine blocks its thread and never answers (cancel/timeout must still end the run)
 * - stall: work that never finishes is submitted to the GPU queue; the engine's thread stays free
 * - lost: the device is lost before the run starts
 * - crash: the engine process or renderer dies mid-run
 */
export type EngineFault = 'adapter' | 'kernel' | 'hang' | 'stall' | 'lost' | 'crash';

/** Host → engine (a child process or the hidden engine page): one message protocol for both. */
export type ToEngine = { type: 'run'; jobId: number; request: RunRequest; fault?: EngineFault } | { type: 'cancel'; jobId: number };

/**
 * Engine → host. `heartbeat` says the engine's thread is still turning (sent on a timer by engines
 * whose host watches for it); a silent engine is a stuck one.
 */
export type FromEngine =
  | { type: 'ready' }
  | { type: 'heartbeat' }
  | { type: 'progress'; jobId: number; fraction: number; message: string }
  | { type: 'result'; jobId: number; result: ExperimentResult }
  | { type: 'error'; jobId: number; error: ApiFailure; deviceLost?: boolean };

/**
 * The engine in a node:worker_threads worker: Dawn (npm `webgpu`) on this thread, experiments from
 * the registry, one run at a time. Used by the browser host and the CLI, so a long GPU submission
 * never blocks the thread that serves the UI. Started by engine-worker-host.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { AppError } from '../../src/shared/errors';
import { runExperiment } from '../../src/experiments/runner';
import { runBrokenKernel } from '../../src/experiments/faults';
import type { EngineContext } from '../../src/engine/device-info';
import type { FromEngine, ToEngine } from '../../src/experiments/engine-protocol';
import { createDawnEngine } from './dawn';

const port = parentPort;
if (!port) throw new Error('engine-worker.ts must run in a worker thread');
const allowFaults = (workerData as { allowFaults?: boolean } | undefined)?.allowFaults === true;

type DawnEngine = EngineContext & { close(): void };
let engine: Promise<DawnEngine> | null = null;
const running = new Map<number, AbortController>();

function post(message: FromEngine): void {
  port!.postMessage(message);
}

/** The device is acquired once and kept; a refusal is not cached, so the next run tries again. */
function acquire(): Promise<DawnEngine> {
  if (!engine) {
    engine = createDawnEngine();
    engine.catch(() => (engine = null));
  }
  return engine;
}

function failure(error: unknown): { code: AppError['code']; message: string } {
  if (error instanceof AppError) return { code: error.code, message: error.message };
  return { code: 'experiment-failed', message: error instanceof Error ? error.message : String(error) };
}

async function run(message: Extract<ToEngine, { type: 'run' }>): Promise<void> {
  const controller = new AbortController();
  running.set(message.jobId, controller);
  const fault = allowFaults ? message.fault : undefined;
  try {
    if (fault === 'hang') for (;;) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
    if (fault === 'crash') process.exit(3);
    let context: EngineContext | null = null;
    if (message.request.backend === 'webgpu') {
      if (fault === 'adapter') {
        const { refusedAdapter } = await import('./dawn-fault');
        await refusedAdapter();
      }
      context = await acquire();
      if (fault === 'kernel') await runBrokenKernel(context);
    }
    const result = await runExperiment(
      context,
      message.request,
      (fraction, text) => post({ type: 'progress', jobId: message.jobId, fraction, message: text }),
      controller.signal,
    );
    post({ type: 'result', jobId: message.jobId, result });
  } catch (error) {
    const lost = error instanceof AppError && error.code === 'gpu-lost';
    // A lost device is useless for the next run: drop it so the next run acquires a fresh one.
    if (lost && engine) {
      const stale = engine;
      engine = null;
      void stale.then((e) => e.close()).catch(() => {});
    }
    post({ type: 'error', jobId: message.jobId, error: failure(error), deviceLost: lost });
  } finally {
    running.delete(message.jobId);
  }
}

port.on('message', (message: ToEngine) => {
  if (message.type === 'run') void run(message);
  else running.get(message.jobId)?.abort();
});
post({ type: 'ready' });

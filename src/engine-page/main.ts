/**
 * The hidden engine renderer: acquires the WebGPU engine from navigator.gpu and runs experiments
 * from the registry, one at a time. In Electron it talks to the main process through the minimal
 * bridge of electron/engine-preload.ts (`window.engineBridge`); opened in a plain browser (tests)
 * it exposes `window.proofdeckEngine.run(request)` instead. It has no Node, no app API, no DOM work.
 */
import { AppError, type ApiFailure } from '../shared/errors';
import { acquireEngine } from '../engine/gpu';
import type { EngineContext } from '../engine/device-info';
import { runExperiment, type RunRequest } from '../experiments/runner';
import { runBrokenKernel } from '../experiments/faults';
import type { ExperimentResult } from '../experiments/types';
import type { FromEngine, ToEngine } from '../experiments/engine-protocol';

interface EngineBridge {
  onRequest(listener: (message: ToEngine) => void): void;
  send(message: FromEngine): void;
}

declare global {
  interface Window {
    engineBridge?: EngineBridge;
    proofdeckEngine?: {
      run(request: RunRequest): Promise<{ ok: true; result: ExperimentResult } | { ok: false; error: ApiFailure }>;
      progress: { fraction: number; message: string }[];
    };
  }
}

// Faults are for the failure tests only: honoured when the page was opened with ?faults=1.
const allowFaults = new URLSearchParams(location.search).get('faults') === '1';
let engine: Promise<EngineContext> | null = null;
const running = new Map<number, AbortController>();

function acquire(): Promise<EngineContext> {
  if (!engine) {
    engine = acquireEngine(navigator.gpu);
    engine.catch(() => (engine = null));
  }
  return engine;
}

function failure(error: unknown): ApiFailure {
  if (error instanceof AppError) return error.toFailure();
  return { code: 'experiment-failed', message: error instanceof Error ? error.message : String(error) };
}

async function handle(message: Extract<ToEngine, { type: 'run' }>, send: (m: FromEngine) => void): Promise<void> {
  const controller = new AbortController();
  running.set(message.jobId, controller);
  const fault = allowFaults ? message.fault : undefined;
  try {
    if (fault === 'hang') for (;;) performance.now();
    if (fault === 'adapter') throw new AppError('gpu-unavailable', 'No WebGPU adapter: refused by the fault injection', { reason: 'adapter refused' });
    let context: EngineContext | null = null;
    if (message.request.backend === 'webgpu') {
      context = await acquire();
      if (fault === 'kernel') await runBrokenKernel(context);
    }
    const result = await runExperiment(context, message.request, (fraction, text) => send({ type: 'progress', jobId: message.jobId, fraction, message: text }), controller.signal);
    send({ type: 'result', jobId: message.jobId, result });
  } catch (error) {
    const lost = error instanceof AppError && error.code === 'gpu-lost';
    if (lost) engine = null;
    send({ type: 'error', jobId: message.jobId, error: failure(error), deviceLost: lost });
  } finally {
    running.delete(message.jobId);
  }
}

function receive(message: ToEngine, send: (m: FromEngine) => void): void {
  if (message.type === 'run') void handle(message, send);
  else running.get(message.jobId)?.abort();
}

const status = document.getElementById('status');
if (window.engineBridge) {
  const bridge = window.engineBridge;
  bridge.onRequest((message) => receive(message, (m) => bridge.send(m)));
  bridge.send({ type: 'ready' });
} else {
  // Outside Electron (the built page in a plain browser): a promise API for tests and debugging.
  let nextJob = 1;
  const progress: { fraction: number; message: string }[] = [];
  window.proofdeckEngine = {
    progress,
    run: (request) =>
      new Promise((resolve) => {
        receive({ type: 'run', jobId: nextJob++, request }, (m) => {
          if (m.type === 'progress') progress.push({ fraction: m.fraction, message: m.message });
          else if (m.type === 'result') resolve({ ok: true, result: m.result });
          else if (m.type === 'error') resolve({ ok: false, error: m.error });
        });
      }),
  };
}
if (status) status.textContent = 'engine page ready';

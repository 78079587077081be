import { AppError } from '../../../src/shared/errors';
import type { ExperimentResult } from '../../../src/experiments/types';
import type { EngineFault, FromEngine, ToEngine } from '../../../src/experiments/engine-protocol';
import type { EngineHost, EngineRunHooks, EngineRunRequest } from './engine-host';

/** A live connection to an engine (a worker thread, a hidden window). */
export interface EngineChannel {
  post(message: ToEngine): void;
  /** Ends the engine for good (terminate the worker, destroy the window). */
  dispose(): void;
}

export interface ChannelEvents {
  message(message: FromEngine): void;
  /** The engine died or stopped answering; `reason` is what the user is told. */
  died(reason: string): void;
}

export interface ChannelEngineHost extends EngineHost {
  /** The next run meets this fault (honoured only by engines started with faults allowed). */
  injectFault(fault: EngineFault): void;
}

interface Pending {
  jobId: number;
  hooks: EngineRunHooks;
  resolve(result: ExperimentResult): void;
  reject(error: AppError): void;
}

/**
 * The EngineHost logic shared by the worker thread and the hidden engine window: the engine is
 * opened on first use, one job at a time, progress relayed, cancel forwarded; if the engine dies
 * (crash, device lost, hang reset) the job fails with that reason and the next run opens a fresh
 * engine. `open` receives the events to call and returns the channel.
 */
export function createChannelEngineHost(open: (events: ChannelEvents) => EngineChannel): ChannelEngineHost {
  let channel: EngineChannel | null = null;
  let pending: Pending | null = null;
  let nextJob = 1;
  let fault: EngineFault | undefined;

  function fail(error: AppError): void {
    const job = pending;
    pending = null;
    job?.reject(error);
  }

  function start(): EngineChannel {
    if (channel) return channel;
    let self: EngineChannel | null = null;
    const opened = open({
      message(message) {
        if (channel !== self || message.type === 'ready' || !pending || message.jobId !== pending.jobId) return;
        if (message.type === 'progress') pending.hooks.onProgress(message.fraction, message.message);
        else if (message.type === 'result') {
          const job = pending;
          pending = null;
          job.resolve(message.result);
        } else {
          // A lost device cannot serve the next run: drop the engine so a fresh one is opened.
          if (message.deviceLost) drop();
          fail(new AppError(message.error.code, message.error.message, message.error.params));
        }
      },
      died(reason) {
        if (channel !== self) return;
        channel = null;
        fail(new AppError('gpu-lost', reason, { reason }));
      },
    });
    self = opened;
    channel = opened;
    return opened;
  }

  function drop(): void {
    const stale = channel;
    channel = null;
    stale?.dispose();
  }

  return {
    run(request: EngineRunRequest, hooks: EngineRunHooks): Promise<ExperimentResult> {
      if (pending) return Promise.reject(new AppError('conflict', 'the engine is already running an experiment'));
      const target = start();
      const jobId = nextJob++;
      const injected = fault;
      fault = undefined;
      return new Promise<ExperimentResult>((resolve, reject) => {
        pending = { jobId, hooks, resolve, reject };
        const onAbort = (): void => {
          if (channel === target) target.post({ type: 'cancel', jobId });
        };
        if (hooks.signal.aborted) onAbort();
        else hooks.signal.addEventListener('abort', onAbort, { once: true });
        target.post({ type: 'run', jobId, request, fault: injected });
      });
    },
    reset(reason: string): void {
      drop();
      fail(new AppError('gpu-lost', `The engine was restarted: ${reason}`, { reason }));
    },
    async close(): Promise<void> {
      drop();
      fail(new AppError('cancelled', 'ProofDeck is closing'));
    },
    injectFault(next: EngineFault): void {
      fault = next;
    },
  };
}

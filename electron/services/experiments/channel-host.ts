import { AppError } from '../../../src/shared/errors';
import type { ExperimentResult } from '../../../src/experiments/types';
import type { EngineFault, FromEngine, ToEngine } from '../../../src/experiments/engine-protocol';
import type { EngineHost, EngineRunHooks, EngineRunRequest } from './engine-host';

/** A live connection to an engine (a child process, a hidden window). */
export interface EngineChannel {
  post(message: ToEngine): void;
  /** Ends the engine for good (kills the process, destroys the window). */
  dispose(): void;
}

/** How an engine ended on its own: it died (crash, exit) or stopped answering. */
export type EngineEnd = 'crashed' | 'stuck';

export interface ChannelEvents {
  message(message: FromEngine): void;
  /** The engine died or stopped answering; `reason` is what the user is told. */
  died(reason: string, how?: EngineEnd): void;
}

export interface ChannelEngineHost extends EngineHost {
  /** The next run meets this fault (honoured only by engines started with faults allowed). */
  injectFault(fault: EngineFault): void;
}

/** The watchdog's bounds and what happens after an engine is lost. */
export interface ChannelHostOptions {
  /**
   * The engine sends heartbeats: once it has said `ready`, this long without any message from it
   * means its thread is stuck (null: the engine sends none, as the hidden window, which Electron
   * watches itself).
   */
  silenceMs?: number | null;
  /** From opening until `ready`: how long the engine may take to load. */
  startupMs?: number;
  /** During a run, this long without progress (or the result) means the GPU queue is stuck. */
  progressMs?: number;
  /**
   * Open a fresh engine as soon as one dies or is thrown away, so the next run does not wait for
   * it to load. Only an engine that had become ready is replaced, so one that cannot start is not
   * restarted in a loop; the next run tries again.
   */
  respawn?: boolean;
}

interface Pending {
  jobId: number;
  hooks: EngineRunHooks;
  resolve(result: ExperimentResult): void;
  reject(error: AppError): void;
}

interface Open {
  channel: EngineChannel;
  ready: boolean;
  lastHeard: number;
  openedAt: number;
}

/** One GPU pass on a slow software adapter can take a minute or two (flash at N = 16384): with room. */
export const defaultProgressMs = 180_000;
/** Compiling a kernel holds the engine's thread for seconds on a loaded machine: with room. */
export const defaultSilenceMs = 30_000;
/** Loading the engine (from the sources through tsx, then Dawn) on a loaded machine: with room. */
export const defaultStartupMs = 60_000;

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

/**
 * The EngineHost logic shared by the engine process and the hidden engine window: the engine is
 * opened on first use, one job at a time, progress relayed, cancel forwarded. A watchdog ends a
 * run whose engine went silent (no heartbeat) or whose GPU made no progress for a bounded time. If
 * the engine dies, stops answering or loses its device, the job fails with that reason
 * ('engine-crashed', 'engine-stuck', 'gpu-lost'), the engine is thrown away, and a fresh one serves
 * the next run. `open` receives the events to call and returns the channel.
 */
export function createChannelEngineHost(open: (events: ChannelEvents) => EngineChannel, options: ChannelHostOptions = {}): ChannelEngineHost {
  const silenceMs = options.silenceMs === undefined ? null : options.silenceMs;
  const startupMs = options.startupMs ?? defaultStartupMs;
  const progressMs = options.progressMs ?? defaultProgressMs;
  let current: Open | null = null;
  let pending: Pending | null = null;
  let lastProgress = 0;
  let nextJob = 1;
  let fault: EngineFault | undefined;
  let closed = false;
  let watchdog: ReturnType<typeof setInterval> | null = null;
  const checkEvery = Math.max(50, Math.min(silenceMs ?? Infinity, progressMs, startupMs) / 4);
  let lastCheck = Date.now();

  function fail(error: AppError): void {
    const job = pending;
    pending = null;
    job?.reject(error);
  }

  /** Throws the engine away (killing it if it still runs); a ready one is replaced at once when asked to. */
  function drop(failure: AppError | null): void {
    const stale = current;
    current = null;
    stale?.channel.dispose();
    if (failure) fail(failure);
    if (stale?.ready && options.respawn && !closed) {
      try {
        start();
      } catch {
        // The next run tries again, and says why if it still cannot.
      }
    }
    if (!current && watchdog) {
      clearInterval(watchdog);
      watchdog = null;
    }
  }

  function check(): void {
    const engine = current;
    const now = Date.now();
    // This thread itself was held up (a long synchronous call of the services): the engine's
    // messages of that time are still unread in the channel, so the time is not held against it.
    const held = now - lastCheck - checkEvery;
    lastCheck = now;
    if (!engine) return;
    if (held > checkEvery) {
      engine.lastHeard += held;
      engine.openedAt += held;
      lastProgress += held;
      return;
    }
    if (!engine.ready && now - engine.openedAt > startupMs) {
      drop(new AppError('engine-stuck', `The GPU engine did not start within ${seconds(startupMs)}`, { reason: 'startup' }));
    } else if (engine.ready && silenceMs !== null && now - engine.lastHeard > silenceMs) {
      drop(new AppError('engine-stuck', `The GPU engine stopped responding (no sign of life for ${seconds(now - engine.lastHeard)})`, { reason: 'silent' }));
    } else if (pending && now - lastProgress > progressMs) {
      drop(new AppError('engine-stuck', `The GPU made no progress for ${seconds(now - lastProgress)}`, { reason: 'no progress' }));
    }
  }

  function start(): Open {
    if (current) return current;
    const engine: Open = { channel: null as unknown as EngineChannel, ready: false, lastHeard: Date.now(), openedAt: Date.now() };
    current = engine;
    const events: ChannelEvents = {
      message(message) {
        if (current !== engine) return;
        engine.lastHeard = Date.now();
        if (message.type === 'ready') engine.ready = true;
        if (message.type === 'ready' || message.type === 'heartbeat' || !pending || message.jobId !== pending.jobId) return;
        lastProgress = Date.now();
        if (message.type === 'progress') pending.hooks.onProgress(message.fraction, message.message);
        else if (message.type === 'result') {
          const job = pending;
          pending = null;
          job.resolve(message.result);
        } else {
          const error = new AppError(message.error.code, message.error.message, message.error.params);
          // A lost device cannot serve the next run: the engine is replaced.
          if (message.deviceLost) drop(error);
          else fail(error);
        }
      },
      died(reason, how = 'crashed') {
        if (current !== engine) return;
        drop(new AppError(how === 'stuck' ? 'engine-stuck' : 'engine-crashed', reason, { reason }));
      },
    };
    try {
      engine.channel = open(events);
    } catch (error) {
      // No process or window could be made (out of memory, too many processes): nothing to keep.
      current = null;
      const reason = error instanceof Error ? error.message : String(error);
      throw new AppError('engine-crashed', `The GPU engine could not be started: ${reason}`, { reason });
    }
    if (!watchdog) {
      lastCheck = Date.now();
      watchdog = setInterval(check, checkEvery);
      // The watchdog must not keep a process alive on its own (the CLI exits when its run is over).
      watchdog.unref?.();
    }
    return engine;
  }

  return {
    run(request: EngineRunRequest, hooks: EngineRunHooks): Promise<ExperimentResult> {
      if (pending) return Promise.reject(new AppError('conflict', 'the engine is already running an experiment'));
      closed = false;
      let target: Open;
      try {
        target = start();
      } catch (error) {
        return Promise.reject(error as AppError);
      }
      const jobId = nextJob++;
      const injected = fault;
      fault = undefined;
      lastProgress = Date.now();
      return new Promise<ExperimentResult>((resolve, reject) => {
        pending = { jobId, hooks, resolve, reject };
        const onAbort = (): void => {
          if (current === target) target.channel.post({ type: 'cancel', jobId });
        };
        if (hooks.signal.aborted) onAbort();
        else hooks.signal.addEventListener('abort', onAbort, { once: true });
        target.channel.post({ type: 'run', jobId, request, fault: injected });
      });
    },
    reset(reason: string): void {
      drop(new AppError('engine-stuck', `The engine was restarted: ${reason}`, { reason }));
    },
    async close(): Promise<void> {
      closed = true;
      drop(new AppError('cancelled', 'ProofDeck is closing'));
    },
    injectFault(next: EngineFault): void {
      fault = next;
    },
  };
}

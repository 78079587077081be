import { useCallback, useEffect, useRef, useState } from 'react';
import type { RunRecord } from '../../shared/contract';
import { useApp } from '../AppContext';

export type RunPhase = 'idle' | 'starting' | 'running' | 'finished';

export interface RunState {
  phase: RunPhase;
  runId: number | null;
  fraction: number;
  message: string;
  /** The finished run (done, failed or cancelled), loaded with experiments.get. */
  record: RunRecord | null;
  /** A failure to even start (invalid params, unknown experiment). */
  startError: unknown;
}

const idle: RunState = { phase: 'idle', runId: null, fraction: 0, message: '', record: null, startError: null };

/** How often a running run is re-read, in case its run-finished event was missed (a dropped event stream). */
const pollMs = 1500;
/** Re-reads that may fail in a row (the host restarting, a dropped connection) before the run is given up on screen. */
const pollFailures = 4;

type StartArgs = { experimentId: string; params: Record<string, unknown>; noteId?: number; backend?: 'webgpu' | 'cpu-reference' };

/**
 * One experiment run as the UI follows it: start, progress events, cancel, and the finished record.
 * Events for a run can arrive before `experiments.run` has answered, so early ones are kept.
 */
export function useExperimentRun(onFinished?: (record: RunRecord) => void) {
  const { client, api } = useApp();
  const [state, setState] = useState<RunState>(idle);
  const current = useRef<number | null>(null);
  const early = useRef(new Set<number>());
  const lastStart = useRef<StartArgs | null>(null);
  const finishedCallback = useRef(onFinished);
  finishedCallback.current = onFinished;

  const load = useCallback(
    async (runId: number) => {
      const record = await api['experiments.get']({ runId });
      if (current.current !== runId) return;
      if (record.status === 'queued' || record.status === 'running') return;
      current.current = null;
      setState((s) => ({ ...s, phase: 'finished', fraction: record.status === 'done' ? 1 : s.fraction, record }));
      finishedCallback.current?.(record);
    },
    [api],
  );

  useEffect(() => {
    const offProgress = client.on('progress', (p) => {
      if (current.current === null || p.jobId !== `run:${current.current}`) return;
      setState((s) => (s.phase === 'finished' ? s : { ...s, phase: 'running', fraction: p.fraction, message: p.message }));
    });
    const offFinished = client.on('run-finished', (event) => {
      if (current.current === event.runId) void load(event.runId);
      else early.current.add(event.runId);
    });
    return () => {
      offProgress();
      offFinished();
    };
  }, [client, load]);

  /** The run can no longer be followed (the host is gone or refuses us): say why and free the buttons. */
  const giveUp = useCallback((runId: number | null, error: unknown) => {
    if (runId !== null && current.current !== runId) return;
    current.current = null;
    setState({ ...idle, phase: 'finished', startError: error });
  }, []);

  useEffect(() => {
    if (state.phase !== 'running' && state.phase !== 'starting') return;
    let failures = 0;
    const timer = setInterval(() => {
      const runId = current.current;
      if (runId === null) return;
      load(runId).then(
        () => (failures = 0),
        (error: unknown) => {
          if (++failures >= pollFailures) giveUp(runId, error);
        },
      );
    }, pollMs);
    return () => clearInterval(timer);
  }, [state.phase, load, giveUp]);

  const start = useCallback(
    async (args: StartArgs) => {
      lastStart.current = args;
      setState({ ...idle, phase: 'starting' });
      try {
        const { runId } = await api['experiments.run'](args);
        current.current = runId;
        setState((s) => ({ ...s, runId, phase: 'running' }));
        if (early.current.delete(runId)) await load(runId);
      } catch (error) {
        current.current = null;
        setState({ ...idle, phase: 'finished', startError: error });
      }
    },
    [api, load],
  );

  const cancel = useCallback(async () => {
    const runId = current.current;
    if (runId === null) return;
    try {
      await api['experiments.cancel']({ runId });
      await load(runId);
    } catch (error) {
      giveUp(runId, error);
    }
  }, [api, load, giveUp]);

  /**
   * Starts the last run again after a failure or a cancel: the same experiment, note and backend,
   * with `params` when given (the form as it is now: "try again with smaller sizes").
   */
  const retry = useCallback(
    async (params?: Record<string, unknown>) => {
      if (lastStart.current) await start(params ? { ...lastStart.current, params } : lastStart.current);
    },
    [start],
  );

  const reset = useCallback(() => {
    current.current = null;
    setState(idle);
  }, []);

  return { state, start, cancel, retry, reset };
}

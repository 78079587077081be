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

/**
 * One experiment run as the UI follows it: start, progress events, cancel, and the finished record.
 * Events for a run can arrive before `experiments.run` has answered, so early ones are kept.
 */
export function useExperimentRun(onFinished?: (record: RunRecord) => void) {
  const { client, api } = useApp();
  const [state, setState] = useState<RunState>(idle);
  const current = useRef<number | null>(null);
  const early = useRef(new Set<number>());
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

  useEffect(() => {
    if (state.phase !== 'running' && state.phase !== 'starting') return;
    const timer = setInterval(() => {
      if (current.current !== null) void load(current.current).catch(() => {});
    }, pollMs);
    return () => clearInterval(timer);
  }, [state.phase, load]);

  const start = useCallback(
    async (args: { experimentId: string; params: Record<string, unknown>; noteId?: number; backend?: 'webgpu' | 'cpu-reference' }) => {
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
    await api['experiments.cancel']({ runId });
    await load(runId);
  }, [api, load]);

  const reset = useCallback(() => {
    current.current = null;
    setState(idle);
  }, []);

  return { state, start, cancel, reset };
}

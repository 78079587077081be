// Test helpers for the engine process: which engine processes a process has, and runs followed
// through the contract as the UI follows them. Linux's /proc only (where the tests run).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { RunFinished } from '../../src/shared/contract';
import type { Client } from '../../src/shared/transport';

/** Live (not zombie) engine processes whose parent is `parent`. */
export function enginePids(parent = process.pid): number[] {
  if (!existsSync('/proc')) return [];
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // comm may hold spaces and parentheses: the fields after it start at the last ')'.
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(ppid) !== parent || state === 'Z') continue;
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').includes('engine-child')) pids.push(Number(name));
    } catch {
      // The process ended while it was being read.
    }
  }
  return pids;
}

/** Waits until `check` holds (polling), or throws what it last said. */
export async function eventually<T>(check: () => T | null | undefined | false, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The `run-finished` events a client receives, by run. */
export function followRuns(client: Client): { finished: Map<number, RunFinished>; settled(runId: number, timeoutMs?: number): Promise<RunFinished> } {
  const finished = new Map<number, RunFinished>();
  client.on('run-finished', (event) => finished.set(event.runId, event));
  return {
    finished,
    settled: (runId, timeoutMs = 120_000) => eventually(() => finished.get(runId), timeoutMs, `run ${runId} to finish`),
  };
}

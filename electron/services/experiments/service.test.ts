import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunFinished } from '../../../src/shared/contract';
import { AppError } from '../../../src/shared/errors';
import { createClient, type Client } from '../../../src/shared/transport';
import { createProcessEngineHost } from '../../hosts/engine-process-host';
import type { ChannelEngineHost } from './channel-host';
import { createServices, type Services } from '../index';
import { createInMemoryTransport } from '../in-memory-transport';
import { temporaryDir } from '../store/test-fixtures';

// The run service over a real SQLite file and the real Dawn engine process (SwiftShader): runs,
// history, forced failures (a refused adapter, a broken kernel, a crashed or hung engine), cancel,
// timeout.

let dir: { dir: string; remove(): void };
let host: ChannelEngineHost;
let services: Services;
let client: Client;
const finished = new Map<number, RunFinished>();
const progress = new Map<string, number[]>();

function open(): void {
  services = createServices({ dataDir: dir.dir, engineHost: host, host: 'browser' });
  client = createClient(createInMemoryTransport(services.dispatch));
  client.on('run-finished', (event) => finished.set(event.runId, event));
  client.on('progress', (event) => progress.set(event.jobId, [...(progress.get(event.jobId) ?? []), event.fraction]));
}

async function settled(runId: number, timeoutMs = 60_000): Promise<RunFinished> {
  const deadline = Date.now() + timeoutMs;
  while (!finished.has(runId)) {
    if (Date.now() > deadline) throw new Error(`run ${runId} did not finish in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return finished.get(runId)!;
}

/** Small enough to finish in about a second on SwiftShader. */
const quick = { experimentId: 'kv-cache-memory', params: { maxTokens: 256, layers: 2, heads: 4, groupedKvHeads: 2, headDim: 32 } };

beforeAll(() => {
  dir = temporaryDir('proofdeck-experiments-');
  host = createProcessEngineHost({ allowFaults: true });
  open();
});
afterAll(async () => {
  services.close();
  await host.close();
  dir.remove();
});

describe('experiment run service', () => {
  it('runs an experiment, relays progress, and keeps the run with its result in SQLite', async () => {
    const { runId } = await client.api['experiments.run'](quick);
    const event = await settled(runId);
    expect(event).toMatchObject({ status: 'done', error: null, experimentId: 'kv-cache-memory' });
    const fractions = progress.get(`run:${runId}`) ?? [];
    expect(fractions.length).toBeGreaterThan(3);
    expect(fractions[fractions.length - 1]).toBe(1);
    const record = await client.api['experiments.get']({ runId });
    expect(record.status).toBe('done');
    expect(record.device?.backend).toBe('webgpu');
    expect(record.result?.verdict.holds).toBe(true);
    // Defaults filled in and stored with the run.
    expect(record.params).toEqual(quick.params);
    expect(record.result?.series.map((s) => s.id)).toEqual(['mha', 'gqa', 'mqa', 'contiguous-mha', 'contiguous-gqa', 'contiguous-mqa', 'needed-mha']);
    const history = await client.api['experiments.history']({ experimentId: 'kv-cache-memory' });
    expect(history[0]).toMatchObject({ id: runId, status: 'done', verdict: { holds: true } });
    expect(history[0].result).toBeNull();
  });

  it('refuses params outside the experiment bounds before queueing anything', async () => {
    const before = (await client.api['experiments.history']({})).length;
    const error = await client.api['experiments.run']({ experimentId: 'kv-cache-memory', params: { maxTokens: 10 ** 9 } }).catch((e: AppError) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('invalid-args');
    expect((error as AppError).message).toMatch(/maxTokens/);
    const unknown = await client.api['experiments.run']({ experimentId: 'no-such-experiment' }).catch((e: AppError) => e);
    expect((unknown as AppError).code).toBe('not-found');
    expect((await client.api['experiments.history']({})).length).toBe(before);
  });

  it('a refused adapter fails with its reason, and the next run works', async () => {
    host.injectFault('adapter');
    const failed = await client.api['experiments.run'](quick);
    expect(await settled(failed.runId)).toMatchObject({ status: 'failed', error: { code: 'gpu-unavailable' } });
    expect((await client.api['experiments.get'](failed)).error?.message).toMatch(/adapter/i);
    const next = await client.api['experiments.run'](quick);
    expect((await settled(next.runId)).status).toBe('done');
  });

  it('a kernel error fails with the GPU validation message, and the next run works', async () => {
    host.injectFault('kernel');
    const failed = await client.api['experiments.run'](quick);
    const event = await settled(failed.runId);
    expect(event).toMatchObject({ status: 'failed', error: { code: 'experiment-failed' } });
    expect(event.error?.message).toMatch(/kernel/i);
    const next = await client.api['experiments.run'](quick);
    expect((await settled(next.runId)).status).toBe('done');
  });

  it('an engine that crashes mid-run fails the run, and a fresh engine serves the next', async () => {
    host.injectFault('crash');
    const failed = await client.api['experiments.run'](quick);
    expect(await settled(failed.runId)).toMatchObject({ status: 'failed', error: { code: 'engine-crashed' } });
    const next = await client.api['experiments.run'](quick);
    expect((await settled(next.runId)).status).toBe('done');
  });

  it('cancel stops a hung engine within a second; queued runs behind it are cancelled or run', async () => {
    host.injectFault('hang');
    const hung = await client.api['experiments.run'](quick);
    const queued = await client.api['experiments.run'](quick);
    const third = await client.api['experiments.run'](quick);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await client.api['experiments.get'](queued)).status).toBe('queued');
    expect((await client.api['experiments.cancel']({ runId: queued.runId })).status).toBe('cancelled');
    const started = performance.now();
    const { status } = await client.api['experiments.cancel']({ runId: hung.runId });
    const latency = performance.now() - started;
    console.log(`cancel latency (hung engine): ${latency.toFixed(0)} ms`);
    expect(status).toBe('cancelled');
    expect(latency).toBeLessThan(1000);
    expect((await settled(third.runId)).status).toBe('done');
  });

  it('a run past the timeout fails with "timeout"', async () => {
    services.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const { createExperimentService } = await import('./service');
    const { openDatabase } = await import('../store/database');
    const db = openDatabase(`${dir.dir}/timeout.sqlite`);
    const service = createExperimentService({ db, host, timeoutMs: 800, stopGraceMs: 300 });
    const events: RunFinished[] = [];
    host.injectFault('hang');
    const { runId } = service.run(quick, (event, payload) => {
      if (event === 'run-finished') events.push(payload as RunFinished);
    });
    const deadline = Date.now() + 5000;
    while (events.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(events[0]).toMatchObject({ runId, status: 'failed', error: { code: 'timeout' } });
    expect(service.get(runId).status).toBe('failed');
    await service.dispose();
    db.close();
    open();
  });

  it('history survives a restart; a run interrupted by a crash of the app reads as failed', async () => {
    const before = await client.api['experiments.history']({ limit: 500 });
    expect(before.filter((run) => run.status === 'done').length).toBeGreaterThanOrEqual(5);
    // Simulate the app dying mid-run: a row left 'running'.
    services.db!.prepare(`INSERT INTO experiment_runs (experiment_id, params, status, started_at) VALUES ('flash-exact', '{}', 'running', 1)`).run();
    services.close();
    open();
    const after = await client.api['experiments.history']({ limit: 500 });
    expect(after.length).toBe(before.length + 1);
    const interrupted = after.find((run) => run.experimentId === 'flash-exact')!;
    expect(interrupted.status).toBe('failed');
    expect(interrupted.error?.message).toMatch(/closed/);
    expect(after.filter((run) => run.status === 'done').map((run) => run.id)).toEqual(before.filter((run) => run.status === 'done').map((run) => run.id));
  });

  it("keeps the device's roofline: a new engine process reuses the one an earlier run measured", async () => {
    const params = { maxN: 64, headDim: 16, repeats: 5 };
    const first = await client.api['experiments.run']({ experimentId: 'flash-vs-naive', params });
    expect((await settled(first.runId, 300_000)).status).toBe('done');
    const measuredAt = (await client.api['experiments.get']({ runId: first.runId })).result?.roofline?.measuredAt;
    expect(measuredAt).toBeGreaterThan(0);
    // A fresh engine process, as after a cancel or a crash: nothing cached in it.
    host.reset('test: a fresh engine');
    const second = await client.api['experiments.run']({ experimentId: 'flash-vs-naive', params });
    expect((await settled(second.runId, 300_000)).status).toBe('done');
    expect((await client.api['experiments.get']({ runId: second.runId })).result?.roofline?.measuredAt).toBe(measuredAt);
  });
});

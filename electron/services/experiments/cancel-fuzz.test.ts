import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalog, defaultParams } from '../../../src/experiments/catalog';
import { createClient, type Client } from '../../../src/shared/transport';
import { createProcessEngineHost } from '../../hosts/engine-process-host';
import { enginePids, eventually, followRuns } from '../../testing/engine';
import type { ChannelEngineHost } from './channel-host';
import { createServices, type Services } from '../index';
import { createInMemoryTransport } from '../../testing/in-memory-transport';
import { temporaryDir } from '../../testing/fixtures';

// Cancel at random moments during every experiment of the registry, on the real engine process
// (Dawn, SwiftShader): while the engine process starts, acquires its device, compiles kernels, and
// in the middle of GPU passes. Each cancel must end its run 'cancelled' while this process (the
// services) lives on, leave at most one engine process, and the next run of the same experiment
// must finish with a result. The delays come from a seeded generator: PROOFDECK_FUZZ_SEED=<n>
// replays a failure. Each experiment gets an early cancel and its next run; a cancel anywhere in a
// run (and the run after it) follows while the whole stays within PROOFDECK_FUZZ_BUDGET_MS.

const seed = Number(process.env.PROOFDECK_FUZZ_SEED ?? 0x5eed1e55) >>> 0;
const budgetMs = Number(process.env.PROOFDECK_FUZZ_BUDGET_MS ?? 120_000);

/** mulberry32: small, seedable, good enough to spread delays. */
function generator(state: number): () => number {
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = generator(seed);
let dir: { dir: string; remove(): void };
let host: ChannelEngineHost;
let services: Services;
let client: Client;
let runs: ReturnType<typeof followRuns>;
const figures = { cancels: 0, finishedFirst: 0, replaced: 0, slowestCancelMs: 0, started: 0, skipped: [] as string[] };

beforeAll(() => {
  dir = temporaryDir('proofdeck-cancel-fuzz-');
  host = createProcessEngineHost();
  services = createServices({ dataDir: dir.dir, engineHost: host, host: 'browser' });
  client = createClient(createInMemoryTransport(services.dispatch));
  runs = followRuns(client);
  figures.started = Date.now();
});
afterAll(async () => {
  console.log(
    `cancel fuzz (seed ${seed}): ${figures.cancels} cancels, ${figures.replaced} by replacing the engine process, ` +
      `${figures.finishedFirst} runs done before their cancel; slowest cancel ${figures.slowestCancelMs} ms; ` +
      `${((Date.now() - figures.started) / 1000).toFixed(1)} s in all` +
      (figures.skipped.length ? `; over the budget, no cancel mid-run for ${figures.skipped.join(', ')}` : ''),
  );
  services.close();
  await host.close();
  dir.remove();
});

/** Starts a run, cancels it after `delayMs`, and checks how it ended. */
async function cancelAfter(experimentId: string, delayMs: number): Promise<void> {
  const enginesBefore = enginePids();
  const { runId } = await client.api['experiments.run']({ experimentId, params: defaultParams(catalog.find((m) => m.id === experimentId)!) });
  await new Promise((resolve) => setTimeout(resolve, delayMs));
  const finishedBefore = runs.finished.get(runId);
  const started = performance.now();
  const { status } = await client.api['experiments.cancel']({ runId });
  const took = Math.round(performance.now() - started);
  figures.slowestCancelMs = Math.max(figures.slowestCancelMs, took);
  const event = await runs.settled(runId, 30_000);
  if (finishedBefore) {
    // The run was over before the cancel was sent: the cancel changes nothing.
    figures.finishedFirst++;
    expect(status).toBe(finishedBefore.status);
  } else {
    figures.cancels++;
    expect(status, `${experimentId} cancelled after ${delayMs} ms`).toBe('cancelled');
    expect(event).toMatchObject({ status: 'cancelled', error: { code: 'cancelled' } });
    expect((await client.api['experiments.get']({ runId })).status).toBe('cancelled');
    // A cancel waits at most for the engine to notice; one stuck in a pass is replaced.
    expect(took).toBeLessThan(5000);
  }
  // The services answer (and write) as ever.
  expect((await client.api['experiments.history']({ experimentId, limit: 1 }))[0].id).toBe(runId);
  // Never more than one engine process: a replaced one is gone, not left running on the GPU.
  const engines = await eventually(() => (enginePids().length <= 1 ? enginePids() : null), 5000, 'one engine process at most');
  if (enginesBefore.length === 1 && !engines.includes(enginesBefore[0])) figures.replaced++;
}

/** The next run of the experiment, with its defaults, finishes with a result; returns its wall time. */
async function runToTheEnd(experimentId: string): Promise<number> {
  const started = performance.now();
  const { runId } = await client.api['experiments.run']({ experimentId, params: defaultParams(catalog.find((m) => m.id === experimentId)!) });
  const event = await runs.settled(runId);
  expect(event, `${experimentId} after a cancel: ${event.error?.message ?? ''}`).toMatchObject({ status: 'done', error: null });
  expect((await client.api['experiments.get']({ runId })).result?.verdict).toBeTruthy();
  return performance.now() - started;
}

describe(`cancel at random moments (seed ${seed})`, () => {
  for (const meta of catalog) {
    it(`${meta.id}: every cancel ends its run, the services live on, the next run finishes`, async () => {
      // Early: the run queued, the engine process starting (after the last one was replaced),
      // its device being acquired, its first kernels compiling.
      await cancelAfter(meta.id, Math.floor(random() * 800));
      const wall = await runToTheEnd(meta.id);
      // Anywhere in the run: mid-pass, between passes, near the end. The draw is made even when
      // skipped, so a seed gives the same delays whatever the budget.
      const delay = Math.floor(random() * wall);
      if (Date.now() - figures.started + 2.5 * wall > budgetMs) {
        figures.skipped.push(meta.id);
        return;
      }
      await cancelAfter(meta.id, delay);
      await runToTheEnd(meta.id);
    }, 180_000);
  }
});

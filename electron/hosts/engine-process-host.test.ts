import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTranslator, translateError } from '../../src/shared/i18n';
import { createClient, type Client } from '../../src/shared/transport';
import { createServices, type Services } from '../services/index';
import { createInMemoryTransport } from '../testing/in-memory-transport';
import type { ChannelEngineHost } from '../services/experiments/channel-host';
import { temporaryDir } from '../testing/fixtures';
import { createProcessEngineHost } from './engine-process-host';
import { enginePids, eventually, followRuns } from '../testing/engine';

// The engine in its own process, on real Dawn (SwiftShader): each way an engine can go wrong (a
// stuck GPU queue, a blocked thread, a lost device, a crash) ends that run with its own clear
// message while the services go on answering, and the next run works on a fresh engine process.

const here = dirname(fileURLToPath(import.meta.url));
const tsxLoader = pathToFileURL(join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/loader.mjs')).href;
/** Small enough to finish in about a second on SwiftShader. */
const quick = { experimentId: 'kv-cache-memory', params: { maxTokens: 256, layers: 2, heads: 4, groupedKvHeads: 2, headDim: 32 } };
/** Bounds short enough for a test, long enough for a loaded 2-core machine compiling kernels. */
const progressMs = 8000;
const silenceMs = 5000;

let dir: { dir: string; remove(): void };
let host: ChannelEngineHost;
let services: Services;
let client: Client;
let runs: ReturnType<typeof followRuns>;

beforeAll(() => {
  dir = temporaryDir('proofdeck-engine-process-');
  host = createProcessEngineHost({ allowFaults: true, heartbeatMs: 200, silenceMs, progressMs });
  services = createServices({ dataDir: dir.dir, engineHost: host, host: 'browser' });
  client = createClient(createInMemoryTransport(services.dispatch));
  runs = followRuns(client);
});
afterAll(async () => {
  services.close();
  await host.close();
  dir.remove();
});

/** Runs `quick` to the end: the engine serves runs again. */
async function nextRunWorks(): Promise<void> {
  const next = await client.api['experiments.run'](quick);
  const event = await runs.settled(next.runId);
  expect(event.status).toBe('done');
  expect((await client.api['experiments.get'](next)).result?.verdict).toBeTruthy();
}

const en = createTranslator('en');
const ko = createTranslator('ko');

describe('the engine process', () => {
  it('a stuck GPU queue ends the run as stuck after the progress bound; the services answer meanwhile; the next run works', async () => {
    await nextRunWorks();
    const before = enginePids();
    expect(before).toHaveLength(1);
    host.injectFault('stall');
    const started = Date.now();
    const stalled = await client.api['experiments.run'](quick);
    // While the GPU is stuck, the services are not.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await client.api['experiments.get'](stalled)).status).toBe('running');
    expect((await client.api['experiments.history']({ limit: 5 })).length).toBeGreaterThan(0);
    const event = await runs.settled(stalled.runId, 60_000);
    const waited = Date.now() - started;
    console.log(`stuck queue detected after ${waited} ms (bound ${progressMs} ms)`);
    expect(event).toMatchObject({ status: 'failed', error: { code: 'engine-stuck' } });
    expect(event.error?.message).toMatch(/no progress/);
    expect(waited).toBeGreaterThanOrEqual(progressMs);
    expect(translateError(en, event.error)).toMatch(/stopped making progress/);
    expect(translateError(ko, event.error)).toMatch(/다시 시작했습니다/);
    await nextRunWorks();
    // The stuck process was killed and replaced, not left spinning.
    const after = enginePids();
    expect(after).toHaveLength(1);
    expect(after[0]).not.toBe(before[0]);
  });

  it('an engine whose thread blocks (no heartbeat) is ended after the silence bound; the next run works', async () => {
    host.injectFault('hang');
    const hung = await client.api['experiments.run'](quick);
    const event = await runs.settled(hung.runId, 60_000);
    expect(event).toMatchObject({ status: 'failed', error: { code: 'engine-stuck' } });
    expect(event.error?.message).toMatch(/stopped responding/);
    await nextRunWorks();
  });

  it('a host thread held up longer than the silence bound (a long synchronous call) does not condemn a healthy engine', async () => {
    await nextRunWorks();
    const { runId } = await client.api['experiments.run'](quick);
    // The services' own thread blocks; the engine's heartbeats and result wait in the channel.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, silenceMs + 2000);
    expect((await runs.settled(runId)).status).toBe('done');
  });

  it('a device lost during the run fails it as lost, not with numbers from the lost device; the next run works', async () => {
    const before = enginePids();
    host.injectFault('lost');
    const lost = await client.api['experiments.run'](quick);
    const event = await runs.settled(lost.runId);
    expect(event).toMatchObject({ status: 'failed', error: { code: 'gpu-lost' } });
    expect(event.error?.message).toMatch(/destroyed/);
    expect((await client.api['experiments.get'](lost)).result).toBeNull();
    expect(translateError(en, event.error)).toMatch(/device was lost/);
    await nextRunWorks();
    expect(enginePids()).not.toEqual(before);
  });

  it('a crash of the engine process fails the run with the signal that ended it; the next run works', async () => {
    host.injectFault('crash');
    const crashed = await client.api['experiments.run'](quick);
    const event = await runs.settled(crashed.runId);
    expect(event).toMatchObject({ status: 'failed', error: { code: 'engine-crashed' } });
    expect(event.error?.message).toMatch(/SIGABRT/);
    expect(translateError(en, event.error)).toBe('The GPU engine crashed during the run. It has been restarted: you can try again.');
    expect(translateError(ko, event.error)).toMatch(/GPU 엔진이 비정상 종료/);
    await nextRunWorks();
  });

  it('the engine process does not outlive its host: killed with a run on the GPU, the host leaves no engine behind', async () => {
    const script = join(dir.dir, 'host.mts');
    writeFileSync(
      script,
      `import { createProcessEngineHost } from ${JSON.stringify(pathToFileURL(join(here, 'engine-process-host.ts')).href)};
const host = createProcessEngineHost();
void host.run({ experimentId: 'flash-vs-naive', params: { maxN: 4096 }, backend: 'webgpu' }, {
  signal: new AbortController().signal,
  onProgress: (fraction, message) => console.log('progress', fraction, message),
});\n`,
    );
    const child = spawn(process.execPath, ['--import', tsxLoader, script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    // A few passes in: kernels compiled, work on the GPU.
    await eventually(() => output.split('progress').length > 3, 60_000, `the run to make progress:\n${output}`);
    const [engine] = await eventually(() => (enginePids(child.pid).length === 1 ? enginePids(child.pid) : null), 5000, 'the engine process');
    child.kill('SIGKILL');
    // Reparented, a dead engine may stay a zombie where nobody reaps: it must not be running.
    const alive = (pid: number): boolean => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
      } catch {
        return false;
      }
    };
    const started = Date.now();
    await eventually(() => !alive(engine), 10_000, `engine ${engine} to exit after its host was killed`);
    console.log(`orphaned engine exited ${Date.now() - started} ms after its host was killed`);
  });
});

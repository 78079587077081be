/**
 * The GPU engine's own process, for the browser host and the CLI (forked by
 * engine-process-host.ts): Dawn (npm `webgpu`) and the experiments of the registry, one run at a
 * time, speaking engine-protocol.ts over the fork's IPC channel. Dawn aborts its whole process on
 * some failures (a promise of the queue still pending when the device goes away, a driver fault);
 * here that process is this one, and the host starts a fresh one.
 *
 * The device lives as long as this process: the module holds it (and acquireEngine its GPU
 * object), so it is never destroyed or collected while work is submitted. A cancelled run stops at
 * its next check; work it had already submitted finishes on the queue, and the next run first
 * waits for the queue to be idle. A run that cannot stop in time is not torn down here: the host
 * kills the whole process, which the operating system cleans up like any other.
 */
import { createEngineLoop } from '../../src/engine-loop/engine-loop';
import { runBrokenKernel } from '../../src/experiments/faults';
import type { FromEngine } from '../../src/experiments/engine-protocol';
import { createDawnEngine, type DawnEngine } from './dawn';

if (!process.send) throw new Error('engine-child.ts runs as a forked child process');
const args = process.argv.slice(2);
const allowFaults = args.includes('--faults');
const heartbeatMs = Number(args[args.indexOf('--heartbeat-ms') + 1]) || 1000;
/** How long a closing engine waits for submitted work before it leaves anyway. */
const closeWaitMs = 2000;

let engine: Promise<DawnEngine> | null = null;
let lostReason: string | null = null;

function send(message: FromEngine): void {
  if (process.connected) process.send!(message, undefined, undefined, () => {});
}

/** The device is acquired once and kept; a refusal is not cached, so the next run tries again. */
function acquire(): Promise<DawnEngine> {
  if (!engine) {
    engine = createDawnEngine();
    engine.then(
      (opened) =>
        void opened.device.lost.then((info) => {
          lostReason = `${info.reason}: ${info.message}`;
          // Lost while idle: this process is done; the host starts a fresh one for the next run.
          if (loop.busy === 0) process.exit(0);
        }),
      () => (engine = null),
    );
  }
  return engine;
}

const faults = () => import('./dawn-fault');
const loop = createEngineLoop(
  {
    acquire,
    // A cancelled run may have left work on the queue: each run starts on an idle GPU.
    settle: (opened) => opened.device.queue.onSubmittedWorkDone(),
    lostReason: () => lostReason,
    faults: allowFaults
      ? {
          hang: () => {
            for (;;) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
          },
          crash: () => process.abort(),
          adapter: async () => (await faults()).refusedAdapter(),
          kernel: (opened) => runBrokenKernel(opened!),
          lost: async (opened) => (await faults()).loseDevice(opened!),
          stall: async (opened) => (await faults()).stallQueue(opened!),
        }
      : undefined,
  },
  send,
);

/**
 * Leaves in order when the host asks (SIGTERM) or is gone (the channel closed): the run in flight
 * is aborted, submitted work gets a moment to finish, the idle device is destroyed. Work that does
 * not finish is abandoned with the process (SIGKILL: no teardown of Dawn with work pending).
 */
let closing = false;
async function close(): Promise<void> {
  if (closing) return;
  closing = true;
  loop.abortAll();
  const opened = engine ? await engine.catch(() => null) : null;
  if (opened && lostReason === null) {
    const idle = await Promise.race([
      opened.device.queue.onSubmittedWorkDone().then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), closeWaitMs)),
    ]);
    if (!idle) process.kill(process.pid, 'SIGKILL');
    opened.close();
  }
  process.exit(0);
}

process.on('message', (message: Parameters<typeof loop.receive>[0]) => {
  if (!closing) loop.receive(message);
});
process.on('disconnect', () => void close());
process.on('SIGTERM', () => void close());
// Ctrl+C in a terminal reaches the whole process group: the host decides what happens to runs.
process.on('SIGINT', () => {});
setInterval(() => send({ type: 'heartbeat' }), heartbeatMs).unref();
send({ type: 'ready' });

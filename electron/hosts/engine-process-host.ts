import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { FromEngine, ToEngine } from '../../src/experiments/engine-protocol';
import { createChannelEngineHost, defaultSilenceMs, type ChannelEngineHost, type ChannelHostOptions } from '../services/experiments/channel-host';
import { useSoftwareVulkanUnlessConfigured } from './vulkan-env';

export interface ProcessEngineHostOptions extends Pick<ChannelHostOptions, 'silenceMs' | 'progressMs' | 'startupMs'> {
  /** Lets `injectFault` work (tests only). */
  allowFaults?: boolean;
  /** How often the engine says it is alive; the watchdog's silence bound should be several of these. */
  heartbeatMs?: number;
}

/**
 * The engine's entry. From the sources (the CLI and tests run through tsx) the child registers
 * tsx's loader first; the bundle (scripts/ensure-build.mjs) rewrites this to its own
 * engine-child.mjs, which plain Node loads.
 */
function childEntry(): { path: string; execArgv: string[] } {
  const entry = new URL('./engine-child.ts', import.meta.url);
  if (!entry.pathname.endsWith('.ts')) return { path: fileURLToPath(entry), execArgv: [] };
  const tsxRoot = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  return { path: fileURLToPath(entry), execArgv: ['--import', pathToFileURL(join(tsxRoot, 'dist/loader.mjs')).href] };
}

/** The line of a dead engine's stderr that says why (Dawn's assertion, Node's fatal error), if any. */
function causeIn(stderr: string): string | null {
  const lines = stderr.split('\n').map((line) => line.trim()).filter(Boolean);
  const cause = lines.find((line) => /\.cpp:\d+|FATAL|Error|abort/i.test(line)) ?? lines[lines.length - 1];
  return cause ? cause.slice(0, 300) : null;
}

/**
 * An EngineHost running experiments on Dawn in a child process (the browser host and the CLI),
 * started on first use and kept. A crash of Dawn or the driver ends that process, not the caller's:
 * the run fails with the reason, and a fresh engine process is started for the next run. A run that
 * cannot stop when cancelled, or whose engine goes silent or makes no progress, ends the same way:
 * the process is killed (the operating system frees its GPU work) and replaced.
 */
export function createProcessEngineHost(options: ProcessEngineHostOptions = {}): ChannelEngineHost {
  const heartbeatMs = options.heartbeatMs ?? 1000;
  return createChannelEngineHost(
    (events) => {
      // The Vulkan loader reads the environment of the process that loads Dawn: the child's own.
      const env = { ...process.env };
      useSoftwareVulkanUnlessConfigured(env);
      const { path, execArgv } = childEntry();
      const args = ['--heartbeat-ms', String(heartbeatMs), ...(options.allowFaults ? ['--faults'] : [])];
      const child = fork(path, args, { execArgv, env, serialization: 'advanced', stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
      let stderr = '';
      let ended = false;
      let ready = false;
      const queue: ToEngine[] = [];
      // The engine's output goes to this process's stderr (never stdout: `prove --json` owns it);
      // the tail is kept to say why the engine died.
      child.stdout?.on('data', (chunk: Buffer) => process.stderr.write(chunk));
      child.stderr?.on('data', (chunk: Buffer) => {
        process.stderr.write(chunk);
        stderr = (stderr + chunk.toString()).slice(-4000);
      });
      // An idle engine must not keep the process alive; a running one must (the CLI awaits it).
      const hold = (busy: boolean): void => {
        for (const handle of [child, child.channel, child.stdout, child.stderr] as ({ ref?(): void; unref?(): void } | null | undefined)[]) {
          if (busy) handle?.ref?.();
          else handle?.unref?.();
        }
      };
      hold(false);
      child.on('message', (message: FromEngine) => {
        if (message.type === 'ready') {
          ready = true;
          for (const queued of queue.splice(0)) child.send(queued);
        }
        if (message.type === 'result' || message.type === 'error') hold(false);
        events.message(message);
      });
      child.on('error', (error) => {
        if (ended) return;
        ended = true;
        events.died(`The GPU engine process failed: ${error.message}`);
      });
      child.on('exit', (code, signal) => {
        if (ended) return;
        ended = true;
        const how = signal ? `was ended by ${signal}` : `exited with code ${code}`;
        const cause = causeIn(stderr);
        events.died(`The GPU engine process ${how}${cause ? ` (${cause})` : ''}`);
      });
      return {
        post(message) {
          if (ended) return;
          if (message.type === 'run') hold(true);
          if (ready) child.send(message);
          else queue.push(message);
        },
        dispose() {
          if (ended) return;
          ended = true;
          // Abandoned, not torn down: a process killed with work on the GPU is cleaned up by the
          // operating system and the driver, whereas tearing Dawn down with work pending aborts.
          child.kill('SIGKILL');
        },
      };
    },
    {
      silenceMs: options.silenceMs ?? Math.max(defaultSilenceMs, heartbeatMs * 10),
      startupMs: options.startupMs,
      progressMs: options.progressMs,
      respawn: true,
    },
  );
}

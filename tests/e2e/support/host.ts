import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// Starts the real browser host (out/hosts/web.mjs, electron/hosts/web.ts bundled by
// scripts/ensure-build.mjs) as a separate process on a free port, with its own data directory, the
// way a user's `npm run web` does, and stops or restarts it.

export const repoRoot = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const readyLine = /ProofDeck browser host at (http:\/\/127\.0\.0\.1:\d+\/)/;

/** Builds out/renderer and the browser host (out/hosts) where missing or stale; call before startHost. */
export function ensureRenderer(): void {
  const result = spawnSync(process.execPath, [join(repoRoot, 'scripts/ensure-build.mjs')], { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('building the renderer failed');
}

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

export function freshDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'proofdeck-e2e-'));
}

export interface RunningHost {
  url: string;
  port: number;
  dataDir: string;
  /** performance.now() when the process was spawned (for host start → first card). */
  spawnedAt: number;
  /** performance.now() when it printed its ready line. */
  readyAt: number;
  /** Everything the host printed, for failure messages. */
  output(): string;
  /** SIGTERM (clean: the database is closed) or SIGKILL (a crash); resolves with the exit code. */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<number | null>;
}

/** Spawns the browser host and resolves once it printed its ready line. */
export async function startHost(options: { dataDir?: string; port?: number; open?: string[] } = {}): Promise<RunningHost> {
  const dataDir = options.dataDir ?? freshDataDir();
  const port = options.port ?? (await freePort());
  const spawnedAt = performance.now();
  // Plain `node` on the bundle, as `npm run web` runs it: a signal reaches the host itself.
  // `open`: deck files handed over as a double-click in the file manager would (`--open FILE`).
  const opened = (options.open ?? []).flatMap((file) => ['--open', file]);
  const child: ChildProcess = spawn(process.execPath, ['out/hosts/web.mjs', '--port', String(port), '--data', dataDir, ...opened], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  let output = '';
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`the host did not start within 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = readyLine.exec(output);
      if (match) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the host exited (${code}) before it was ready:\n${output}`));
    });
  });
  const readyAt = performance.now();
  return {
    url,
    port,
    dataDir,
    spawnedAt,
    readyAt,
    output: () => output,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Removes a data directory made by freshDataDir. */
export function removeDataDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

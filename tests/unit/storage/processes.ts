import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// Real second processes for the storage tests: the test child (child.ts) and the CLIs.

export const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const child = fileURLToPath(new URL('./child.ts', import.meta.url));

/** Who runs the child: as root, the unprivileged `nobody`, so that file permissions apply. */
export function unprivileged(): Pick<SpawnOptions, 'uid' | 'gid'> {
  return process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
}

export interface Running {
  process: ChildProcess;
  /** Lines printed so far. */
  lines: string[];
  /** Resolves at the first line matching. */
  line(match: RegExp, timeoutMs?: number): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function run(command: string, args: string[], options: SpawnOptions = {}): Running {
  const proc = spawn(command, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], ...options });
  const lines: string[] = [];
  let pending = '';
  let stderr = '';
  const waiters: { match: RegExp; resolve: (line: string) => void }[] = [];
  proc.stdout!.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const parts = pending.split('\n');
    pending = parts.pop()!;
    for (const line of parts) {
      lines.push(line);
      for (const waiter of waiters.filter((w) => w.match.test(line))) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  proc.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    process: proc,
    lines,
    exited,
    line(match, timeoutMs = 30_000) {
      const seen = lines.find((l) => match.test(l));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no line matching ${match} in ${timeoutMs} ms; stdout:\n${lines.join('\n')}\nstderr:\n${stderr}`)), timeoutMs);
        waiters.push({
          match,
          resolve: (line) => {
            clearTimeout(timer);
            resolve(line);
          },
        });
        void exited.then(() => setTimeout(() => reject(new Error(`exited without a line matching ${match}; stdout:\n${lines.join('\n')}\nstderr:\n${stderr}`)), 50));
      });
    },
  };
}

/** The test child (child.ts) in MODE on DIR. */
export function runChild(mode: 'hold' | 'open', dataDir: string, options: SpawnOptions = {}): Running {
  return run(process.execPath, ['--import', 'tsx', child, mode, dataDir], options);
}

/** `npm run decks -- ARGS` as the user runs it (tsx on the CLI's source). */
export function runDecks(args: string[], options: SpawnOptions = {}): Running {
  return run(process.execPath, ['--import', 'tsx', 'electron/hosts/decks.ts', ...args], options);
}

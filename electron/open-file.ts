import { isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// Which command-line arguments are files the user opened with ProofDeck. Windows and Linux start
// the app (or a second instance) with the file as an argument; macOS sends `open-file` events
// instead. Pure, so it is tested without Electron.

export interface ArgvOptions {
  /** The folder relative paths are resolved against (the second instance's working directory). */
  cwd: string;
  /** app.getAppPath(): in development Electron is started as `electron <appPath>` (often `.`). */
  appPath: string;
}

function inside(path: string, folder: string): boolean {
  const rest = relative(folder, path);
  return rest === '' || (!rest.startsWith('..') && !isAbsolute(rest));
}

/**
 * The files named on a command line, as absolute paths, in order. Skipped: the executable
 * (argv[0]), switches (`--flag`, `-psn_…` from old macOS Finder launches, Chromium's own), and the
 * app itself or a script inside it (development starts `electron .` or `electron out/main/main.js`).
 * `file://` URLs (some Linux file managers) become paths. Every other argument is returned, also
 * when it is not a deck file: the caller reports those to the user instead of ignoring them.
 */
export function filesFromArgv(argv: readonly string[] | undefined, options: ArgvOptions): string[] {
  const files: string[] = [];
  for (const argument of (argv ?? []).slice(1)) {
    if (argument === '' || argument.startsWith('-')) continue;
    let path: string;
    try {
      path = argument.startsWith('file://') ? fileURLToPath(argument) : resolve(options.cwd, argument);
    } catch {
      continue;
    }
    if (inside(path, resolve(options.appPath)) && (path === resolve(options.appPath) || /\.(c|m)?js$/i.test(path))) continue;
    files.push(path);
  }
  return files;
}

/**
 * Files that arrive before the services can take them (macOS sends `open-file` before `ready`
 * when the app is launched by a double-click). Queued, then handed over once in order.
 */
export class OpenFileQueue {
  private waiting: string[] = [];
  private deliver: ((path: string) => void) | null = null;

  /** A file to open: delivered now when a receiver is attached, else kept. */
  push(path: string): void {
    if (this.deliver) this.deliver(path);
    else this.waiting.push(path);
  }

  /** From now on files go to `deliver`; the ones that waited go first, in order. */
  attach(deliver: (path: string) => void): void {
    this.deliver = deliver;
    const waiting = this.waiting;
    this.waiting = [];
    for (const path of waiting) deliver(path);
  }
}

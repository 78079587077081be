import type { EventName } from '../../src/shared/contract';
import type { Envelope } from '../../src/shared/errors';

// Messages between the browser host's HTTP thread and the thread that runs the services
// (services-thread.ts ↔ services-worker.ts). Everything here is structured-clonable plain data.

/** What the worker needs to open the services (createServices options that can cross a thread). */
export interface ServicesWorkerData {
  dataDir: string;
  resourcesDir: string;
  appVersion: string;
  dailyBackups: boolean;
  /** Deck files to open as the OS would hand them over (`npm run web -- --open FILE`). */
  open?: string[];
  /** The host's thread holds the data folder's lock for this process (store/data-lock.ts). */
  lockHeld?: boolean;
}

export type ToServices = { type: 'call'; id: number; method: string; args: unknown } | { type: 'close' };

export type FromServices =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | { type: 'result'; id: number; envelope: Envelope<unknown> }
  | { type: 'event'; event: EventName; payload: unknown }
  | { type: 'closed' };

import { parentPort, workerData } from 'node:worker_threads';
import type { CallContext } from '../services/dispatch';
import { createServices, type Services } from '../services/index';
import { createProcessEngineHost } from './engine-process-host';
import { openDeckFile } from '../services/opened-files';
import type { FromServices, ServicesWorkerData, ToServices } from './services-protocol';

// The browser host's services, in their own thread (see services-thread.ts): loading and opening
// them takes a few hundred milliseconds, which now overlap with the browser loading the page.

const port = parentPort;
if (!port) throw new Error('services-worker.ts runs as a worker thread');
const post = (message: FromServices): void => port.postMessage(message);
const options = workerData as ServicesWorkerData;

// Events (progress, run-finished) go to every open tab, whichever call started the work.
const context: CallContext = { emit: (event, payload) => post({ type: 'event', event, payload }) };

let services: Services | null = null;
try {
  services = createServices({
    dataDir: options.dataDir,
    dailyBackups: options.dailyBackups,
    host: 'browser',
    appVersion: options.appVersion,
    resourcesDir: options.resourcesDir,
    lock: options.lockHeld ? 'held' : 'browser-host',
    // Experiments run on Dawn in a process of their own: a GPU job never blocks a call, and a
    // crash of Dawn or the driver never takes the services down.
    engineHost: createProcessEngineHost(),
  });
  // Deck files opened with the host (`--open`): uploaded before the first call is answered, so
  // the UI finds them when it asks (the Electron app's path for files from the OS, main.ts).
  for (const path of options.open ?? []) await openDeckFile(path, services, context);
  post({ type: 'ready' });
} catch (error) {
  post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
}

port.on('message', (message: ToServices) => {
  if (message.type === 'close') {
    services?.close();
    services = null;
    post({ type: 'closed' });
    port.close();
    return;
  }
  const open = services;
  if (!open) {
    post({ type: 'result', id: message.id, envelope: { ok: false, error: { code: 'internal', message: 'the services are closed' } } });
    return;
  }
  void open.dispatch(message.method, message.args, context).then((envelope) => post({ type: 'result', id: message.id, envelope }));
});

import { BrowserWindow, ipcMain, type IpcMainEvent, type WebPreferences } from 'electron';
import type { FromEngine } from '../src/experiments/engine-protocol';
import { ipcChannels } from './channels';
import { createChannelEngineHost, type ChannelEngineHost, type EngineEnd } from './services/experiments/channel-host';

export interface EngineWindowOptions {
  /** app://proofdeck/engine-page/index.html (app-protocol.ts) */
  pageUrl: string;
  /** out/preload/enginePreload.cjs (electron/engine-preload.ts) */
  preloadPath: string;
  /** The app's one secure webPreferences builder (contextIsolation, sandbox, no node). */
  secureWebPreferences(extra: WebPreferences): WebPreferences;
  /** Lets tests inject faults (?faults=1); never set in a release. */
  allowFaults?: boolean;
}

/**
 * EngineHost over a hidden, sandboxed BrowserWindow running src/engine-page (WebGPU from
 * navigator.gpu). Created on first use; a crashed, hung or device-lost renderer fails the run with
 * that reason and is replaced at once. WebGPU's work lives in Chromium's GPU process, which
 * outlives a renderer destroyed mid-submission. All the logic is in channel-host.ts; this is glue.
 */
export function createEngineWindowHost(options: EngineWindowOptions): ChannelEngineHost {
  return createChannelEngineHost((events) => {
    const window = new BrowserWindow({
      show: false,
      width: 400,
      height: 300,
      webPreferences: options.secureWebPreferences({ preload: options.preloadPath, backgroundThrottling: false }),
    });
    const contents = window.webContents;
    const queue: unknown[] = [];
    let ready = false;
    let ended = false;
    const end = (reason: string, how: EngineEnd = 'crashed'): void => {
      if (ended) return;
      ended = true;
      ipcMain.removeListener(ipcChannels.engineMessage, onMessage);
      events.died(reason, how);
      if (!window.isDestroyed()) window.destroy();
    };
    // Only this window's main frame may speak for the engine.
    const onMessage = (event: IpcMainEvent, message: FromEngine): void => {
      if (event.sender !== contents || event.senderFrame !== contents.mainFrame) return;
      if (message.type === 'ready') {
        ready = true;
        for (const queued of queue.splice(0)) contents.send(ipcChannels.engineRequest, queued);
      }
      events.message(message);
    };
    ipcMain.on(ipcChannels.engineMessage, onMessage);
    contents.on('render-process-gone', (_event, details) => end(`The engine renderer ${details.reason === 'crashed' ? 'crashed' : `stopped (${details.reason})`}`));
    contents.on('unresponsive', () => end('The engine renderer stopped responding', 'stuck'));
    window.on('closed', () => end('The engine window was closed'));
    void window.loadURL(options.allowFaults ? `${options.pageUrl}?faults=1` : options.pageUrl);
    return {
      post(message) {
        if (ready) contents.send(ipcChannels.engineRequest, message);
        else queue.push(message);
      },
      dispose() {
        ended = true;
        ipcMain.removeListener(ipcChannels.engineMessage, onMessage);
        if (!window.isDestroyed()) window.destroy();
      },
    };
  }, { respawn: true });
}

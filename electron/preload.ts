import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { EventName } from '../src/shared/contract';
import { eventNames, methodNames } from '../src/shared/contract/names';
import type { Bridge } from '../src/shared/bridge';
import type { Envelope } from '../src/shared/errors';
import { ipcChannels } from './channels';

// Runs in the sandboxed UI renderer before the page. Exposes the contract as named functions and
// one event subscription; ipcRenderer itself never reaches the page, nor the IPC event objects.

function buildBridge(): Bridge {
  const bridge: Record<string, unknown> = {};
  for (const method of methodNames) {
    bridge[method] = (args: unknown): Promise<Envelope<unknown>> => ipcRenderer.invoke(ipcChannels.api, method, args ?? {});
  }
  bridge.on = (event: EventName, listener: (payload: unknown) => void): (() => void) => {
    if (!(eventNames as readonly string[]).includes(event)) throw new Error(`unknown event '${String(event)}'`);
    const relay = (_ipcEvent: IpcRendererEvent, name: unknown, payload: unknown): void => {
      if (name === event) listener(payload);
    };
    ipcRenderer.on(ipcChannels.event, relay);
    return () => {
      ipcRenderer.removeListener(ipcChannels.event, relay);
    };
  };
  return bridge as Bridge;
}

contextBridge.exposeInMainWorld('api', buildBridge());

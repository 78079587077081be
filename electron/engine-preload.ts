import { contextBridge, ipcRenderer } from 'electron';
import { ipcChannels } from './channels';

// Preload of the hidden engine window: the only thing the engine page can reach is this pair of
// functions on two fixed channels. No ipcRenderer, no Node, no app API (the engine needs none).
contextBridge.exposeInMainWorld('engineBridge', {
  onRequest(listener: (message: unknown) => void): void {
    ipcRenderer.on(ipcChannels.engineRequest, (_event, message: unknown) => listener(message));
  },
  send(message: unknown): void {
    ipcRenderer.send(ipcChannels.engineMessage, message);
  },
});

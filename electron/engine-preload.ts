import { contextBridge, ipcRenderer } from 'electron';

// Preload of the hidden engine window: the only thing the engine page can reach is this pair of
// functions on two fixed channels. No ipcRenderer, no Node, no app API (the engine needs none).
contextBridge.exposeInMainWorld('engineBridge', {
  onRequest(listener: (message: unknown) => void): void {
    ipcRenderer.on('engine:request', (_event, message: unknown) => listener(message));
  },
  send(message: unknown): void {
    ipcRenderer.send('engine:message', message);
  },
});

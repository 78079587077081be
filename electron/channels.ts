/**
 * Every IPC channel name, shared by the main process and the preloads. Kept apart from ipc.ts so
 * the preload bundles pull in nothing of the main process.
 */
export const ipcChannels = {
  /** ipcRenderer.invoke(api, method, args) → Envelope. The only request channel. */
  api: 'api',
  /** webContents.send(event, name, payload): host events (progress, menu commands). */
  event: 'api-event',
  /** webContents.send(engineRequest, message): the main process → the hidden engine page (engine-protocol.ts). */
  engineRequest: 'engine:request',
  /** ipcRenderer.send(engineMessage, message): the engine page → the main process. */
  engineMessage: 'engine:message',
} as const;

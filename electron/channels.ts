/**
 * IPC channel names shared by the main process and the preload. Kept apart from ipc.ts so the
 * preload bundle pulls in nothing of the main process.
 */
export const ipcChannels = {
  /** ipcRenderer.invoke(api, method, args) → Envelope. The only request channel. */
  api: 'api',
  /** webContents.send(event, name, payload): host events (progress, menu commands). */
  event: 'api-event',
} as const;

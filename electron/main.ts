import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, ipcMain, Menu, net, protocol, session, shell } from 'electron';
import { createServices, type Services } from './services/index';
import { createEngineWindowHost } from './engine-window';
import type { CallContext } from './services/dispatch';
import { registerApi, sendEvent } from './ipc';
import { buildMenuTemplate } from './menu';
import { denyPermissions, guardWebContents, installContentSecurityPolicy, secureWebPreferences } from './security';

// Lifecycle, windows and security settings — and nothing else. Everything worth testing lives in
// modules that do not need Electron (services, dispatch, security policy).

const here = dirname(fileURLToPath(import.meta.url));
/** Built layout: out/main/main.js, out/preload/preload.cjs, out/renderer/index.html. */
const rendererDir = join(here, '../renderer');
const rendererIndex = join(rendererDir, 'index.html');
const preloadPath = join(here, '../preload/preload.cjs');
/** Set by `electron-vite dev` only. */
const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;

let uiWindow: BrowserWindow | null = null;
let services: Services | null = null;

function uiContents(): Electron.WebContents | null {
  return uiWindow && !uiWindow.isDestroyed() ? uiWindow.webContents : null;
}

const context: CallContext = {
  emit: (event, payload) => sendEvent(uiContents(), event, payload),
};

function openExternal(url: string): void {
  void shell.openExternal(url);
}

function createUiWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1100,
    height: 780,
    minWidth: 640,
    minHeight: 480,
    show: false,
    title: 'ProofDeck',
    webPreferences: secureWebPreferences({ preload: preloadPath }),
  });
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => {
    if (uiWindow === window) uiWindow = null;
  });
  if (devServerUrl) void window.loadURL(devServerUrl);
  else void window.loadFile(rendererIndex);
  return window;
}

function installMenu(): void {
  const template = buildMenuTemplate({
    mac: process.platform === 'darwin',
    dev: Boolean(devServerUrl),
    locale: app.getLocale().toLowerCase().startsWith('ko') ? 'ko' : 'en',
    onImport: () => sendEvent(uiContents(), 'menu', { command: 'import' }),
    onUndo: () => sendEvent(uiContents(), 'menu', { command: 'undo' }),
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

async function start(): Promise<void> {
  denyPermissions(session.defaultSession);
  installContentSecurityPolicy(session.defaultSession, protocol, net, { rendererDir, dev: Boolean(devServerUrl) });
  services = createServices({
    dailyBackups: true,
    dataDir: app.getPath('userData'),
    host: 'electron',
    appVersion: app.getVersion(),
    resourcesDir: join(app.getAppPath(), 'resources'),
    // Experiments run in a hidden, sandboxed window with the same webPreferences as the UI's.
    engineHost: createEngineWindowHost({
      pageFile: join(rendererDir, 'engine-page/index.html'),
      preloadPath: join(here, '../preload/enginePreload.cjs'),
      secureWebPreferences: (extra) => secureWebPreferences({ preload: extra.preload, backgroundThrottling: extra.backgroundThrottling }),
    }),
  });
  registerApi(ipcMain, services.dispatch, { uiContents, rendererIndex, devServerUrl }, context);
  installMenu();
  uiWindow = createUiWindow();
}

function closeServices(): void {
  const open = services;
  services = null;
  open?.close();
}

// Every renderer of the sandbox, before the first window, and every webContents (the UI window,
// the hidden engine window, anything a page might try to create) gets the same guards.
app.enableSandbox();
// Experiments need WebGPU in the engine window; Chromium on Linux still keeps it behind this switch.
if (process.platform === 'linux') app.commandLine.appendSwitch('enable-unsafe-webgpu');

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!uiWindow) return;
    if (uiWindow.isMinimized()) uiWindow.restore();
    uiWindow.focus();
  });
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, openExternal));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (services && BrowserWindow.getAllWindows().length === 0) uiWindow = createUiWindow();
  });
  // The database is closed (WAL checkpointed) before the process goes; answers are already
  // durable, this just leaves a tidy file.
  app.on('before-quit', closeServices);
  app.whenReady().then(start).catch((error: unknown) => {
    console.error('ProofDeck failed to start', error);
    app.exit(1);
  });
}

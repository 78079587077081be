import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session, shell } from 'electron';
import { AppError } from '../src/shared/errors';
import { createTranslator, translateError } from '../src/shared/i18n';
import { appScheme, appSchemePrivileges, enginePageUrl, uiPageUrl } from './app-protocol';
import { createServices, type Services } from './services/index';
import { createEngineWindowHost } from './engine-window';
import type { CallContext } from './services/dispatch';
import { registerApi, sendEvent } from './ipc';
import { buildMenuTemplate } from './menu';
import { denyPermissions, guardWebContents, installAppProtocol, secureWebPreferences } from './security';
import { filesFromArgv, OpenFileQueue } from './open-file';
import { openDeckFile } from './services/opened-files';

// Lifecycle, windows and security settings — and nothing else. Everything worth testing lives in
// modules that do not need Electron (services, dispatch, security policy).

const here = dirname(fileURLToPath(import.meta.url));
/**
 * Built layout: out/main/main.js, out/preload/preload.cjs, and out/renderer (served as
 * app://proofdeck/) under the app's path (the project in development, app.asar when packaged).
 */
const rendererDir = join(app.getAppPath(), 'out', 'renderer');
const preloadPath = join(here, '../preload/preload.cjs');
/** Set by `electron-vite dev` only. */
const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;

let uiWindow: BrowserWindow | null = null;
let services: Services | null = null;
/** Deck files opened from the OS (argv, `open-file`, a second instance); held until the services run. */
const openRequests = new OpenFileQueue();

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
  void window.loadURL(devServerUrl ?? uiPageUrl);
  return window;
}

/** Brings the window to the front, or opens one (macOS keeps the app running without windows). */
function showUi(): void {
  if (!uiWindow) {
    if (services) uiWindow = createUiWindow();
    return;
  }
  if (uiWindow.isMinimized()) uiWindow.restore();
  uiWindow.focus();
}

/**
 * Opened files are uploaded one after another (the inbox keeps their order) through the same
 * services as the UI's calls; the UI takes them with `decks.openedFiles` and shows the preview.
 */
function receiveOpenedFiles(): void {
  let previous: Promise<unknown> = Promise.resolve();
  openRequests.attach((path) => {
    showUi();
    previous = previous.then(() => (services ? openDeckFile(path, services, context) : undefined)).catch((error: unknown) => console.error('ProofDeck: opening a file failed', error));
  });
}

function installMenu(): void {
  const template = buildMenuTemplate({
    mac: process.platform === 'darwin',
    dev: Boolean(devServerUrl),
    locale: locale(),
    onImport: () => sendEvent(uiContents(), 'menu', { command: 'import' }),
    onUndo: () => sendEvent(uiContents(), 'menu', { command: 'undo' }),
    onRedo: () => sendEvent(uiContents(), 'menu', { command: 'redo' }),
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

function locale(): 'ko' | 'en' {
  return app.getLocale().toLowerCase().startsWith('ko') ? 'ko' : 'en';
}

/**
 * Another ProofDeck process (a browser host, `npm run decks`) holds the data folder: say which, and
 * quit. A second launch of the app itself never gets here: the single-instance lock sends it to
 * the first window.
 */
function refuseLockedFolder(error: AppError): void {
  const t = createTranslator(locale());
  dialog.showErrorBox(t('app.database.title'), translateError(t, error));
  if (uiWindow && !uiWindow.isDestroyed()) uiWindow.destroy();
  app.exit(1);
}

async function start(): Promise<void> {
  denyPermissions(session.defaultSession);
  installAppProtocol(session.defaultSession, protocol, { rendererDir, dev: Boolean(devServerUrl) });
  // The window first: its renderer process starts (a few hundred milliseconds) while this thread
  // opens the services. No call can arrive before the API is registered below: this thread is
  // busy until then, and IPC messages wait for it.
  uiWindow = createUiWindow();
  try {
    services = openServices();
  } catch (error) {
    if (error instanceof AppError && error.code === 'db-locked') return refuseLockedFolder(error);
    throw error;
  }
  registerApi(ipcMain, services.dispatch, { uiContents, uiPageUrl, devServerUrl }, context);
  installMenu();
  receiveOpenedFiles();
}

function openServices(): Services {
  return createServices({
    dailyBackups: true,
    dataDir: app.getPath('userData'),
    host: 'electron',
    lock: 'app',
    appVersion: app.getVersion(),
    resourcesDir: join(app.getAppPath(), 'resources'),
    // Experiments run in a hidden, sandboxed window with the same webPreferences as the UI's.
    engineHost: createEngineWindowHost({
      pageUrl: enginePageUrl,
      preloadPath: join(here, '../preload/enginePreload.cjs'),
      secureWebPreferences: (extra) => secureWebPreferences({ preload: extra.preload, backgroundThrottling: extra.backgroundThrottling }),
    }),
  });
}

function closeServices(): void {
  const open = services;
  services = null;
  open?.close();
}

// Every renderer of the sandbox, before the first window, and every webContents (the UI window,
// the hidden engine window, anything a page might try to create) gets the same guards.
app.enableSandbox();
// The pages' own scheme (app-protocol.ts); Electron takes privileged schemes only before ready.
protocol.registerSchemesAsPrivileged([{ scheme: appScheme, privileges: appSchemePrivileges }]);
// Experiments need WebGPU in the engine window; Chromium on Linux still keeps it behind this switch.
if (process.platform === 'linux') app.commandLine.appendSwitch('enable-unsafe-webgpu');

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  // Windows and Linux: the file double-clicked to launch the app is an argument.
  for (const path of filesFromArgv(process.argv, { cwd: process.cwd(), appPath: app.getAppPath() })) openRequests.push(path);
  // macOS: files arrive as events, the first ones before `ready`; without preventDefault the
  // system is told the app did not open them.
  app.on('open-file', (event, path) => {
    event.preventDefault();
    openRequests.push(path);
  });
  // A second launch (double-clicking another file while ProofDeck runs) hands over its arguments
  // and quits; this instance comes to the front and opens the files.
  app.on('second-instance', (_event, argv, workingDirectory) => {
    const files = filesFromArgv(argv, { cwd: workingDirectory || process.cwd(), appPath: app.getAppPath() });
    for (const path of files) openRequests.push(path);
    if (!files.length) showUi();
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

import { EventEmitter } from 'node:events';
import { pathToFileURL } from 'node:url';

// A stand-in for the 'electron' module, for tests only: the Electron binary cannot be downloaded
// on the machines that build this project, so `import 'electron'` throws in Node. It records what
// the glue asks of Electron (windows and their webPreferences, IPC handlers, menus, guards) and
// links ipcRenderer to ipcMain in memory, so the preload's bridge reaches the main's handlers.

type Listener = (...args: unknown[]) => unknown;

/** A navigation-like event: records whether the glue prevented it. */
export class FakeEvent {
  defaultPrevented = false;
  constructor(readonly url = '') {}
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

export class FakeFrame {
  url = '';
  constructor(readonly parent: FakeFrame | null = null) {}
}

let nextContentsId = 1;

export class FakeWebContents extends EventEmitter {
  readonly id = nextContentsId++;
  readonly mainFrame = new FakeFrame();
  readonly sent: unknown[][] = [];
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  destroyed = false;
  send(channel: string, ...args: unknown[]): void {
    this.sent.push([channel, ...args]);
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  async loadFile(path: string): Promise<void> {
    this.mainFrame.url = pathToFileURL(path).href;
  }
  async loadURL(url: string): Promise<void> {
    this.mainFrame.url = url;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static readonly windows: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  focused = 0;
  minimized = false;
  destroyed = false;
  visible: boolean;
  constructor(readonly options: { show?: boolean; webPreferences?: Record<string, unknown> } & Record<string, unknown>) {
    super();
    this.visible = options.show !== false;
    FakeBrowserWindow.windows.push(this);
    // Electron announces every new webContents on the app.
    app.emit('web-contents-created', new FakeEvent(), this.webContents);
  }
  static getAllWindows(): FakeBrowserWindow[] {
    return FakeBrowserWindow.windows.filter((w) => !w.destroyed);
  }
  loadFile(path: string): Promise<void> {
    return this.webContents.loadFile(path);
  }
  loadURL(url: string): Promise<void> {
    return this.webContents.loadURL(url);
  }
  show(): void {
    this.visible = true;
  }
  hide(): void {
    this.visible = false;
  }
  focus(): void {
    this.focused++;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  restore(): void {
    this.minimized = false;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  isVisible(): boolean {
    return this.visible;
  }
  close(): void {
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.emit('closed');
  }
  destroy(): void {
    this.close();
  }
}

class FakeApp extends EventEmitter {
  sandboxEnabled = false;
  sandboxEnabledBeforeReady = false;
  ready = false;
  singleInstance = true;
  userData = '';
  locale = 'en-US';
  appPath = process.cwd();
  readonly switches: string[] = [];
  readonly commandLine = { appendSwitch: (name: string) => void this.switches.push(name) };
  isPackaged = false;
  quitCalls = 0;
  exitCodes: number[] = [];
  private readyResolve: (() => void) | null = null;
  private readonly readyPromise = new Promise<void>((resolve) => (this.readyResolve = resolve));
  enableSandbox(): void {
    this.sandboxEnabled = true;
    this.sandboxEnabledBeforeReady = !this.ready;
  }
  requestSingleInstanceLock(): boolean {
    return this.singleInstance;
  }
  whenReady(): Promise<void> {
    return this.readyPromise;
  }
  /** Test hook: Electron has finished starting. */
  becomeReady(): void {
    this.ready = true;
    this.readyResolve?.();
    this.emit('ready');
  }
  getPath(name: string): string {
    if (name !== 'userData') throw new Error(`fake app: getPath(${name}) is not faked`);
    return this.userData;
  }
  getLocale(): string {
    return this.locale;
  }
  getAppPath(): string {
    return this.appPath;
  }
  getVersion(): string {
    return '0.0.0-test';
  }
  quit(): void {
    this.quitCalls++;
  }
  exit(code = 0): void {
    this.exitCodes.push(code);
  }
}

export const app = new FakeApp();

type InvokeHandler = (event: unknown, ...args: unknown[]) => unknown;

class FakeIpcMain extends EventEmitter {
  readonly handlers = new Map<string, InvokeHandler>();
  handle(channel: string, handler: InvokeHandler): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  /** Test hook: what Electron does when a renderer calls ipcRenderer.invoke. */
  async invokeFrom(sender: FakeWebContents, frame: FakeFrame | null, channel: string, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return handler({ sender, senderFrame: frame, processId: 1, frameId: 1 }, ...args);
  }
}

export const ipcMain = new FakeIpcMain();

class FakeIpcRenderer extends EventEmitter {
  /** The page this preload runs in; set by the test. */
  contents: FakeWebContents | null = null;
  readonly invocations: unknown[][] = [];
  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invocations.push([channel, ...args]);
    if (!this.contents) return Promise.reject(new Error('fake ipcRenderer: no webContents linked'));
    return ipcMain.invokeFrom(this.contents, this.contents.mainFrame, channel, ...args);
  }
}

export const ipcRenderer = new FakeIpcRenderer();

export const contextBridge = {
  exposed: new Map<string, unknown>(),
  exposeInMainWorld(key: string, api: unknown): void {
    if (this.exposed.has(key)) throw new Error(`Cannot bind an API on top of an existing property on the window object: ${key}`);
    this.exposed.set(key, api);
  },
};

export const shell = {
  opened: [] as string[],
  async openExternal(url: string): Promise<void> {
    this.opened.push(url);
  },
};

export const Menu = {
  applicationMenu: null as { template: unknown[] } | null,
  buildFromTemplate(template: unknown[]): { template: unknown[] } {
    return { template };
  },
  setApplicationMenu(menu: { template: unknown[] } | null): void {
    this.applicationMenu = menu;
  },
};

type PermissionHandler = (contents: unknown, permission: string, callback: (granted: boolean) => void) => void;

export const session = {
  defaultSession: {
    permissionRequestHandler: null as PermissionHandler | null,
    permissionCheckHandler: null as ((...args: unknown[]) => boolean) | null,
    headersListener: null as Listener | null,
    setPermissionRequestHandler(handler: PermissionHandler): void {
      this.permissionRequestHandler = handler;
    },
    setPermissionCheckHandler(handler: (...args: unknown[]) => boolean): void {
      this.permissionCheckHandler = handler;
    },
    webRequest: {
      onHeadersReceived(listener: Listener): void {
        session.defaultSession.headersListener = listener;
      },
    },
  },
};

type PrivilegedScheme = { scheme: string; privileges?: Record<string, boolean> };

export const protocol = {
  handlers: new Map<string, (request: Request) => Response | Promise<Response>>(),
  privileged: [] as PrivilegedScheme[],
  /** Whether registerSchemesAsPrivileged came before ready (Electron ignores it after). */
  privilegedBeforeReady: false,
  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void {
    this.handlers.set(scheme, handler);
  },
  registerSchemesAsPrivileged(schemes: PrivilegedScheme[]): void {
    if (app.ready) throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready');
    this.privileged.push(...schemes);
    this.privilegedBeforeReady = true;
  },
};

export const dialog = {
  errors: [] as { title: string; content: string }[],
  showErrorBox(title: string, content: string): void {
    this.errors.push({ title, content });
  },
};

export const net = {
  fetched: [] as string[],
  /** Stands in for reading the packaged file: Node's fetch has no file: scheme. */
  async fetch(url: string): Promise<Response> {
    this.fetched.push(url);
    return new Response('<!doctype html><title>ProofDeck</title>', { status: 200, headers: { 'Content-Type': 'text/html' } });
  },
};

export default { app, BrowserWindow: FakeBrowserWindow, ipcMain, ipcRenderer, contextBridge, shell, Menu, session, protocol, net, dialog };
export { FakeBrowserWindow as BrowserWindow };

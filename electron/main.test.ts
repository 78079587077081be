import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { contract, methods } from '../src/shared/contract';
import type { Envelope } from '../src/shared/errors';

// The Electron main process against a recording stand-in for 'electron' (its binary cannot load
// here), with the real services on a real SQLite file in a temporary userData folder.
vi.mock('electron', () => import('./testing/fake-electron'));

const fake = await import('./testing/fake-electron');
const userData = mkdtempSync(join(tmpdir(), 'proofdeck-main-'));
fake.app.userData = userData;
// The app's path as electron-vite or a package lays it out: out/renderer (served as app://) and
// resources (the built-in decks), with a link that points out of the renderer folder.
const appPath = mkdtempSync(join(tmpdir(), 'proofdeck-main-app-'));
const rendererDir = join(appPath, 'out', 'renderer');
mkdirSync(join(rendererDir, 'engine-page'), { recursive: true });
mkdirSync(join(rendererDir, 'assets'));
writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>ProofDeck</title><script type="module" src="./assets/index.js"></script>');
writeFileSync(join(rendererDir, 'engine-page', 'index.html'), '<!doctype html><title>engine</title>');
writeFileSync(join(rendererDir, 'assets', 'index.js'), 'console.log("ui")');
writeFileSync(join(appPath, 'secret.txt'), 'TOP SECRET');
symlinkSync(join(appPath, 'secret.txt'), join(rendererDir, 'assets', 'leak.js'));
symlinkSync(fileURLToPath(new URL('../resources', import.meta.url)), join(appPath, 'resources'));
fake.app.appPath = appPath;
// Deck files the "operating system" opens with ProofDeck: one named on the command line at
// launch (Windows, Linux), one sent by macOS as `open-file` before the app is ready.
const downloads = mkdtempSync(join(tmpdir(), 'proofdeck-main-files-'));
const launchFile = join(downloads, 'launch.apkg');
copyFileSync(new URL('../../shared/fixtures/anki/apkgexport-output.apkg', import.meta.url), launchFile);
const finderFile = join(downloads, 'from finder.csv');
writeFileSync(finderFile, 'What does the KV cache store?,Keys and values of past tokens\nWhy tile attention?,To stay in SRAM\n');
const openFileEvent = new fake.FakeEvent();

type MenuItem = { label?: string; role?: string; click?: () => void; submenu?: MenuItem[] };

function uiWindow(): InstanceType<typeof fake.BrowserWindow> {
  const window = fake.BrowserWindow.windows.find((w) => String(w.options.webPreferences?.preload ?? '').endsWith('preload.cjs'));
  if (!window) throw new Error('no UI window was created');
  return window;
}

function callAsUi(method: string, args: unknown): Promise<Envelope<unknown>> {
  const contents = uiWindow().webContents;
  return fake.ipcMain.invokeFrom(contents, contents.mainFrame, 'api', method, args) as Promise<Envelope<unknown>>;
}

beforeAll(async () => {
  const argv = process.argv;
  process.argv = [process.execPath, appPath, '--no-sandbox', launchFile];
  try {
    await import('./main');
  } finally {
    process.argv = argv;
  }
  fake.app.emit('open-file', openFileEvent, finderFile);
  expect(fake.BrowserWindow.windows).toHaveLength(0); // nothing happens before Electron is ready
  fake.app.becomeReady();
  await vi.waitFor(() => expect(fake.BrowserWindow.windows.length).toBeGreaterThan(0), { timeout: 20_000 });
});

afterAll(() => {
  fake.app.emit('before-quit');
  rmSync(userData, { recursive: true, force: true });
  rmSync(downloads, { recursive: true, force: true });
  rmSync(appPath, { recursive: true, force: true });
});

type Opened = { fileName: string; uploadId: string | null; error: { code: string } | null };

/** What the UI does on start and on each `open-file` event: take the files the main process holds. */
async function takeOpened(count: number): Promise<Opened[]> {
  const taken: Opened[] = [];
  await vi.waitFor(
    async () => {
      const reply = await callAsUi('decks.openedFiles', {});
      if (reply.ok) taken.push(...(reply.value as Opened[]));
      if (taken.length < count) throw new Error(`${taken.length} of ${count} opened files so far`);
    },
    { timeout: 10_000 },
  );
  return taken;
}

describe('Electron main: deck files opened from the operating system', () => {
  it('opens the file named at launch and the one macOS sent before ready: the UI previews each, nothing imported', async () => {
    expect(openFileEvent.defaultPrevented).toBe(true); // macOS is told the app opens it
    const opened = await takeOpened(2);
    expect(opened.map((file) => [file.fileName, file.error])).toEqual([
      ['launch.apkg', null],
      ['from finder.csv', null],
    ]);
    expect(uiWindow().webContents.sent).toContainEqual(['api-event', 'menu', { command: 'open-file' }]);
    const apkg = await callAsUi('decks.importPreview', { uploadId: opened[0].uploadId, fileName: opened[0].fileName });
    expect(apkg).toMatchObject({ ok: true, value: { format: 'apkg', deckName: 'deck-name', notes: 3, added: 3 } });
    const csv = await callAsUi('decks.importPreview', { uploadId: opened[1].uploadId, fileName: opened[1].fileName, csv: { mapping: { front: 0, back: 1 } } });
    expect(csv).toMatchObject({
      ok: true,
      value: { format: 'csv', notes: 2, csvSample: [['What does the KV cache store?', 'Keys and values of past tokens'], ['Why tile attention?', 'To stay in SRAM']] },
    });
    const decks = await callAsUi('decks.list', {});
    expect(decks.ok && (decks.value as { name: string }[]).map((deck) => deck.name)).not.toContain('deck-name');
  });

  it('a second launch with a file brings the window to the front and opens the file there; an unknown type is refused', async () => {
    const window = uiWindow();
    window.minimized = true;
    const sentBefore = window.webContents.sent.length;
    const second = join(downloads, 'second.apkg');
    copyFileSync(launchFile, second);
    fake.app.emit('second-instance', new fake.FakeEvent(), ['/opt/ProofDeck/proofdeck', '--allow-file-access-from-files', 'second.apkg', 'notes.pdf'], downloads);
    expect(window.minimized).toBe(false);
    const opened = await takeOpened(2);
    expect(opened.map((file) => [file.fileName, file.uploadId !== null, file.error?.code ?? null])).toEqual([
      ['second.apkg', true, null],
      ['notes.pdf', false, 'import-unsupported'],
    ]);
    expect(window.webContents.sent.slice(sentBefore)).toContainEqual(['api-event', 'menu', { command: 'open-file' }]);
    const preview = await callAsUi('decks.importPreview', { uploadId: opened[0].uploadId, fileName: opened[0].fileName });
    expect(preview).toMatchObject({ ok: true, value: { deckName: 'deck-name', notes: 3 } });
  });
});

describe('Electron main: windows and security', () => {
  it('enables the sandbox for all renderers before the app is ready, and takes the single-instance lock', () => {
    expect(fake.app.sandboxEnabled).toBe(true);
    expect(fake.app.sandboxEnabledBeforeReady).toBe(true);
  });

  it('registers app:// as a standard, secure scheme before ready, without CSP bypass', () => {
    expect(fake.protocol.privilegedBeforeReady).toBe(true);
    expect(fake.protocol.privileged).toEqual([{ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true, bypassCSP: false }) }]);
  });

  it('gives every window isolated, sandboxed webPreferences without Node', () => {
    expect(fake.BrowserWindow.windows.length).toBeGreaterThan(0);
    for (const window of fake.BrowserWindow.windows) {
      expect(window.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    }
    expect(uiWindow().webContents.mainFrame.url).toBe('app://proofdeck/index.html');
  });

  it('runs experiments in a hidden engine window with the same secure webPreferences', async () => {
    const run = await callAsUi('experiments.run', { experimentId: 'flash-exact' });
    expect(run).toMatchObject({ ok: true, value: { runId: expect.any(Number) } });
    const engine = await vi.waitFor(() => {
      const found = fake.BrowserWindow.windows.find((w) => String(w.options.webPreferences?.preload ?? '').endsWith('enginePreload.cjs'));
      if (!found) throw new Error('no engine window yet');
      return found;
    });
    expect(engine.isVisible()).toBe(false);
    expect(engine.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    expect(engine.webContents.mainFrame.url).toBe('app://proofdeck/engine-page/index.html');
    // The engine page's own channel is not the API: it cannot call services.
    const fromEngine = await fake.ipcMain.invokeFrom(engine.webContents, engine.webContents.mainFrame, 'api', 'settings.get', {});
    expect(fromEngine).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const runId = (run as { value: { runId: number } }).value.runId;
    await callAsUi('experiments.cancel', { runId });
  });

  it('refuses navigation away from the app, and opens only http(s) links in the browser', () => {
    const contents = uiWindow().webContents;
    const away = new fake.FakeEvent('https://example.com/paper');
    contents.emit('will-navigate', away, away.url);
    expect(away.defaultPrevented).toBe(true);
    const local = new fake.FakeEvent('file:///etc/passwd');
    contents.emit('will-navigate', local, local.url);
    expect(local.defaultPrevented).toBe(true);
    expect(fake.shell.opened).toEqual(['https://example.com/paper']);
  });

  it('denies window.open, handing http(s) URLs to the browser only', () => {
    const open = uiWindow().webContents.windowOpenHandler;
    expect(open).not.toBeNull();
    expect(open!({ url: 'https://arxiv.org/abs/2205.14135' })).toEqual({ action: 'deny' });
    expect(open!({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(open!({ url: 'file:///home/user/.ssh/id_rsa' })).toEqual({ action: 'deny' });
    expect(fake.shell.opened).toContain('https://arxiv.org/abs/2205.14135');
    expect(fake.shell.opened.some((u) => !/^https?:/.test(u))).toBe(false);
  });

  it('guards every webContents created later (the engine window, anything a page tries)', () => {
    const other = new fake.BrowserWindow({ show: false, webPreferences: {} });
    const event = new fake.FakeEvent('https://evil.example/');
    other.webContents.emit('will-navigate', event, event.url);
    expect(event.defaultPrevented).toBe(true);
    expect(other.webContents.windowOpenHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    other.close();
  });

  it('denies permission requests and checks', () => {
    const session = fake.session.defaultSession;
    let granted: boolean | undefined;
    session.permissionRequestHandler!(uiWindow().webContents, 'media', (answer) => (granted = answer));
    expect(granted).toBe(false);
    expect(session.permissionCheckHandler!(uiWindow().webContents, 'notifications')).toBe(false);
  });

  it('serves the packaged pages over app:// with the CSP header, by real path, and nothing over file://', async () => {
    const app = fake.protocol.handlers.get('app');
    expect(app).toBeDefined();
    const page = await app!(new Request(uiWindow().webContents.mainFrame.url));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('<title>ProofDeck</title>');
    expect((await app!(new Request('app://proofdeck/assets/index.js'))).headers.get('content-type')).toMatch(/^text\/javascript/);
    const leak = await app!(new Request('app://proofdeck/assets/leak.js'));
    expect(leak.status).toBe(403);
    expect(await leak.text()).not.toContain('TOP SECRET');
    const file = fake.protocol.handlers.get('file');
    for (const url of [pathToFileURL('/etc/passwd').href, pathToFileURL(join(rendererDir, 'index.html')).href]) {
      expect((await file!(new Request(url))).status, url).toBe(403);
    }
  });
});

describe('Electron main: the API over IPC', () => {
  it('opens the database at userData/proofdeck.sqlite', () => {
    expect(existsSync(join(userData, 'proofdeck.sqlite'))).toBe(true);
  });

  it('has one api channel, reaching a handler for every method of the contract', async () => {
    expect([...fake.ipcMain.handlers.keys()]).toEqual(['api']);
    const today = await callAsUi('review.today', {});
    expect(today.ok && (today.value as { dueNow: number }).dueNow).toBeGreaterThan(0); // the built-in deck
    await expect(callAsUi('app.info', {})).resolves.toMatchObject({ ok: true, value: { host: 'electron', dataDir: userData } });
    await expect(callAsUi('settings.set', { newPerDay: 12 })).resolves.toMatchObject({ ok: true, value: { newPerDay: 12 } });
    await expect(callAsUi('fs.readFile', { path: '/etc/passwd' })).resolves.toMatchObject({ ok: false, error: { code: 'unknown-method' } });
    for (const method of methods) {
      const reply = await callAsUi(method, { __probe: true });
      // Strict schemas refuse the probe before the handler runs: proof the method is routed.
      expect(reply, method).toMatchObject({ ok: false, error: { code: 'invalid-args' } });
    }
    expect(methods.length).toBe(Object.keys(contract).length);
    // Methods that take no required arguments get a real answer: a handler ran, not a crash.
    for (const method of methods.filter((m) => contract[m].args.safeParse({}).success)) {
      const reply = await callAsUi(method, {});
      if (!reply.ok) expect(reply.error, method).not.toMatchObject({ code: 'internal' });
    }
  });

  it('refuses calls from another webContents, a sub-frame, or a page that is not ours', async () => {
    const ui = uiWindow().webContents;
    const stranger = new fake.FakeWebContents();
    await stranger.loadFile(join(userData, 'index.html'));
    const fromStranger = await fake.ipcMain.invokeFrom(stranger, stranger.mainFrame, 'api', 'settings.get', {});
    expect(fromStranger).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    const subFrame = new fake.FakeFrame(ui.mainFrame);
    subFrame.url = ui.mainFrame.url;
    const fromSubFrame = await fake.ipcMain.invokeFrom(ui, subFrame, 'api', 'settings.get', {});
    expect(fromSubFrame).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    expect(await fake.ipcMain.invokeFrom(ui, null, 'api', 'settings.get', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    const ours = ui.mainFrame.url;
    try {
      // Another page, or our own files over file:// (an origin shared with the whole disk).
      for (const url of ['https://evil.example/', pathToFileURL(join(rendererDir, 'index.html')).href, 'app://proofdeck/engine-page/index.html']) {
        ui.mainFrame.url = url;
        const fromElsewhere = await fake.ipcMain.invokeFrom(ui, ui.mainFrame, 'api', 'settings.set', { newPerDay: 0 });
        expect(fromElsewhere, url).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      }
    } finally {
      ui.mainFrame.url = ours;
    }
    await expect(callAsUi('settings.get', {})).resolves.toMatchObject({ ok: true, value: { newPerDay: 12 } });
  });

  it('installs an app menu whose Import…, Undo and Redo send menu events to the UI', () => {
    const template = fake.Menu.applicationMenu?.template as MenuItem[];
    const all = (items: MenuItem[]): MenuItem[] => items.flatMap((i) => [i, ...all(i.submenu ?? [])]);
    expect(all(template).map((i) => i.role)).toEqual(expect.arrayContaining(['quit', 'copy', 'paste', 'zoomIn', 'togglefullscreen']));
    all(template).find((i) => i.label === 'Import…')!.click!();
    expect(uiWindow().webContents.sent).toContainEqual(['api-event', 'menu', { command: 'import' }]);
    all(template).find((i) => i.label === 'Redo')!.click!();
    expect(uiWindow().webContents.sent).toContainEqual(['api-event', 'menu', { command: 'redo' }]);
  });

  it('focuses the existing window when a second instance starts', () => {
    const window = uiWindow();
    window.minimized = true;
    const before = window.focused;
    fake.app.emit('second-instance');
    expect(window.minimized).toBe(false);
    expect(window.focused).toBe(before + 1);
  });

  it('closes the database cleanly on quit', async () => {
    expect(existsSync(join(userData, 'proofdeck.sqlite-wal'))).toBe(true);
    fake.app.emit('before-quit');
    // SQLite checkpoints and removes the write-ahead log when the last connection closes.
    expect(existsSync(join(userData, 'proofdeck.sqlite-wal'))).toBe(false);
    await expect(callAsUi('settings.get', {})).resolves.toMatchObject({ ok: false });
  });
});

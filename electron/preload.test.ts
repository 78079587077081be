import { describe, expect, it, vi } from 'vitest';
import { methods } from '../src/shared/contract';

// The real 'electron' module cannot load here (no binary); the preload runs against a recording
// stand-in whose ipcRenderer is linked to a fake ipcMain.
vi.mock('electron', () => import('./testing/fake-electron'));

const fake = await import('./testing/fake-electron');
const page = new fake.FakeWebContents();
fake.ipcRenderer.contents = page;
await import('./preload');
const api = fake.contextBridge.exposed.get('api') as Record<string, unknown>;

describe('preload', () => {
  it('exposes exactly the contract methods plus on, and nothing else', () => {
    expect([...fake.contextBridge.exposed.keys()]).toEqual(['api']);
    expect(Object.keys(api).sort()).toEqual([...methods, 'on'].sort());
    for (const key of Object.keys(api)) expect(typeof api[key]).toBe('function');
    // ipcRenderer itself (or anything with its methods) never reaches the page.
    expect(api).not.toHaveProperty('invoke');
    expect(api).not.toHaveProperty('send');
    expect(api).not.toHaveProperty('ipcRenderer');
  });

  it('sends every method over the one api channel with its name and arguments', async () => {
    fake.ipcMain.handle('api', (_event, method, args) => ({ ok: true, value: { method, args } }));
    try {
      for (const method of methods) {
        const call = api[method] as (args: unknown) => Promise<unknown>;
        await expect(call({ probe: method })).resolves.toEqual({ ok: true, value: { method, args: { probe: method } } });
      }
      expect(new Set(fake.ipcRenderer.invocations.map((i) => i[0]))).toEqual(new Set(['api']));
    } finally {
      fake.ipcMain.removeHandler('api');
    }
  });

  it('delivers only the subscribed event, with its payload alone, until unsubscribed', () => {
    const on = api.on as (event: string, listener: (payload: unknown) => void) => () => void;
    const seen: unknown[] = [];
    const stop = on('progress', (payload) => seen.push(payload));
    const progress = { jobId: 'j1', fraction: 0.5, message: 'half' };
    fake.ipcRenderer.emit('api-event', { sender: 'ipc event object' }, 'progress', progress);
    fake.ipcRenderer.emit('api-event', {}, 'menu', { command: 'import' });
    stop();
    fake.ipcRenderer.emit('api-event', {}, 'progress', { jobId: 'j2', fraction: 1, message: 'late' });
    expect(seen).toEqual([progress]);
  });

  it('refuses to subscribe to an event the contract does not declare', () => {
    const on = api.on as (event: string, listener: (payload: unknown) => void) => () => void;
    expect(() => on('ipc-internal', () => {})).toThrow(/unknown event/);
  });
});

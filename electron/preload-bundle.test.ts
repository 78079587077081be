import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runInNewContext } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { methods } from '../src/shared/contract';

// The preload runs in a sandboxed renderer, where `require` knows only 'electron' (and a few
// polyfills) and ESM is not supported. Build it exactly as electron-vite does and run the bundle in
// a bare VM context with such a require.

const root = resolve(__dirname, '..');
const outDir = mkdtempSync(join(tmpdir(), 'proofdeck-preload-'));

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

async function buildPreload(): Promise<string> {
  process.env.NODE_ENV_ELECTRON_VITE = 'production';
  const { resolveConfig } = await import('electron-vite');
  const { build } = await import('vite');
  const resolved = await resolveConfig({ root, logLevel: 'silent' }, 'build', 'production');
  const preload = resolved.config?.preload;
  if (!preload?.build) throw new Error('electron.vite.config.ts has no preload build');
  preload.build.outDir = outDir;
  preload.build.emptyOutDir = false;
  await build(preload);
  return readFileSync(join(outDir, 'preload.cjs'), 'utf8');
}

const requiredModules = (code: string): Set<string> => new Set([...code.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]));

describe('preload bundle', () => {
  it('is CommonJS that requires only electron and exposes the contract', async () => {
    const code = await buildPreload();
    expect(requiredModules(code)).toEqual(new Set(['electron']));
    expect(code).not.toMatch(/^\s*(import|export)\s/m);
    // The hidden engine window's preload is built alongside, under the same rule.
    const engine = readFileSync(join(outDir, 'enginePreload.cjs'), 'utf8');
    expect(requiredModules(engine)).toEqual(new Set(['electron']));

    const exposed = new Map<string, Record<string, unknown>>();
    const electron = {
      contextBridge: { exposeInMainWorld: (key: string, api: Record<string, unknown>) => exposed.set(key, api) },
      ipcRenderer: { invoke: async () => ({ ok: true, value: null }), on: () => {}, removeListener: () => {} },
    };
    const sandboxRequire = (name: string): unknown => {
      if (name === 'electron') return electron;
      throw new Error(`module not found in the sandbox: ${name}`);
    };
    const module = { exports: {} };
    runInNewContext(code, { require: sandboxRequire, module, exports: module.exports, console, Object, Promise, Error });
    expect(Object.keys(exposed.get('api') ?? {}).sort()).toEqual([...methods, 'on'].sort());
  });
});

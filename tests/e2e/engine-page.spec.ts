import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { expect, test } from '@playwright/test';
import { ensureRenderer, repoRoot } from './support/host';

// The BUILT hidden engine page (out/renderer/engine-page, what Electron's hidden window loads) in
// Chromium with WebGPU on: it acquires navigator.gpu and runs flash-exact from the registry.

const rendererDir = join(repoRoot, 'out', 'renderer');
const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
/** What src/engine-page/main.ts exposes when opened outside Electron (no DOM lib in this tsconfig). */
interface EnginePageApi {
  run(request: { experimentId: string; params: Record<string, unknown>; backend: 'webgpu' }): Promise<
    | { ok: true; result: { device: { name: string; backend: string }; verdict: { holds: boolean; summary: { en: string } }; metrics: Record<string, unknown> } }
    | { ok: false; error: { code: string; message: string } }
  >;
  progress: unknown[];
}
type PageGlobal = { proofdeckEngine: EnginePageApi };

let server: Server;
let origin = '';

test.beforeAll(async () => {
  ensureRenderer();
  server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    readFile(join(rendererDir, path)).then(
      (body) => response.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' }).end(body),
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

test('the built engine page runs flash-exact in Chromium WebGPU, and the verdict holds', async ({ page }) => {
  test.setTimeout(240_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${origin}/engine-page/index.html`);
  await expect(page.locator('#status')).toHaveText('engine page ready');
  const outcome = await page.evaluate(() =>
    (globalThis as unknown as PageGlobal).proofdeckEngine.run({ experimentId: 'flash-exact', params: { n: 130, headDim: 32, heads: 2, causal: true, seed: 21 }, backend: 'webgpu' }),
  );
  expect(errors).toEqual([]);
  if (!outcome.ok) throw new Error(`engine page failed: ${outcome.error.code}: ${outcome.error.message}`);
  const result = outcome.result;
  console.log(`engine page (Chromium ${result.device.name}): ${result.verdict.summary.en}`);
  expect(result.device.backend).toBe('webgpu');
  expect(result.verdict.holds).toBe(true);
  expect(result.metrics.flashMaxRelativeError as number).toBeLessThan(1e-5);
  const progress = await page.evaluate(() => (globalThis as unknown as PageGlobal).proofdeckEngine.progress.length);
  expect(progress).toBeGreaterThan(1);
  // Params outside the bounds are refused by the page too, with a typed error.
  const refused = await page.evaluate(() => (globalThis as unknown as PageGlobal).proofdeckEngine.run({ experimentId: 'flash-exact', params: { n: 10 ** 7 }, backend: 'webgpu' }));
  expect(refused.ok).toBe(false);
  if (!refused.ok) expect(refused.error.code).toBe('invalid-args');
});

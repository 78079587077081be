import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { expect, test } from '@playwright/test';
import type { ExperimentResult } from '../../src/experiments/types';

// An experiment on Chromium's own WebGPU (--enable-unsafe-webgpu: SwiftShader here), as the
// Electron app runs it in its hidden engine page: the device-memory tracker wraps Chromium's
// GPUDevice, and the refusal of standard attention at the size N×N no longer fits is Chromium's own.
let server: Server;
let origin = '';

test.beforeAll(async () => {
  const bundle = await build({
    entryPoints: [fileURLToPath(new URL('./engine/chromium-experiment-entry.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
  });
  const script = bundle.outputFiles[0].text;
  const page = '<!doctype html><meta charset="utf-8"><title>experiment check</title><script type="module" src="/experiment.js"></script>';
  server = createServer((request, response) => {
    if (request.url === '/experiment.js') response.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    else if (request.url === '/') response.writeHead(200, { 'content-type': 'text/html' }).end(page);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

test('flash-vs-naive in Chromium WebGPU: memory tracked on its device, standard refused by it, flash run there', async ({ page }) => {
  test.setTimeout(300_000);
  page.on('console', (message) => console.log(`[page] ${message.text()}`));
  await page.goto(`${origin}/`);
  await page.waitForFunction(() => 'runInChromium' in globalThis);
  const result = await page.evaluate(() =>
    (globalThis as unknown as { runInChromium: (id: string, params: Record<string, unknown>) => Promise<ExperimentResult> }).runInChromium('flash-vs-naive', { maxN: 128, headDim: 16 }),
  );
  console.log(`Chromium: ${result.device.name}: ${result.verdict.outcome} — ${result.verdict.summary.en}`);
  const check = (arm: 'verdict' | 'control', id: string) => result[arm].checks.find((c) => c.id === id)!;
  expect(check('verdict', 'linear-memory').outcome).toBe('holds');
  expect(check('control', 'linear-memory').outcome).toBe('does-not-hold');
  expect(check('verdict', 'fits-at-limit').outcome).toBe('holds');
  const refused = check('control', 'fits-at-limit');
  expect(refused.outcome).toBe('does-not-hold');
  expect(String(refused.evidence.find((e) => e.id.endsWith('deviceMessage'))?.value)).toMatch(/size|limit|binding/i);
  expect(result.control.outcome).toBe('does-not-hold');
  expect(result.roofline?.bandwidthGBs).toBeGreaterThan(0);
  // Measured bytes: flash's extra memory is L (4·N bytes) plus a few uniforms, not a formula's figure.
  const flashExtra = result.metrics.flashExtraBytes as number;
  expect(flashExtra).toBeGreaterThanOrEqual(4 * 128);
  expect(flashExtra).toBeLessThan(4 * 128 + 512);
});

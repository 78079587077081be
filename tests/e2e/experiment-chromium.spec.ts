import { expect, test } from '@playwright/test';
import { bundleServerForFile } from './support/bundle-server';
import type { ExperimentResult } from '../../src/experiments/types';

// An experiment on Chromium's own WebGPU (--enable-unsafe-webgpu: SwiftShader here), as the
// Electron app runs it in its hidden engine page: the device-memory tracker wraps Chromium's
// GPUDevice, and the refusal of standard attention at the size N×N no longer fits is Chromium's own.
const origin = bundleServerForFile(new URL('./engine/chromium-experiment-entry.ts', import.meta.url), 'experiment check');

test('flash-vs-naive in Chromium WebGPU: memory tracked on its device, standard refused by it, flash run there', async ({ page }) => {
  test.setTimeout(300_000);
  page.on('console', (message) => console.log(`[page] ${message.text()}`));
  await page.goto(`${origin()}/`);
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

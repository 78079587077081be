import { expect, test } from '@playwright/test';
import { bundleServerForFile } from './support/bundle-server';
import type { AttentionShape } from '../../src/engine';

// The engine's forward kernels inside Chromium's own WebGPU (--enable-unsafe-webgpu, SwiftShader
// here): the same modules the app's engine page loads, bundled with esbuild and served locally.
const origin = bundleServerForFile(new URL('./engine/chromium-entry.ts', import.meta.url), 'engine check');

test('standard and flash attention run in Chromium WebGPU and match the float64 reference', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto(`${origin()}/`);
  await page.waitForFunction(() => 'runEngineCheck' in globalThis);
  const seed = Math.floor(Math.random() * 2 ** 31);
  const shapes: AttentionShape[] = [
    { batchHeads: 2, n: 65, d: 64, causal: false },
    { batchHeads: 1, n: 130, d: 32, causal: true },
  ];
  const result = await page.evaluate(
    ([seedValue, shapeList]) => (globalThis as unknown as { runEngineCheck: (seed: number, shapes: unknown) => Promise<{ device: { name: string }; cases: { kernel: string; n: number; d: number; causal: boolean; outputError: number; lseError: number }[] }> }).runEngineCheck(seedValue, shapeList),
    [seed, shapes] as const,
  );
  console.log(`Chromium adapter: ${JSON.stringify(result.device)} (seed ${seed})`);
  expect(result.cases).toHaveLength(shapes.length * 3);
  for (const entry of result.cases) {
    console.log(`chromium N=${entry.n} d=${entry.d} causal=${entry.causal} ${entry.kernel}: O ${entry.outputError.toExponential(2)} L ${entry.lseError.toExponential(2)}`);
    expect(entry.outputError, `${entry.kernel} O`).toBeLessThan(1e-5);
    expect(entry.lseError, `${entry.kernel} L`).toBeLessThan(1e-5);
  }
});

import { defineConfig } from '@playwright/test';

// Playwright's own browser download does not work here; Debian's Chromium is used instead.
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: 'tests/e2e',
  // Playwright empties its output folder on every run; screenshots live beside it, in
  // test-results/screenshots, so one spec's run does not erase another's artifacts.
  outputDir: 'test-results/playwright',
  timeout: 120_000,
  expect: { timeout: 20_000 },
  workers: 1,
  reporter: [['list']],
  use: {
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: chromiumPath,
      args: [
        '--no-sandbox',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--enable-unsafe-webgpu',
      ],
    },
  },
});

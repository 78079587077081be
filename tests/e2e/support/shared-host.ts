import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from '@playwright/test';
import { ensureRenderer, removeDataDir, repoRoot, startHost, type RunningHost } from './host';

/**
 * One browser host for a whole spec file, its tests run in order: built and started before the
 * first test, stopped (SIGTERM, a clean close) and its data directory removed after the last.
 * Returns the running host; call it inside tests, not at module level.
 */
export function sharedHostForFile(): () => RunningHost {
  let host: RunningHost | undefined;
  test.describe.configure({ mode: 'serial' });
  test.beforeAll(async () => {
    ensureRenderer();
    host = await startHost();
  });
  test.afterAll(async () => {
    await host?.stop('SIGTERM');
    if (host) removeDataDir(host.dataDir);
  });
  return () => {
    if (!host) throw new Error('the shared host has not started');
    return host;
  };
}

/**
 * Hosts a spec file starts itself (one per locale or per data set), its tests run in order: push
 * each started host onto `hosts`; all are stopped and their data removed after the last test.
 * `screenshots` is the folder the screenshots go to, made before the first test.
 */
export function hostsForFile(): { hosts: RunningHost[]; screenshots: string } {
  const hosts: RunningHost[] = [];
  const screenshots = join(repoRoot, 'test-results', 'screenshots');
  test.describe.configure({ mode: 'serial' });
  test.beforeAll(() => {
    ensureRenderer();
    mkdirSync(screenshots, { recursive: true });
  });
  test.afterAll(async () => {
    for (const host of hosts) {
      await host.stop('SIGTERM');
      removeDataDir(host.dataDir);
    }
  });
  return { hosts, screenshots };
}

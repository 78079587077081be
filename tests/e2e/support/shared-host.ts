import { test } from '@playwright/test';
import { ensureRenderer, removeDataDir, startHost, type RunningHost } from './host';

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

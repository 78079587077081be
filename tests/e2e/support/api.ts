import { expect, type Page } from '@playwright/test';

/**
 * Calls a service method on the browser host at `baseUrl` as the page does (its session token
 * from the page's meta tag), expecting it to succeed; returns its value.
 */
export async function callHostApi<T>(page: Page, baseUrl: string, method: string, args: object = {}): Promise<T> {
  const token = await page.locator('meta[name="proofdeck-token"]').getAttribute('content');
  const reply = await page.request.post(`${baseUrl}api/call/${method}`, { headers: { 'x-proofdeck-token': token ?? '' }, data: args });
  const envelope = (await reply.json()) as { ok: boolean; value?: unknown; error?: unknown };
  expect(envelope.ok, JSON.stringify(envelope.error)).toBe(true);
  return envelope.value as T;
}

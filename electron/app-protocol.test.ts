import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { appOrigin, appSchemePrivileges, enginePageUrl, serveAppRequest, uiPageUrl } from './app-protocol';
import { contentSecurityPolicy } from './security';

// The app:// handler over a real renderer folder on disk, with the links a tampered install (or a
// hostile deck that managed to write there) could hold.

const root = mkdtempSync(join(tmpdir(), 'proofdeck-app-protocol-'));
const rendererDir = join(root, 'renderer');
mkdirSync(join(rendererDir, 'assets'), { recursive: true });
mkdirSync(join(rendererDir, 'engine-page'));
writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>ProofDeck</title>');
writeFileSync(join(rendererDir, 'engine-page', 'index.html'), '<!doctype html><title>engine</title>');
writeFileSync(join(rendererDir, 'assets', 'index-abc.js'), 'console.log("ui")');
writeFileSync(join(root, 'secret.txt'), 'TOP SECRET');
mkdirSync(join(root, 'elsewhere'));
writeFileSync(join(root, 'elsewhere', 'x.js'), 'TOP SECRET too');
symlinkSync(join(root, 'secret.txt'), join(rendererDir, 'assets', 'leak.js'));
symlinkSync(join(root, 'elsewhere'), join(rendererDir, 'linked'));
symlinkSync(join(rendererDir, 'assets', 'index-abc.js'), join(rendererDir, 'assets', 'alias.js'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const csp = contentSecurityPolicy();
const get = (url: string, method = 'GET') => serveAppRequest({ url, method }, { rendererDir, csp });

describe('app:// protocol', () => {
  it('serves both pages and their assets with MIME types and the CSP header', async () => {
    const page = await get(uiPageUrl);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(csp);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await page.text()).toContain('<title>ProofDeck</title>');
    expect(await (await get(enginePageUrl)).text()).toContain('<title>engine</title>');
    const script = await get(`${appOrigin}/assets/index-abc.js`);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('cache-control')).toContain('immutable');
    expect(await (await get(`${appOrigin}/assets/alias.js`)).text()).toBe('console.log("ui")');
    expect((await get(`${appOrigin}/assets/index-abc.js`, 'HEAD')).status).toBe(200);
  });

  it('follows no link out of the renderer folder and serves nothing outside it', async () => {
    for (const url of [
      `${appOrigin}/assets/leak.js`,
      `${appOrigin}/linked/x.js`,
      `${appOrigin}/%2e%2e/secret.txt`,
      `${appOrigin}/assets/..%2f..%2fsecret.txt`,
      `${appOrigin}/%2e%2e%5csecret.txt`,
      `${appOrigin}/index.html%00.js`,
    ]) {
      const reply = await get(url);
      expect([403, 404], url).toContain(reply.status);
      expect(await reply.text(), url).not.toContain('TOP SECRET');
    }
    // `..` in the URL itself is resolved by the URL parser, inside the origin: nothing there.
    expect((await get(`${appOrigin}/../secret.txt`)).status).toBe(404);
  });

  it('answers only its own host, and only GET and HEAD', async () => {
    expect((await get('app://elsewhere/index.html')).status).toBe(403);
    expect((await get('file:///etc/passwd')).status).toBe(403);
    expect((await get(uiPageUrl, 'POST')).status).toBe(405);
    expect((await get(`${appOrigin}/missing.js`)).status).toBe(404);
  });

  it('is a standard, secure scheme (an origin for the CSP, a secure context for WebGPU) that does not bypass the CSP', () => {
    expect(appSchemePrivileges).toMatchObject({ standard: true, secure: true, bypassCSP: false });
  });
});

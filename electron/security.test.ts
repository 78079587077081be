import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, externalUrl, isTrustedUiUrl, secureWebPreferences } from './security';

describe('secureWebPreferences', () => {
  it('isolates, sandboxes and keeps Node out, whatever the caller asks for', () => {
    const preferences = secureWebPreferences({ preload: '/app/out/preload/preload.cjs', backgroundThrottling: false });
    expect(preferences).toMatchObject({
      preload: '/app/out/preload/preload.cjs',
      backgroundThrottling: false,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    // Options that would weaken it are not part of the builder's input.
    const sneaky = { preload: '/p.cjs', sandbox: false, nodeIntegration: true } as unknown as Parameters<typeof secureWebPreferences>[0];
    expect(secureWebPreferences(sneaky)).toMatchObject({ sandbox: true, nodeIntegration: false });
  });
});

describe('contentSecurityPolicy', () => {
  it('allows scripts only from our own files in the packaged app', () => {
    const policy = contentSecurityPolicy();
    expect(policy).toContain("script-src 'self'");
    expect(policy).not.toMatch(/script-src[^;]*unsafe/);
    expect(policy).toContain("object-src 'none'");
    expect(policy).toContain("connect-src 'self'");
  });
});

describe('externalUrl', () => {
  it('accepts http and https pages only', () => {
    expect(externalUrl('https://arxiv.org/abs/2205.14135')).toBe('https://arxiv.org/abs/2205.14135');
    expect(externalUrl('http://example.com')).toBe('http://example.com/');
    for (const bad of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'ms-msdt:/id', 'not a url', '', 'https://user:pw@example.com/']) {
      expect(externalUrl(bad), bad).toBeNull();
    }
  });
});

describe('isTrustedUiUrl', () => {
  const uiPageUrl = 'app://proofdeck/index.html';
  it('trusts our app:// page and the dev server, nothing else', () => {
    expect(isTrustedUiUrl(uiPageUrl, { uiPageUrl })).toBe(true);
    expect(isTrustedUiUrl(`${uiPageUrl}#/review`, { uiPageUrl })).toBe(true);
    expect(isTrustedUiUrl('app://proofdeck/engine-page/index.html', { uiPageUrl })).toBe(false);
    expect(isTrustedUiUrl('app://evil/index.html', { uiPageUrl })).toBe(false);
    expect(isTrustedUiUrl('app://user:pw@proofdeck/index.html', { uiPageUrl })).toBe(false);
    // The packaged page is no longer a file: a file:// page is never ours.
    expect(isTrustedUiUrl(pathToFileURL(join('/opt/ProofDeck/resources/app/out/renderer', 'index.html')).href, { uiPageUrl })).toBe(false);
    expect(isTrustedUiUrl('file:///tmp/evil/index.html', { uiPageUrl })).toBe(false);
    expect(isTrustedUiUrl('http://localhost:5173/', { uiPageUrl })).toBe(false);
    expect(isTrustedUiUrl('http://localhost:5173/', { uiPageUrl, devServerUrl: 'http://localhost:5173' })).toBe(true);
    expect(isTrustedUiUrl('http://localhost:5174/', { uiPageUrl, devServerUrl: 'http://localhost:5173' })).toBe(false);
    expect(isTrustedUiUrl('https://evil.example/', { uiPageUrl, devServerUrl: 'http://localhost:5173' })).toBe(false);
    expect(isTrustedUiUrl('about:blank', { uiPageUrl })).toBe(false);
  });
});

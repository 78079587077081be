import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, externalUrl, isInside, isTrustedUiUrl, secureWebPreferences } from './security';

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
  const rendererIndex = join('/opt/ProofDeck/resources/app/out/renderer', 'index.html');
  it('trusts our packaged page and the dev server, nothing else', () => {
    expect(isTrustedUiUrl(pathToFileURL(rendererIndex).href, { rendererIndex })).toBe(true);
    expect(isTrustedUiUrl(`${pathToFileURL(rendererIndex).href}#/review`, { rendererIndex })).toBe(true);
    expect(isTrustedUiUrl('file:///tmp/evil/index.html', { rendererIndex })).toBe(false);
    expect(isTrustedUiUrl(pathToFileURL(join(rendererIndex, '../engine-page/index.html')).href, { rendererIndex })).toBe(false);
    expect(isTrustedUiUrl('file://remote-host/opt/ProofDeck/resources/app/out/renderer/index.html', { rendererIndex })).toBe(false);
    expect(isTrustedUiUrl('http://localhost:5173/', { rendererIndex })).toBe(false);
    expect(isTrustedUiUrl('http://localhost:5173/', { rendererIndex, devServerUrl: 'http://localhost:5173' })).toBe(true);
    expect(isTrustedUiUrl('http://localhost:5174/', { rendererIndex, devServerUrl: 'http://localhost:5173' })).toBe(false);
    expect(isTrustedUiUrl('https://evil.example/', { rendererIndex, devServerUrl: 'http://localhost:5173' })).toBe(false);
    expect(isTrustedUiUrl('about:blank', { rendererIndex })).toBe(false);
  });
});

describe('isInside', () => {
  it('does not let .. climb out', () => {
    expect(isInside('/app/out/renderer', '/app/out/renderer/assets/index.js')).toBe(true);
    expect(isInside('/app/out/renderer', '/app/out/renderer/../main/main.js')).toBe(false);
    expect(isInside('/app/out/renderer', '/app/out/renderer-evil/x.js')).toBe(false);
  });
});

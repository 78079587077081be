import type { Protocol, Session, WebContents, WebPreferences } from 'electron';
import { appScheme, serveAppRequest } from './app-protocol';

// Electron's security checklist, in one place: every window's webPreferences come from one builder,
// every webContents gets the same navigation guards, every session the same permission policy and
// Content-Security-Policy. Only types come from 'electron', so all of this is testable in Node.

/** The settings a caller may choose; everything that bears on security is fixed here. */
export interface WindowOptions {
  /** Absolute path of the (CommonJS) preload script, if the page needs one. */
  preload?: string;
  /** The hidden engine window keeps running at full speed while hidden. */
  backgroundThrottling?: boolean;
}

/** The one webPreferences builder, for the UI window and the hidden engine window alike. */
export function secureWebPreferences(options: WindowOptions = {}): WebPreferences {
  return {
    ...(options.preload ? { preload: options.preload } : {}),
    ...(options.backgroundThrottling === undefined ? {} : { backgroundThrottling: options.backgroundThrottling }),
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
  };
}

/**
 * The Content-Security-Policy of every page we serve (Electron and the browser host). Scripts only
 * from our own files. Styles allow inline because KaTeX sets style attributes and Mermaid puts a
 * <style> element inside each SVG; both run on sanitized card HTML.
 */
export function contentSecurityPolicy(options: { dev?: boolean } = {}): string {
  const directives = [
    "default-src 'self'",
    // The Vite dev server injects an inline React-refresh preamble and talks to its HMR socket.
    options.dev ? "script-src 'self' 'unsafe-inline'" : "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    options.dev ? "connect-src 'self' ws: http://localhost:* http://127.0.0.1:*" : "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ];
  return directives.join('; ');
}

/** An URL safe to hand to the OS browser: http(s) only, no credentials; null for anything else. */
export function externalUrl(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username || url.password) return null;
  return url.href;
}

/** Where our UI may legitimately be loaded from. */
export interface TrustedOrigins {
  /** The UI page, app://proofdeck/index.html (app-protocol.ts). */
  uiPageUrl: string;
  /** The electron-vite dev server URL, in development only. */
  devServerUrl?: string;
}

/** True when `raw` is our UI page (that exact app:// URL, any hash or query) or a page of the dev server. */
export function isTrustedUiUrl(raw: string, trusted: TrustedOrigins): boolean {
  let url: URL;
  let page: URL;
  try {
    url = new URL(raw);
    page = new URL(trusted.uiPageUrl);
  } catch {
    return false;
  }
  if (url.protocol === page.protocol) return url.host === page.host && url.pathname === page.pathname && !url.username && !url.password;
  if (!trusted.devServerUrl) return false;
  try {
    return url.origin === new URL(trusted.devServerUrl).origin;
  } catch {
    return false;
  }
}

/**
 * Refuses every navigation and popup of a webContents. Links to http(s) pages open in the user's
 * browser, after parsing; anything else (file:, javascript:, custom schemes) is dropped.
 */
export function guardWebContents(contents: WebContents, openExternal: (url: string) => void): void {
  contents.on('will-navigate', (event, legacyUrl) => {
    event.preventDefault();
    const target = externalUrl(event.url ?? legacyUrl);
    if (target) openExternal(target);
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const target = externalUrl(url);
    if (target) openExternal(target);
    return { action: 'deny' };
  });
}

/** Denies every permission request and check (camera, notifications, geolocation, …). */
export function denyPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/**
 * Serves the packaged pages over app:// (app-protocol.ts: the renderer folder only, by real path,
 * with the CSP as a header), refuses every file:// request (nothing of ours is loaded from it, and
 * a page must not read the disk through it), and adds the CSP header to the dev server's pages.
 * The scheme must have been registered as privileged before the app was ready (main.ts).
 */
export function installAppProtocol(session: Session, protocol: Protocol, options: { rendererDir: string; dev: boolean }): void {
  const policy = contentSecurityPolicy({ dev: options.dev });
  protocol.handle(appScheme, (request) => serveAppRequest(request, { rendererDir: options.rendererDir, csp: policy }));
  protocol.handle('file', () => new Response('file:// is not served', { status: 403, headers: { 'Content-Type': 'text/plain; charset=utf-8' } }));
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [policy] } });
  });
}

import { resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Protocol, Session, WebContents, WebPreferences } from 'electron';

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
  /** Absolute path of the packaged renderer's index.html. */
  rendererIndex: string;
  /** The electron-vite dev server URL, in development only. */
  devServerUrl?: string;
}

/** True when `raw` is our packaged UI page (file://, that exact file) or a page of the dev server. */
export function isTrustedUiUrl(raw: string, trusted: TrustedOrigins): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol === 'file:') {
    if (url.host !== '') return false;
    return resolve(fileURLToPath(url)) === resolve(trusted.rendererIndex);
  }
  if (!trusted.devServerUrl) return false;
  try {
    return url.origin === new URL(trusted.devServerUrl).origin;
  } catch {
    return false;
  }
}

/** True when `path` is `dir` itself or inside it (after resolving `..`). */
export function isInside(dir: string, path: string): boolean {
  const root = resolve(dir);
  const target = resolve(path);
  return target === root || target.startsWith(root + sep);
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

/** What installContentSecurityPolicy needs from Electron's `net`. */
export interface NetFetch {
  fetch(input: string, init?: RequestInit & { bypassCustomProtocolHandlers?: boolean }): Promise<Response>;
}

/**
 * Serves file:// only from the packaged renderer directory, with the CSP as a response header
 * (file:// responses have no headers of their own, and onHeadersReceived does not see them), and
 * adds the header to the dev server's responses too.
 */
export function installContentSecurityPolicy(
  session: Session,
  protocol: Protocol,
  net: NetFetch,
  options: { rendererDir: string; dev: boolean },
): void {
  const policy = contentSecurityPolicy({ dev: options.dev });
  protocol.handle('file', async (request) => {
    let path: string;
    try {
      path = fileURLToPath(request.url);
    } catch {
      return new Response('bad file URL', { status: 400 });
    }
    if (!isInside(options.rendererDir, path)) return new Response('forbidden', { status: 403 });
    const response = await net.fetch(request.url, { bypassCustomProtocolHandlers: true });
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', policy);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  });
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [policy] } });
  });
}

import { readFile, stat } from 'node:fs/promises';
import { sep } from 'node:path';
import { mimeType, realStaticFile, securityHeaders } from './static-files';

// The Electron app's pages come from app://proofdeck/…, a scheme of our own, not file://. A
// file:// page is an origin shared with every file on the disk; app:// is an origin of its own,
// with a real "self" for the Content-Security-Policy, and its handler serves only the packaged
// renderer folder, by real path. Only Node's fs and the Fetch API's Response are used here, so
// this runs (and is tested) without Electron; main.ts registers it.

export const appScheme = 'app';
export const appHost = 'proofdeck';
export const appOrigin = `${appScheme}://${appHost}`;
/** The UI window's page. */
export const uiPageUrl = `${appOrigin}/index.html`;
/** The hidden engine window's page. */
export const enginePageUrl = `${appOrigin}/engine-page/index.html`;

/**
 * What the scheme may do, given to protocol.registerSchemesAsPrivileged before the app is ready:
 * standard (an origin, relative URLs, "self" in the CSP), secure (a secure context, which WebGPU
 * needs), fetch and module scripts, and V8's code cache. Not: bypassing the CSP.
 */
export const appSchemePrivileges = {
  standard: true,
  secure: true,
  supportFetchAPI: true,
  corsEnabled: true,
  codeCache: true,
  bypassCSP: false,
} as const;

function refusal(status: number, text: string): Response {
  return new Response(text, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' } });
}

/**
 * The response to one app:// request: a file of `rendererDir` whose real path stays inside it,
 * with its MIME type and the security headers (CSP included); 403 for anything that would leave
 * the folder or another host name, 404 for what is not there, 405 for anything but GET and HEAD.
 */
export async function serveAppRequest(request: { url: string; method?: string }, options: { rendererDir: string; csp: string }): Promise<Response> {
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return refusal(400, 'bad URL');
  }
  if (url.protocol !== `${appScheme}:` || url.host !== appHost) return refusal(403, 'forbidden');
  const method = request.method ?? 'GET';
  if (method !== 'GET' && method !== 'HEAD') return refusal(405, 'method not allowed');
  // The URL parser has already resolved `.` and `..` segments; encoded ones are refused by path.
  const path = await realStaticFile(options.rendererDir, url.pathname === '/' ? '/index.html' : url.pathname);
  if (path === null) return refusal(403, 'forbidden');
  if (path === 'missing') return refusal(404, 'not found');
  try {
    if (!(await stat(path)).isFile()) return refusal(404, 'not found');
  } catch {
    return refusal(404, 'not found');
  }
  const body = await readFile(path);
  return new Response(method === 'HEAD' ? null : body, {
    status: 200,
    headers: {
      ...securityHeaders(options.csp),
      'Content-Type': mimeType(path),
      'Cache-Control': path.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-store',
    },
  });
}

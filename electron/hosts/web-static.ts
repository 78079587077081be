import { readFile, realpath, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { join, sep } from 'node:path';
import { httpProtocol } from '../../src/shared/bridge';
import { mimeType, realStaticFile, securityHeaders } from '../static-files';

// The built renderer (out/renderer) as static files: only files whose real path is inside that
// directory's real path, with the right MIME type, and the per-launch token written into index.html.

/** index.html with the token meta tag; the UI reads it to pick the HTTP transport. */
export function injectToken(html: string, token: string): string {
  const meta = `<meta name="${httpProtocol.tokenMeta}" content="${token}">`;
  return /<head[^>]*>/i.test(html) ? html.replace(/<head[^>]*>/i, (head) => `${head}\n    ${meta}`) : `${meta}\n${html}`;
}

/** Serves one GET/HEAD for a static file; the root page gets the token. */
export async function serveStatic(
  response: ServerResponse,
  options: { rendererDir: string; urlPath: string; token: string; csp: string; head: boolean },
): Promise<void> {
  const path = await realStaticFile(options.rendererDir, options.urlPath);
  if (path === null) return plain(response, 403, 'forbidden');
  if (path === 'missing') return plain(response, 404, 'not found');
  try {
    if (!(await stat(path)).isFile()) return plain(response, 404, 'not found');
  } catch {
    return plain(response, 404, 'not found');
  }
  const isRootPage = path === join(await realpath(options.rendererDir), 'index.html');
  // The file read is the one checked: opened by its real path, not through the link again.
  let body: Buffer = await readFile(path);
  if (isRootPage) body = Buffer.from(injectToken(body.toString('utf8'), options.token));
  response.writeHead(200, {
    ...securityHeaders(options.csp),
    'Content-Type': mimeType(path),
    'Content-Length': String(body.length),
    // Hashed assets never change; pages (and the token in them) must not be cached.
    'Cache-Control': path.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-store',
  });
  response.end(options.head ? undefined : body);
}

/** A short text reply (errors of the static side). */
export function plain(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
  response.end(text);
}

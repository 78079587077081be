import { readFile, realpath, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { httpProtocol } from '../../src/shared/bridge';

// The built renderer (out/renderer) as static files: only files whose real path is inside that
// directory's real path, with the right MIME type, and the per-launch token written into index.html.

const mimeTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.wgsl': 'text/plain; charset=utf-8',
};

/** The MIME type for a file name; unknown kinds are served as opaque bytes. */
export function mimeType(path: string): string {
  return mimeTypes[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The file a URL path names inside `rootDir`, or null when it would leave it (`..`, encoded
 * separators, NUL) or is malformed. A directory path names its index.html.
 */
export function staticFilePath(rootDir: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  if (decoded.split('/').some((segment) => segment === '..')) return null;
  const root = resolve(rootDir);
  const target = resolve(join(root, decoded.endsWith('/') ? `${decoded}index.html` : decoded));
  if (target !== root && !target.startsWith(root + sep)) return null;
  return target;
}

/** index.html with the token meta tag; the UI reads it to pick the HTTP transport. */
export function injectToken(html: string, token: string): string {
  const meta = `<meta name="${httpProtocol.tokenMeta}" content="${token}">`;
  return /<head[^>]*>/i.test(html) ? html.replace(/<head[^>]*>/i, (head) => `${head}\n    ${meta}`) : `${meta}\n${html}`;
}

/** Headers every static response carries. */
export function securityHeaders(csp: string): Record<string, string> {
  return {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'X-Frame-Options': 'DENY',
  };
}

/**
 * The file a URL path names, by its real path (symbolic links followed), or null when that real
 * path is not inside the renderer directory's real path: a link in out/renderer pointing at
 * ~/.ssh or at the data folder is refused like `..` is. 'missing' when there is no such file.
 */
export async function realStaticFile(rendererDir: string, urlPath: string): Promise<string | null | 'missing'> {
  const path = staticFilePath(rendererDir, urlPath);
  if (!path) return null;
  let root: string;
  let real: string;
  try {
    root = await realpath(rendererDir);
    real = await realpath(path);
  } catch {
    return 'missing';
  }
  if (real !== root && !real.startsWith(root + sep)) return null;
  return real;
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

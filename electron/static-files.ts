import { realpath } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';

// The built renderer (out/renderer) as files to serve, for the browser host's HTTP server and the
// Electron app's app:// protocol alike: which file a URL path names, by its real path, and never
// one outside the renderer directory (`..`, encoded separators, symbolic links).

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


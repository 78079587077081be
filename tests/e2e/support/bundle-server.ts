import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { test } from '@playwright/test';

/**
 * Serves one esbuild bundle of `entry` (the engine modules the app's engine page loads) on a
 * local port for the whole spec file: `/` is a page that loads it as a module. Returns the
 * origin; call it inside tests.
 */
export function bundleServerForFile(entry: URL, title: string): () => string {
  let server: Server | undefined;
  let origin = '';
  test.beforeAll(async () => {
    const bundle = await build({ entryPoints: [fileURLToPath(entry)], bundle: true, format: 'esm', platform: 'browser', target: 'es2022', write: false });
    const script = bundle.outputFiles[0].text;
    const page = `<!doctype html><meta charset="utf-8"><title>${title}</title><script type="module" src="/bundle.js"></script>`;
    server = createServer((request, response) => {
      if (request.url === '/bundle.js') response.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
      else if (request.url === '/') response.writeHead(200, { 'content-type': 'text/html' }).end(page);
      else response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  test.afterAll(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });
  return () => origin;
}

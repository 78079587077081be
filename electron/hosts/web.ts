import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { bodyLimit, httpProtocol } from '../../src/shared/bridge';
import { AppError, type Envelope, type ErrorCode } from '../../src/shared/errors';
import { createTranslator, translateError } from '../../src/shared/i18n';
import { terminalLocale } from './locale';
import { acquireDataLock, type DataLock } from '../services/store/data-lock';
import { contentSecurityPolicy } from '../security';
import { startServicesThread } from './services-thread';
import { plain, serveStatic } from './web-static';

// The browser host: the same services and contract as the Electron app, behind HTTP on 127.0.0.1,
// for any browser (and for the end-to-end tests, since the Electron binary is not available here).

export interface WebHostOptions {
  /** 0 picks a free port. */
  port: number;
  dataDir: string;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /**
   * Deck files to open as if the operating system had handed them over (`--open FILE`): uploaded
   * as the services start, before any call is answered; the UI shows their import preview.
   */
  open?: string[];
}

export interface WebHost {
  /** http://127.0.0.1:PORT/ */
  url: string;
  port: number;
  /** The per-launch token every API call must carry. */
  token: string;
  /** Resolves once the services are open (calls made before simply wait); rejects if they cannot open. */
  ready: Promise<void>;
  /** Stops serving, ends event streams, closes the database. */
  close(): Promise<void>;
}

const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const keepAliveMs = 15_000;
const eventRetryMs = 1_000;
function appVersion(): string {
  const manifest = JSON.parse(readFileSync(resolve(repoRoot, 'package.json'), 'utf8')) as { version?: string };
  return manifest.version ?? '0.0.0';
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function sendEnvelope(response: ServerResponse, status: number, envelope: Envelope<unknown>): void {
  const body = JSON.stringify(envelope);
  response.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  response.end(body);
}

function refuse(response: ServerResponse, status: number, code: ErrorCode, message: string, params?: Record<string, string | number>): void {
  sendEnvelope(response, status, { ok: false, error: params ? { code, message, params } : { code, message } });
}

/**
 * The request body, or null when it is over the limit: the 413 is then sent at once, and the rest
 * of the body is read and dropped (never kept), so the browser sees the reply, not a reset.
 */
function readBody(request: IncomingMessage, response: ServerResponse, limit: number): Promise<string | null> {
  return new Promise((resolveBody, reject) => {
    const tooLarge = (): void => {
      refuse(response, 413, 'request-too-large', `request body over ${limit} bytes`, { limit });
      chunks.length = 0;
      resolveBody(null);
    };
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = Number(request.headers['content-length'] ?? 0) > limit;
    if (refused) tooLarge();
    request.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > limit) {
        refused = true;
        tooLarge();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      if (!refused) resolveBody(Buffer.concat(chunks).toString('utf8'));
    });
    request.on('error', reject);
  });
}

/** Starts the browser host; resolves once it listens on 127.0.0.1 (see `ready` for the services). */
export async function startWebHost(options: WebHostOptions & { maxBodyBytes?: number }): Promise<WebHost> {
  const token = randomBytes(32).toString('hex');
  const csp = contentSecurityPolicy();
  const maxBodyBytes = options.maxBodyBytes ?? httpProtocol.maxBodyBytes;
  const streams = new Set<ServerResponse>();
  // One writer per data folder: taken here, before listening, so a second host says who has the
  // folder and exits instead of printing a ready line. A folder that cannot be written (or is not
  // a folder) is left to the services, which show the problem on the page.
  let lock: DataLock | null = null;
  try {
    lock = acquireDataLock(options.dataDir, 'browser-host');
  } catch (error) {
    if (error instanceof AppError && error.code === 'db-locked') throw error;
  }
  // The services load and open in their own thread from the start, while this thread listens,
  // serves the page and its scripts, and the browser parses them; calls made before wait.
  const services = startServicesThread(
    {
      dataDir: options.dataDir,
      resourcesDir: resolve(repoRoot, 'resources'),
      appVersion: appVersion(),
      dailyBackups: true,
      open: (options.open ?? []).map((path) => resolve(path)),
      lockHeld: lock !== null,
    },
    (event, payload) => {
      const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
      for (const stream of streams) stream.write(frame);
    },
  );
  let allowedHosts = new Set<string>();

  async function handleCall(request: IncomingMessage, response: ServerResponse, method: string): Promise<void> {
    if (request.method !== 'POST') return refuse(response, 405, 'forbidden', 'API calls are POST requests');
    const given = request.headers[httpProtocol.tokenHeader];
    if (typeof given !== 'string' || given === '') return refuse(response, 401, 'forbidden', 'missing token');
    // A page from this host's previous run carries its old token: it reloads itself on this code.
    if (!sameSecret(given, token)) return refuse(response, 403, 'host-restarted', 'wrong token: the host was restarted, reload the page');
    const body = await readBody(request, response, bodyLimit(method, maxBodyBytes));
    if (body === null) return;
    let args: unknown;
    try {
      args = body.trim() === '' ? {} : JSON.parse(body);
    } catch {
      return refuse(response, 400, 'invalid-args', `${method}: the body is not JSON`);
    }
    try {
      await services.ready;
    } catch (error) {
      return refuse(response, 500, 'internal', `the services could not start: ${error instanceof Error ? error.message : String(error)}`);
    }
    sendEnvelope(response, 200, await services.dispatch(method, args));
  }

  function handleEvents(request: IncomingMessage, response: ServerResponse, query: URLSearchParams): void {
    const given = query.get('token');
    if (!given) return refuse(response, 401, 'forbidden', 'missing token');
    if (!sameSecret(given, token)) return refuse(response, 403, 'forbidden', 'wrong token');
    response.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Content-Type-Options': 'nosniff',
    });
    // Reconnect within a second after the host restarts (the browser's default is about three).
    response.write(`retry: ${eventRetryMs}\n: connected\n\n`);
    streams.add(response);
    const keepAlive = setInterval(() => response.write(': keep-alive\n\n'), keepAliveMs);
    request.on('close', () => {
      clearInterval(keepAlive);
      streams.delete(response);
    });
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    // DNS rebinding: a page on another name resolving to 127.0.0.1 must not reach the API or read
    // index.html (which holds the token). Only our exact host:port is served.
    if (!allowedHosts.has(request.headers.host ?? '')) return plain(response, 403, 'forbidden host');
    const origin = request.headers.origin;
    if (origin !== undefined && !allowedHosts.has(origin.replace(/^http:\/\//, ''))) return plain(response, 403, 'forbidden origin');
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (url.pathname.startsWith(httpProtocol.callPath)) {
      let method: string;
      try {
        method = decodeURIComponent(url.pathname.slice(httpProtocol.callPath.length));
      } catch {
        return refuse(response, 400, 'unknown-method', 'the method name is not valid URL encoding');
      }
      return handleCall(request, response, method);
    }
    if (url.pathname === httpProtocol.eventsPath) return handleEvents(request, response, url.searchParams);
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(response, 405, 'method not allowed');
    await serveStatic(response, { rendererDir: options.rendererDir, urlPath: url.pathname, token, csp, head: request.method === 'HEAD' });
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      console.error('ProofDeck browser host: request failed', error);
      if (!response.headersSent) refuse(response, 500, 'internal', 'the host failed to answer');
      else response.destroy();
    });
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolveListen());
  }).catch(async (error: unknown) => {
    await services.close();
    lock?.release();
    throw error;
  });
  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | null = null;
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);

  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    token,
    ready: services.ready,
    close() {
      closing ??= new Promise<void>((resolveClose) => {
        for (const stream of streams) stream.end();
        streams.clear();
        server.close(() => resolveClose());
        server.closeAllConnections();
      })
        .then(() => services.close())
        .finally(() => lock?.release());
      return closing;
    },
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '51720' },
      data: { type: 'string', default: resolve(repoRoot, '.data/web') },
      renderer: { type: 'string', default: resolve(repoRoot, 'out/renderer') },
      /** A deck file to show the import preview of, as a double-click in the file manager would. */
      open: { type: 'string', multiple: true },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: not a port number: ${values.port}`);
  // `npm run` starts in the package's folder; a relative FILE means the folder the user typed it in.
  const open = values.open?.map((file) => resolve(process.env.INIT_CWD ?? process.cwd(), file));
  let host: WebHost;
  try {
    host = await startWebHost({ port, dataDir: resolve(values.data), rendererDir: resolve(values.renderer), open });
  } catch (error) {
    // Another ProofDeck holds the folder: say which, in the user's language, and exit.
    if (error instanceof AppError) {
      console.error(`ProofDeck browser host: ${translateError(createTranslator(terminalLocale()), error)}`);
      process.exit(1);
    }
    throw error;
  }
  host.ready.catch((error: unknown) => {
    console.error(`ProofDeck browser host: the services could not start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
  const stop = (): void => {
    host.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('ProofDeck browser host: closing failed', error);
        process.exit(1);
      },
    );
  };
  // Before the ready line: whoever reads it may stop the host at once, and a signal that came
  // before its handler would end the process without closing (and sealing) the database.
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // Announced as soon as it listens: the page loads while the services open in their thread
  // (measured on 2 cores: 1.27 s to the first card, against 1.53 s announcing once they are open).
  console.log(`ProofDeck browser host at ${host.url}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    console.error(`ProofDeck browser host: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}

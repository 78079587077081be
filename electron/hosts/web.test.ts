import Database from 'better-sqlite3';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpProtocol } from '../../src/shared/bridge';
import { createHttpTransport } from '../../src/shared/http-transport';
import { createClient, type Client } from '../../src/shared/transport';
import { AppError } from '../../src/shared/errors';
import { startWebHost, type WebHost } from './web';

// The browser host, started for real on 127.0.0.1 with a fresh data directory and a small built
// renderer, driven through the shared HTTP transport and raw HTTP.

let root: string;
let dataDir: string;
let rendererDir: string;
let host: WebHost;
let client: Client;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'proofdeck-web-'));
  dataDir = join(root, 'data');
  rendererDir = join(root, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><html><head><title>ProofDeck</title></head><body></body></html>');
  writeFileSync(join(rendererDir, 'assets', 'app-1234.js'), 'console.log("ui")');
  writeFileSync(join(rendererDir, 'assets', 'KaTeX_Main-Regular.woff2'), 'font');
  writeFileSync(join(root, 'secret.txt'), 'TOP SECRET');
  host = await startWebHost({ port: 0, dataDir, rendererDir, maxBodyBytes: 64 * 1024 });
  await host.ready;
  client = createClient(createHttpTransport(host.url.replace(/\/$/, ''), host.token));
});

afterAll(async () => {
  await host?.close();
  rmSync(root, { recursive: true, force: true });
});

interface RawReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** An HTTP request sent exactly as written (fetch would normalise `..` away). */
function raw(path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: host.port, path, method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

function revlogRows(): number {
  const db = new Database(join(dataDir, 'proofdeck.sqlite'), { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM revlog').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('browser host over the HTTP transport', () => {
  it('answers contract calls with the database in the data directory', async () => {
    const info = await client.api['app.info']({});
    expect(info).toMatchObject({ host: 'browser', dataDir, databaseProblem: null });
    const today = await client.api['review.today']({});
    expect(today.dueNow).toBe(today.counts.learning + today.counts.review + today.counts.new);
    // The built-in deck is loaded on first launch, so a fresh data directory has cards due.
    expect(today.dueNow).toBeGreaterThan(0);
    expect((await client.api['decks.list']({})).some((deck) => deck.builtIn && deck.cards > 0)).toBe(true);
    const settings = await client.api['settings.set']({ newPerDay: 7 });
    expect(settings.newPerDay).toBe(7);
    await expect(client.api['settings.get']({})).resolves.toMatchObject({ newPerDay: 7 });
  });

  it('refuses malformed arguments with invalid-args and writes nothing', async () => {
    const before = revlogRows();
    const settingsBefore = await client.api['settings.get']({});
    const failures = await Promise.allSettled([
      client.api['review.answer']({ cardId: 1, rating: 7 as 1, durationMs: 10 }),
      client.api['review.answer']({ cardId: -3, rating: 3, durationMs: 10 }),
      client.api['settings.set']({ newPerDay: -1 }),
      client.api['settings.set']({ desiredRetention: 2, newPerDay: 99 }),
      client.api['settings.set']({ dropTables: true } as never),
    ]);
    for (const failure of failures) {
      expect(failure.status).toBe('rejected');
      const reason = (failure as PromiseRejectedResult).reason as AppError;
      expect(reason).toBeInstanceOf(AppError);
      expect(reason.code).toBe('invalid-args');
    }
    expect(revlogRows()).toBe(before);
    await expect(client.api['settings.get']({})).resolves.toEqual(settingsBefore);
  });

  it('refuses calls without the token (401) or with a wrong one (403)', async () => {
    const path = `${httpProtocol.callPath}settings.get`;
    const missing = await raw(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(missing.status).toBe(401);
    expect(JSON.parse(missing.body)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const wrong = await raw(path, { method: 'POST', headers: { [httpProtocol.tokenHeader]: 'f'.repeat(64) }, body: '{}' });
    expect(wrong.status).toBe(403);
    // A wrong token is what a page from the host's previous run has: its code tells the page to reload.
    expect(JSON.parse(wrong.body)).toMatchObject({ ok: false, error: { code: 'host-restarted' } });
    const viaClient = createClient(createHttpTransport(host.url.replace(/\/$/, ''), 'not-the-token'));
    await expect(viaClient.api['settings.get']({})).rejects.toMatchObject({ code: 'host-restarted' });
    const events = await raw(`${httpProtocol.eventsPath}?token=wrong`);
    expect(events.status).toBe(403);
  });

  it('answers an unknown method and a body that is not JSON with typed errors', async () => {
    const headers = { [httpProtocol.tokenHeader]: host.token };
    const unknown = await raw(`${httpProtocol.callPath}db.exec`, { method: 'POST', headers, body: '{}' });
    expect(JSON.parse(unknown.body)).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
    const badName = await raw(`${httpProtocol.callPath}%E0%A4%A`, { method: 'POST', headers, body: '{}' });
    expect(JSON.parse(badName.body)).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
    const garbage = await raw(`${httpProtocol.callPath}settings.set`, { method: 'POST', headers, body: '{"newPerDay": 5' });
    expect(garbage.status).toBe(400);
    expect(JSON.parse(garbage.body)).toMatchObject({ ok: false, error: { code: 'invalid-args' } });
  });

  it('refuses a body over the size bound with 413 request-too-large, declared or streamed', async () => {
    const headers = { [httpProtocol.tokenHeader]: host.token, 'content-type': 'application/json' };
    const big = JSON.stringify({ backupDir: 'x'.repeat(100 * 1024) });
    const reply = await raw(`${httpProtocol.callPath}settings.set`, { method: 'POST', headers, body: big });
    expect(reply.status).toBe(413);
    expect(JSON.parse(reply.body)).toMatchObject({ ok: false, error: { code: 'request-too-large', params: { limit: 64 * 1024 } } });
    // Without a Content-Length (chunked), the reply still comes back whole rather than a reset.
    const chunked = await raw(`${httpProtocol.callPath}settings.set`, { method: 'POST', headers: { ...headers, 'transfer-encoding': 'chunked' }, body: big });
    expect(chunked.status).toBe(413);
    expect(JSON.parse(chunked.body)).toMatchObject({ error: { code: 'request-too-large' } });
    await expect(client.api['settings.get']({})).resolves.toMatchObject({ backupDir: null });
  });

  it('refuses other Host names (DNS rebinding) and cross-origin callers', async () => {
    const page = await raw('/', { headers: { host: `attacker.example:${host.port}` } });
    expect(page.status).toBe(403);
    expect(page.body).not.toContain(host.token);
    const call = await raw(`${httpProtocol.callPath}settings.get`, {
      method: 'POST',
      headers: { host: `attacker.example:${host.port}`, [httpProtocol.tokenHeader]: host.token },
      body: '{}',
    });
    expect(call.status).toBe(403);
    const crossOrigin = await raw(`${httpProtocol.callPath}settings.get`, {
      method: 'POST',
      headers: { origin: 'http://attacker.example', [httpProtocol.tokenHeader]: host.token },
      body: '{}',
    });
    expect(crossOrigin.status).toBe(403);
    const localhost = await raw('/', { headers: { host: `localhost:${host.port}` } });
    expect(localhost.status).toBe(200);
  });
});

describe('browser host start', () => {
  it('listens at once, and reports services that cannot open to ready and to every call', async () => {
    const notADirectory = join(root, 'secret.txt');
    const broken = await startWebHost({ port: 0, dataDir: notADirectory, rendererDir });
    try {
      await expect(broken.ready).rejects.toThrow();
      const page = await fetch(broken.url);
      expect(page.status).toBe(200);
      const api = createClient(createHttpTransport(broken.url.replace(/\/$/, ''), broken.token));
      await expect(api.api['settings.get']({})).rejects.toMatchObject({ code: 'internal', message: expect.stringMatching(/could not start/) });
    } finally {
      await broken.close();
    }
  });
});

describe('browser host: limits sized to real requests, one host per data folder, restarts', () => {
  it('takes the largest real request (a full 1 MiB upload chunk) and refuses a larger body with the limit named', async () => {
    const other = await startWebHost({ port: 0, dataDir: join(root, 'data-limits'), rendererDir });
    try {
      await other.ready;
      const api = createClient(createHttpTransport(other.url.replace(/\/$/, ''), other.token));
      const chunk = Buffer.alloc(1024 * 1024, 7).toString('base64');
      await expect(api.api['decks.upload']({ uploadId: 'up-limits-1', offset: 0, total: 2 * 1024 * 1024, data: chunk })).resolves.toEqual({ received: 1024 * 1024 });
      const tooBig = JSON.stringify({ backupDir: 'x'.repeat(5 * 1024 * 1024) });
      const reply = await fetch(`${other.url}api/call/settings.set`, { method: 'POST', headers: { [httpProtocol.tokenHeader]: other.token }, body: tooBig });
      expect(reply.status).toBe(413);
      expect(await reply.json()).toMatchObject({ error: { code: 'request-too-large', params: { limit: httpProtocol.maxBodyBytes } } });
      // An .apkg export carries its rendered diagrams: 6 MB of SVG is a real request, not refused for its size.
      const diagrams = Array.from({ length: 60 }, (_, i) => ({ source: `graph TD; A${i}-->B`, svg: `<svg xmlns="http://www.w3.org/2000/svg">${'<g/>'.repeat(25_000)}</svg>` }));
      await expect(api.api['decks.export']({ deckName: 'no such deck', format: 'apkg', diagrams })).rejects.toMatchObject({ code: 'not-found' });
    } finally {
      await other.close();
    }
  });

  it('a second host on the same data folder is refused, naming the first', async () => {
    await expect(startWebHost({ port: 0, dataDir, rendererDir })).rejects.toMatchObject({ code: 'db-locked', params: { path: dataDir, holder: 'npm run web', pid: String(process.pid) } });
    await expect(client.api['settings.get']({})).resolves.toMatchObject({ newPerDay: 7 });
  });

  it('after a restart on the same port, a page of the previous run is told host-restarted, and the new token works', async () => {
    const dir = join(root, 'data-restart');
    const first = await startWebHost({ port: 0, dataDir: dir, rendererDir });
    await first.ready;
    const oldPage = createClient(createHttpTransport(first.url.replace(/\/$/, ''), first.token));
    await oldPage.api['settings.set']({ newPerDay: 3 });
    await first.close();
    await expect(oldPage.api['settings.get']({})).rejects.toMatchObject({ code: 'offline' });
    const second = await startWebHost({ port: first.port, dataDir: dir, rendererDir });
    try {
      await second.ready;
      await expect(oldPage.api['settings.get']({})).rejects.toMatchObject({ code: 'host-restarted' });
      const newPage = createClient(createHttpTransport(second.url.replace(/\/$/, ''), second.token));
      await expect(newPage.api['settings.get']({})).resolves.toMatchObject({ newPerDay: 3 });
    } finally {
      await second.close();
    }
  });
});

describe('browser host static files', () => {
  it('serves index.html with the token and the CSP', async () => {
    const page = await raw('/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.body).toContain(`<meta name="${httpProtocol.tokenMeta}" content="${host.token}">`);
  });

  it('serves assets with their MIME types', async () => {
    const script = await raw('/assets/app-1234.js');
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toMatch(/^text\/javascript/);
    expect(script.headers['x-content-type-options']).toBe('nosniff');
    expect(script.body).toBe('console.log("ui")');
    const font = await raw('/assets/KaTeX_Main-Regular.woff2');
    expect(font.headers['content-type']).toBe('font/woff2');
    expect((await raw('/assets/missing.js')).status).toBe(404);
  });

  it('follows no symbolic link out of the renderer directory; links inside it are served', async () => {
    symlinkSync(join(root, 'secret.txt'), join(rendererDir, 'assets', 'leak.js'));
    mkdirSync(join(root, 'elsewhere'));
    writeFileSync(join(root, 'elsewhere', 'x.js'), 'TOP SECRET too');
    symlinkSync(join(root, 'elsewhere'), join(rendererDir, 'linked'));
    symlinkSync(join(rendererDir, 'assets', 'app-1234.js'), join(rendererDir, 'assets', 'alias.js'));
    for (const path of ['/assets/leak.js', '/linked/x.js']) {
      const reply = await raw(path);
      expect(reply.status, path).toBe(403);
      expect(reply.body, path).not.toContain('TOP SECRET');
    }
    const inside = await raw('/assets/alias.js');
    expect(inside.status).toBe(200);
    expect(inside.body).toBe('console.log("ui")');
  });

  it('never serves a file outside the renderer directory', async () => {
    for (const path of ['/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/assets/..%2f..%2fsecret.txt', '/%2e%2e%5csecret.txt', '/index.html%00.js']) {
      const reply = await raw(path);
      expect([400, 403, 404], path).toContain(reply.status);
      expect(reply.body, path).not.toContain('TOP SECRET');
    }
  });
});

describe('browser host events', () => {
  it('streams host events to a subscriber', async () => {
    const controller = new AbortController();
    const response = await fetch(`${host.url.replace(/\/$/, '')}${httpProtocol.eventsPath}?token=${host.token}`, { signal: controller.signal });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    // Starting an experiment run emits 'progress' ('starting') at once, whatever the GPU does.
    const started = await client.api['experiments.run']({ experimentId: 'flash-exact', backend: 'cpu-reference' });
    const deadline = Date.now() + 30_000;
    while (!/event: progress\ndata: .*\n\n/.test(text) && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value);
    }
    controller.abort();
    const match = /event: progress\ndata: (.*)\n\n/.exec(text);
    expect(match, text).not.toBeNull();
    expect(JSON.parse(match![1])).toMatchObject({ jobId: `run:${started.runId}`, fraction: expect.any(Number) });
    await client.api['experiments.cancel']({ runId: started.runId }).catch(() => undefined);
  });
});

describe('browser host: deck files opened with --open', () => {
  it('uploads them as the services start, so the UI finds them at its first call; a file of another kind comes with its reason', async () => {
    const files = join(root, 'opened');
    mkdirSync(files);
    const apkg = join(files, 'shared.apkg');
    copyFileSync(new URL('../../../shared/fixtures/anki/apkgexport-output.apkg', import.meta.url), apkg);
    writeFileSync(join(files, 'paper.pdf'), '%PDF-1.7\n');
    const opened = await startWebHost({ port: 0, dataDir: join(root, 'data-opened'), rendererDir, open: [apkg, join(files, 'paper.pdf')] });
    try {
      const other = createClient(createHttpTransport(opened.url.replace(/\/$/, ''), opened.token));
      const [deck, pdf] = await other.api['decks.openedFiles']({});
      expect(deck).toMatchObject({ fileName: 'shared.apkg', uploadId: expect.any(String), error: null });
      expect(pdf).toMatchObject({ fileName: 'paper.pdf', uploadId: null, error: { code: 'import-unsupported' } });
      const preview = await other.api['decks.importPreview']({ uploadId: deck.uploadId!, fileName: deck.fileName });
      expect(preview).toMatchObject({ format: 'apkg', deckName: 'deck-name', added: 3 });
      expect((await other.api['decks.list']({})).map((d) => d.name)).not.toContain('deck-name');
      expect(await other.api['decks.openedFiles']({})).toEqual([]);
    } finally {
      await opened.close();
    }
  });
});

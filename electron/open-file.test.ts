import { copyFileSync, mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxImportBytes, type EventName } from '../src/shared/contract';
import { createServices, type Services } from './services/index';
import type { CallContext } from './services/dispatch';
import { openDeckFile } from './services/opened-files';
import { filesFromArgv, OpenFileQueue } from './open-file';

// Files opened from the operating system: which arguments are files, and the one path both hosts
// take (read → upload through the real services on a real SQLite file → inbox → event).

const fixture = new URL('../../shared/fixtures/anki/apkgexport-output.apkg', import.meta.url);
let dir: string;
let services: Services;
const events: [EventName, unknown][] = [];
const call: CallContext = { emit: (event, payload) => void events.push([event, payload]) };

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'proofdeck-open-'));
  services = createServices({ dataDir: join(dir, 'data') });
});

afterAll(() => {
  services.close();
  rmSync(dir, { recursive: true, force: true });
});

async function decksList(): Promise<unknown> {
  const reply = await services.dispatch('decks.list', {}, call);
  if (!reply.ok) throw new Error(reply.error.message);
  return reply.value;
}

describe('filesFromArgv', () => {
  const appPath = '/opt/ProofDeck/resources/app.asar';

  it('returns the files named on a command line as absolute paths, skipping the executable and switches', () => {
    const argv = ['/opt/ProofDeck/proofdeck', '--enable-unsafe-webgpu', '-psn_0_12345', 'group.proofdeck', '/home/me/shared.apkg', '--original-process-start-time=1'];
    expect(filesFromArgv(argv, { cwd: '/home/me/Downloads', appPath })).toEqual(['/home/me/Downloads/group.proofdeck', '/home/me/shared.apkg']);
  });

  it('skips the app itself in development (`electron .`, `electron out/main/main.js`)', () => {
    const repo = '/work/proofdeck';
    expect(filesFromArgv(['/usr/bin/electron', '.'], { cwd: repo, appPath: repo })).toEqual([]);
    expect(filesFromArgv(['/usr/bin/electron', 'out/main/main.js', 'deck.apkg'], { cwd: repo, appPath: repo })).toEqual([`${repo}/deck.apkg`]);
  });

  it('turns file:// URLs (some Linux file managers) into paths, and keeps files of unknown type for the caller to refuse', () => {
    const url = pathToFileURL('/home/me/my deck.proofdeck').href;
    expect(filesFromArgv(['/opt/ProofDeck/proofdeck', url, 'notes.pdf'], { cwd: '/home/me', appPath })).toEqual(['/home/me/my deck.proofdeck', '/home/me/notes.pdf']);
  });

  it('takes no arguments at all (a second instance started without any)', () => {
    expect(filesFromArgv(undefined, { cwd: '/', appPath })).toEqual([]);
  });
});

describe('OpenFileQueue', () => {
  it('holds files that arrive before the app is ready and hands them over in order, then passes new ones straight on', () => {
    const queue = new OpenFileQueue();
    queue.push('/a.apkg');
    queue.push('/b.proofdeck');
    const received: string[] = [];
    queue.attach((path) => received.push(path));
    expect(received).toEqual(['/a.apkg', '/b.proofdeck']);
    queue.push('/c.csv');
    expect(received).toEqual(['/a.apkg', '/b.proofdeck', '/c.csv']);
  });
});

describe('openDeckFile', () => {
  it('uploads an Anki deck through the services: the UI previews it by upload id, nothing is imported', async () => {
    const path = join(dir, 'shared deck.apkg');
    copyFileSync(fixture, path);
    const before = await decksList();
    events.length = 0;
    const entry = await openDeckFile(path, services, call);
    expect(entry).toMatchObject({ fileName: 'shared deck.apkg', uploadId: expect.stringMatching(/^open-/), error: null });
    expect(events).toEqual([['menu', { command: 'open-file' }]]);
    expect(await services.dispatch('decks.openedFiles', {}, call)).toEqual({ ok: true, value: [entry] });
    // Each file is handed to the UI once.
    expect(await services.dispatch('decks.openedFiles', {}, call)).toEqual({ ok: true, value: [] });
    const preview = await services.dispatch('decks.importPreview', { uploadId: entry.uploadId, fileName: entry.fileName }, call);
    expect(preview).toMatchObject({ ok: true, value: { format: 'apkg', deckName: 'deck-name', notes: 3, added: 3 } });
    expect(await decksList()).toEqual(before);
  });

  it('uploads the file byte for byte, in 1 MiB chunks for a large one', async () => {
    // A CSV larger than two chunks whose last rows the preview does not sample: its row count is
    // checked by importing; its first rows come back in the preview's sample.
    const rows = Array.from({ length: 14_000 }, (_, i) => `front ${i} ${'x'.repeat(70)},back ${i}`);
    const path = join(dir, 'big.csv');
    writeFileSync(path, rows.join('\n'));
    const entry = await openDeckFile(path, services, call);
    expect(entry.error).toBeNull();
    const args = { uploadId: entry.uploadId, fileName: entry.fileName, deckName: 'Big CSV', csv: { mapping: { front: 0, back: 1 } } };
    const preview = await services.dispatch('decks.importPreview', args, call);
    expect(preview).toMatchObject({ ok: true, value: { notes: 14_000, csvSample: [rows[0].split(','), rows[1].split(','), rows[2].split(','), rows[3].split(','), rows[4].split(',')] } });
    services.openedFiles.take();
  });

  it('refuses a file of unknown type, an oversized file and an unreadable one with a reason the UI translates; nothing is uploaded', async () => {
    const before = await decksList();
    const pdf = join(dir, 'paper.pdf');
    writeFileSync(pdf, '%PDF-1.7');
    // Sparse: one byte past the limit without writing 64 MiB.
    const huge = join(dir, 'huge.apkg');
    writeFileSync(huge, 'PK');
    truncateSync(huge, maxImportBytes + 1);
    const folder = join(dir, 'folder.proofdeck');
    mkdirSync(folder);
    const missing = join(dir, 'gone.apkg');
    const empty = join(dir, 'empty.csv');
    writeFileSync(empty, '');

    events.length = 0;
    const results = [];
    for (const path of [pdf, huge, folder, missing, empty]) results.push(await openDeckFile(path, services, call));
    expect(results.map((r) => [r.fileName, r.uploadId, r.error?.code, r.error?.params?.reason])).toEqual([
      ['paper.pdf', null, 'import-unsupported', 'unknown-format'],
      ['huge.apkg', null, 'import-too-large', 'file-too-large'],
      ['folder.proofdeck', null, 'import-invalid', 'unreadable'],
      ['gone.apkg', null, 'import-invalid', 'unreadable'],
      ['empty.csv', null, 'import-invalid', 'empty'],
    ]);
    expect(results[1].error?.params).toMatchObject({ sizeMiB: 64, limitMiB: 64 });
    // The UI still hears of each, to say why it was not opened.
    expect(events).toHaveLength(5);
    expect(await services.dispatch('decks.openedFiles', {}, call)).toMatchObject({ ok: true, value: results });
    expect(await decksList()).toEqual(before);
  });

});

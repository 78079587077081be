import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../../electron/services';
import { createInMemoryTransport } from '../../../electron/testing/in-memory-transport';
import { addDeck } from '../../../electron/testing/fixtures';
import { AppError } from '../../../src/shared/errors';
import { createTranslator, translateError } from '../../../src/shared/i18n';
import { createClient } from '../../../src/shared/transport';
import { runChild, unprivileged } from './processes';
import { tempDir } from './support';

// A full disk and a folder or file ProofDeck may not write: each its own error that names the
// path, in Korean and English (never "something went wrong inside"), and nothing changed.

const dirs: string[] = [];
const mounts: string[] = [];
let services: Services | undefined;
afterEach(() => {
  services?.close();
  services = undefined;
  for (const mount of mounts.splice(0)) spawnSync('umount', ['-l', mount]);
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function folder(): string {
  const dir = tempDir();
  dirs.push(dir);
  return dir;
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (e) {
    return e as AppError;
  }
  throw new Error('expected a rejection');
}

/** A note large enough to need new pages (overflow pages of a 150,000-character field). */
function bigNote(deckId: number, n: number) {
  return { deckId, front: `note ${n}: ${'KV-cache '.repeat(16_000)}`, back: `answer ${n}` };
}

const canMount = process.getuid?.() === 0 && spawnSync('sh', ['-c', 'd=$(mktemp -d) && mount -t tmpfs -o size=64k tmpfs "$d" && umount "$d"; rmdir "$d"']).status === 0;

describe('disk full', () => {
  it('SQLITE_FULL at the database size limit: disk-full naming the file, nothing saved, and the next save works once there is room', async () => {
    const dir = folder();
    services = createServices({ dataDir: dir, lock: 'test' });
    const client = createClient(createInMemoryTransport(services.dispatch));
    const deckId = addDeck(services.db!);
    const pages = services.db!.pragma('page_count', { simple: true }) as number;
    services.db!.pragma(`max_page_count = ${pages + 2}`);

    const error = await rejection(client.api['notes.save'](bigNote(deckId, 1)));
    expect(error.code).toBe('disk-full');
    expect(error.params?.path).toBe(join(dir, 'proofdeck.sqlite'));
    expect(translateError(createTranslator('en'), error)).toBe(`The disk is full: ProofDeck could not write to ${join(dir, 'proofdeck.sqlite')}. Nothing was changed. Free some space and try again.`);
    expect(translateError(createTranslator('ko'), error)).toContain(`${join(dir, 'proofdeck.sqlite')}에 쓰지 못했습니다`);
    expect((await client.api['cards.search']({ query: 'KV-cache' })).total).toBe(0);
    expect((await client.api['app.info']({})).databaseProblem).toBeNull();

    services.db!.pragma('max_page_count = 1000000');
    await client.api['notes.save'](bigNote(deckId, 2));
    expect((await client.api['cards.search']({ query: 'KV-cache' })).total).toBe(1);
  });

  it.runIf(canMount)('a real full disk (a 3 MiB tmpfs): the same error, and the database keeps working after space is freed', async () => {
    const dir = folder();
    expect(spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=3m', 'tmpfs', dir]).status).toBe(0);
    mounts.push(dir);
    services = createServices({ dataDir: dir, lock: 'test' });
    const client = createClient(createInMemoryTransport(services.dispatch));
    const deckId = addDeck(services.db!);
    // Fill the disk until only a little is left.
    const filler = join(dir, 'filler');
    const free = () => Number(spawnSync('df', ['--output=avail', '-B1', dir]).stdout.toString().split('\n')[1]);
    writeFileSync(filler, Buffer.alloc(Math.max(0, free() - 200_000)));

    let error: AppError | undefined;
    for (let n = 0; n < 20 && !error; n++) {
      try {
        await client.api['notes.save'](bigNote(deckId, n));
      } catch (e) {
        error = e as AppError;
      }
    }
    expect(error?.code).toBe('disk-full');
    expect(error?.params?.path).toBe(join(dir, 'proofdeck.sqlite'));
    const saved = (await client.api['cards.search']({ query: 'KV-cache' })).total;
    rmSync(filler);
    await client.api['notes.save'](bigNote(deckId, 100));
    expect((await client.api['cards.search']({ query: 'KV-cache' })).total).toBe(saved + 1);
  });
});

describe('a backup onto a full disk', () => {
  it.runIf(canMount)('disk-full naming the backup folder, no half-written copy left, and the database still works', async () => {
    const dir = folder();
    services = createServices({ dataDir: dir, lock: 'test' });
    const client = createClient(createInMemoryTransport(services.dispatch));
    const deckId = addDeck(services.db!);
    for (let n = 0; n < 3; n++) await client.api['notes.save'](bigNote(deckId, n));
    const backups = join(dir, 'small-disk');
    mkdirSync(backups);
    expect(spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', backups]).status).toBe(0);
    mounts.push(backups);
    await client.api['settings.set']({ backupDir: backups });
    const error = await rejection(client.api['backups.create']({}));
    expect(error).toMatchObject({ code: 'disk-full', params: { path: backups } });
    expect(readdirSync(backups)).toEqual([]);
    expect((await client.api['app.info']({})).databaseProblem).toBeNull();
    await client.api['notes.save'](bigNote(deckId, 9));
  });
});

describe('read-only folders and files', () => {
  // Permissions do not bind root: the child runs as `nobody` then.
  const user = unprivileged();
  const own = (path: string) => {
    if (user.uid !== undefined) chownSync(path, user.uid, user.gid!);
  };

  async function openAsUser(dir: string): Promise<{ problem?: { code: string; path: string } | null; error?: { code: string; params: Record<string, string> } }> {
    const child = runChild('open', dir, user);
    const line = await child.line(/^\{/);
    await child.exited;
    return JSON.parse(line);
  }

  it('a read-only data folder without a database: read-only naming the folder', async () => {
    const dir = folder();
    chmodSync(dir, 0o755);
    const data = join(dir, 'data');
    mkdirSync(data);
    own(data);
    chmodSync(data, 0o555);
    const reply = await openAsUser(data);
    expect(reply.problem).toMatchObject({ code: 'read-only', path: data });
  });

  it('a read-only folder holding a database: read-only naming the folder, the file untouched', async () => {
    const dir = folder();
    chmodSync(dir, 0o755);
    const data = join(dir, 'data');
    createServices({ dataDir: data, lock: 'test' }).close();
    const file = join(data, 'proofdeck.sqlite');
    const bytes = readFileSync(file);
    for (const path of [data, file]) own(path);
    chmodSync(data, 0o555);
    const reply = await openAsUser(data);
    expect(reply.problem).toMatchObject({ code: 'read-only', path: data });
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });

  it('a read-only database file in a writable folder: read-only naming the file, the file untouched', async () => {
    const dir = folder();
    chmodSync(dir, 0o755);
    const data = join(dir, 'data');
    createServices({ dataDir: data, lock: 'test' }).close();
    const file = join(data, 'proofdeck.sqlite');
    const mtime = statSync(file).mtimeMs;
    for (const path of [data, file]) own(path);
    chmodSync(file, 0o444);
    const reply = await openAsUser(data);
    expect(reply.problem).toMatchObject({ code: 'read-only', path: file });
    expect(statSync(file).mtimeMs).toBe(mtime);
    const error = new AppError('read-only', 'x', { path: file });
    expect(translateError(createTranslator('en'), error)).toBe(`ProofDeck cannot write to ${file}: the folder or file is read-only. Nothing was changed.`);
    expect(translateError(createTranslator('ko'), error)).toBe(`ProofDeck이 ${file}에 쓸 수 없습니다: 폴더나 파일이 읽기 전용입니다. 바뀐 것은 없습니다.`);
  });

  // In this process: as root through a read-only mount, otherwise through the folder's mode.
  const root = process.getuid?.() === 0;
  it.runIf(!root || canMount)('once the folder is writable again, the app starts normally (app.info tries again)', async () => {
    const data = folder();
    const setWritable = (writable: boolean) => {
      if (!root) return chmodSync(data, writable ? 0o755 : 0o555);
      expect(spawnSync('mount', writable ? ['-o', 'remount,rw', data] : ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', data]).status).toBe(0);
      if (!writable) mounts.push(data);
    };
    setWritable(false);
    services = createServices({ dataDir: data, lock: 'test' });
    const client = createClient(createInMemoryTransport(services.dispatch));
    expect((await client.api['app.info']({})).databaseProblem).toMatchObject({ code: 'read-only', path: data });
    expect((await rejection(client.api['review.today']({}))).code).toBe('read-only');
    setWritable(true);
    expect((await client.api['app.info']({})).databaseProblem).toBeNull();
    expect((await client.api['review.today']({})).totalCards).toBe(0);
    // It took the folder's lock on the way: a second writer is refused.
    expect(() => createServices({ dataDir: data, lock: 'cli' })).toThrow(expect.objectContaining({ code: 'db-locked' }));
  });
});

import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it, vi } from 'vitest';
import { createServices } from '../../../electron/services';
import { addCard, addDeck } from '../../../electron/testing/fixtures';
import { AppError } from '../../../src/shared/errors';
import { createTranslator, translateError } from '../../../src/shared/i18n';
import { runChild, type Running } from './processes';
import { tempDir } from './support';

// One writer per data folder, with real processes: a second ProofDeck on the same folder is told
// which process holds it and does nothing; the lock goes with its holder, however that one ends.

const children: Running[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.process.kill('SIGKILL');
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function folderWithCards(count: number): string {
  const dir = tempDir();
  dirs.push(dir);
  const setup = createServices({ dataDir: dir, lock: 'test' });
  const deckId = addDeck(setup.db!);
  setup.db!.transaction(() => {
    for (let i = 0; i < count; i++) addCard(setup.db!, { deckId });
  })();
  setup.context!.settings.set({ newPerDay: count });
  setup.close();
  return dir;
}

function refusal(work: () => unknown): AppError {
  try {
    work();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected the folder to be refused');
}

it('a second process is told which process holds the folder, in both languages, and writes nothing', async () => {
  const dir = folderWithCards(3000);
  const holder = runChild('hold', dir);
  children.push(holder);
  await holder.line(/^confirmed /);

  const error = refusal(() => createServices({ dataDir: dir, lock: 'cli' }));
  expect(error.code).toBe('db-locked');
  expect(error.params).toMatchObject({ path: dir, holder: 'npm run web', pid: String(holder.process.pid) });
  expect(translateError(createTranslator('en'), error)).toContain(`process ${holder.process.pid}`);
  expect(translateError(createTranslator('en'), error)).toContain(dir);
  expect(translateError(createTranslator('ko'), error)).toContain(`프로세스 ${holder.process.pid}`);

  // Another real process (a second browser host, a CLI import) exits with the same answer.
  const second = runChild('hold', dir);
  children.push(second);
  const reply = JSON.parse(await second.line(/^\{/)) as { error: { code: string; params: Record<string, string> } };
  expect(reply.error).toMatchObject({ code: 'db-locked', params: { pid: String(holder.process.pid) } });
  expect((await second.exited).code).toBe(3);
  expect(second.lines).not.toContainEqual(expect.stringMatching(/^confirmed/));

  // The holder kept answering into the one database, which nobody moved aside.
  const before = holder.lines.length;
  await vi.waitFor(() => expect(holder.lines.length).toBeGreaterThan(before + 10), { timeout: 10_000 });
  expect(readdirSync(dir).filter((name) => name.includes('broken'))).toEqual([]);
});

it('the lock dies with its holder: after kill -9 the folder is free, with every confirmed answer in it', async () => {
  const dir = folderWithCards(3000);
  const holder = runChild('hold', dir);
  await holder.line(/^confirmed /);
  await new Promise((resolve) => setTimeout(resolve, 200));
  holder.process.kill('SIGKILL');
  expect((await holder.exited).signal).toBe('SIGKILL');
  const confirmed = holder.lines.filter((line) => line.startsWith('confirmed ')).map((line) => Number(line.slice(10)));

  const services = createServices({ dataDir: dir, lock: 'cli' });
  try {
    const answered = new Set(services.db!.prepare(`SELECT card_id FROM revlog`).pluck().all() as number[]);
    for (const cardId of confirmed) expect(answered.has(cardId), `answer of card ${cardId}`).toBe(true);
  } finally {
    services.close();
  }
});

it('two services in one process on one folder: the second is refused, and after close the folder is free', () => {
  const dir = tempDir();
  dirs.push(dir);
  const first = createServices({ dataDir: dir, lock: 'app' });
  expect(refusal(() => createServices({ dataDir: dir, lock: 'cli' }))).toMatchObject({ code: 'db-locked', params: { holder: 'ProofDeck', pid: String(process.pid) } });
  first.close();
  const again = createServices({ dataDir: dir, lock: 'cli' });
  expect(again.databaseProblem).toBeNull();
  again.close();
  // The lock leaves no journal behind, and its holder's record goes with it.
  expect(readdirSync(dir).filter((name) => name.startsWith('proofdeck.lock'))).toEqual(['proofdeck.lock']);
  expect(existsSync(join(dir, 'proofdeck.lock.json'))).toBe(false);
});

import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, cpSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, expect, it } from 'vitest';
import { runChild, runDecks, unprivileged, type Running } from './processes';
import { bytesOf, copyCollection, scribble, sealedCollection, tempDir } from './support';

// `npm run decks` as a user runs it, against the same storage failures as the app: each ends in
// a clear message (Korean or English, naming the path) and exit code 1, with the collection as it
// was; a damaged database is offered to be moved aside, and the command for it works.

const pristine = sealedCollection(2000, 10_000);
const dirs: string[] = [pristine];
const children: Running[] = [];
const mounts: string[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.process.kill('SIGKILL');
  for (const mount of mounts.splice(0)) spawnSync('umount', ['-l', mount]);
});
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const deckFile = (() => {
  const dir = tempDir();
  dirs.push(dir);
  const file = join(dir, 'interview.csv');
  writeFileSync(file, 'What does the KV cache store?,Keys and values of past tokens\nWhy tile attention?,To stay in SRAM\n');
  return file;
})();

async function decks(args: string[], env: Record<string, string> = {}, user = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stderr = '';
  const cli = runDecks(args, { env: { ...process.env, PROOFDECK_LANG: 'en', ...env }, ...user });
  cli.process.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const { code } = await cli.exited;
  return { code, stdout: cli.lines.join('\n'), stderr };
}

it('a damaged database: the problem and the command that moves it aside; the file untouched until it is run', async () => {
  const dir = copyCollection(pristine);
  dirs.push(dir);
  const file = join(dir, 'proofdeck.sqlite');
  scribble(file, Math.floor(statSync(file).size / 2 / 4096) * 4096 + 100, 11);
  const damaged = bytesOf(file);

  const refused = await decks(['import', deckFile, '--data', dir]);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain('The database file is damaged and cannot be opened.');
  expect(refused.stderr).toContain(`Location: ${file}`);
  expect(refused.stderr).toContain(`npm run decks -- move-aside --data ${dir}`);
  expect(bytesOf(file).equals(damaged)).toBe(true);
  const ko = await decks(['list', '--data', dir], { PROOFDECK_LANG: 'ko' });
  expect(ko.stderr).toContain('데이터베이스 파일이 손상되어 열 수 없습니다.');
  expect(ko.stderr).toContain('옆으로 옮기고');
  expect(bytesOf(file).equals(damaged)).toBe(true);

  const moved = await decks(['move-aside', '--data', dir]);
  expect(moved.code).toBe(0);
  const kept = readdirSync(dir).find((name) => name.startsWith('proofdeck.sqlite.broken-') && !name.includes('-seal'));
  expect(bytesOf(join(dir, kept!)).equals(damaged)).toBe(true);
  const imported = await decks(['import', deckFile, '--data', dir]);
  expect(imported.code).toBe(0);
  expect(imported.stdout).toContain('added 2');
});

it('a folder another ProofDeck holds: who holds it, and nothing imported', async () => {
  const dir = copyCollection(pristine);
  dirs.push(dir);
  const holder = runChild('hold', dir);
  children.push(holder);
  await holder.line(/^confirmed /);
  const en = await decks(['import', deckFile, '--data', dir]);
  expect(en.code).toBe(1);
  expect(en.stderr).toMatch(new RegExp(`The data folder ${dir} is in use by another ProofDeck \\(npm run web, process ${holder.process.pid}, since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\)\\. Close that one first\\.`));
  const ko = await decks(['import', deckFile, '--data', dir, '--json'], { PROOFDECK_LANG: 'ko' });
  expect(ko.stderr).toContain(`다른 ProofDeck이 쓰고 있습니다(npm run web, 프로세스 ${holder.process.pid}`);
  expect(JSON.parse(ko.stdout)).toMatchObject({ error: { code: 'db-locked', params: { pid: String(holder.process.pid) } } });
  holder.process.kill('SIGKILL');
  await holder.exited;
  const list = await decks(['list', '--data', dir, '--json']);
  expect(list.code).toBe(0);
  expect((JSON.parse(list.stdout) as { name: string }[]).map((deck) => deck.name)).not.toContain('interview');
});

const canMount = process.getuid?.() === 0 && spawnSync('sh', ['-c', 'd=$(mktemp -d) && mount -t tmpfs -o size=64k tmpfs "$d" && umount "$d"; rmdir "$d"']).status === 0;
it.runIf(canMount)('a full disk (tmpfs): disk-full naming the database, in both languages, and the collection as it was', async () => {
  const dir = tempDir();
  dirs.push(dir);
  expect(spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=24m', 'tmpfs', dir]).status).toBe(0);
  mounts.push(dir);
  cpSync(pristine, dir, { recursive: true });
  const file = join(dir, 'proofdeck.sqlite');
  const big = join(tempDir(), 'big.csv');
  dirs.push(join(big, '..'));
  writeFileSync(big, Array.from({ length: 4000 }, (_, i) => `question ${i} ${'tile '.repeat(400)},answer ${i}`).join('\n'));
  const free = () => Number(spawnSync('df', ['--output=avail', '-B1', dir]).stdout.toString().split('\n')[1]);
  writeFileSync(join(dir, 'filler'), Buffer.alloc(Math.max(0, free() - 1_000_000)));
  const before = bytesOf(file);

  const en = await decks(['import', big, '--data', dir]);
  expect(en.code).toBe(1);
  expect(en.stderr).toContain(`The disk is full: ProofDeck could not write to ${file}.`);
  const ko = await decks(['import', big, '--data', dir], { PROOFDECK_LANG: 'ko' });
  expect(ko.stderr).toContain(`디스크가 가득 찼습니다: ProofDeck이 ${file}에 쓰지 못했습니다.`);
  expect(bytesOf(file).equals(before)).toBe(true);
  rmSync(join(dir, 'filler'));
  expect((await decks(['list', '--data', dir])).code).toBe(0);
});

it('a read-only data folder: read-only naming it', async () => {
  const parent = tempDir();
  dirs.push(parent);
  chmodSync(parent, 0o755);
  const dir = join(parent, 'data');
  mkdirSync(dir);
  const user = unprivileged();
  if (user.uid !== undefined) chownSync(dir, user.uid, user.gid!);
  chmodSync(dir, 0o555);
  const en = await decks(['import', deckFile, '--data', dir], {}, user);
  expect(en.code).toBe(1);
  expect(en.stderr).toContain(`ProofDeck cannot write to ${dir}: the folder or file is read-only. Nothing was changed.`);
  expect(readdirSync(dir)).toEqual([]);
});

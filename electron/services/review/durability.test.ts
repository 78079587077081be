import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { createServices } from '../index';
import { addCard, addDeck, temporaryDir } from '../../testing/fixtures';

const child = fileURLToPath(new URL('../../testing/durability-child.ts', import.meta.url));
let dir: { dir: string; remove(): void } | undefined;
afterEach(() => dir?.remove());

it('loses no confirmed answer when the process is killed mid-session', async () => {
  dir = temporaryDir();
  const setup = createServices({ dataDir: dir.dir });
  const deckId = addDeck(setup.db!);
  setup.db!.transaction(() => {
    for (let i = 0; i < 3000; i++) addCard(setup.db!, { deckId });
  })();
  setup.context!.settings.set({ newPerDay: 3000 });
  setup.close();

  const confirmed: number[] = [];
  const proc = spawn(process.execPath, ['--import', 'tsx', child, dir.dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  let buffered = '';
  const killed = new Promise<NodeJS.Signals | null>((resolve) => proc.on('exit', (_code, signal) => resolve(signal)));
  proc.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) if (line.startsWith('confirmed ')) confirmed.push(Number(line.slice(10)));
    // Kill while it is busy answering: the next answer is most likely mid-transaction.
    if (confirmed.length >= 200) proc.kill('SIGKILL');
  });
  expect(await killed).toBe('SIGKILL');
  expect(confirmed.length).toBeGreaterThanOrEqual(200);

  const after = createServices({ dataDir: dir.dir });
  const answered = new Set(after.db!.prepare(`SELECT card_id FROM revlog`).pluck().all() as number[]);
  const graduated = new Set(after.db!.prepare(`SELECT id FROM cards WHERE state <> 0`).pluck().all() as number[]);
  for (const cardId of confirmed) {
    expect(answered.has(cardId), `answer of card ${cardId}`).toBe(true);
    expect(graduated.has(cardId), `schedule of card ${cardId}`).toBe(true);
  }
  // Whatever was written is whole: every logged answer has its card updated, and the reverse.
  expect([...answered].sort()).toEqual([...graduated].sort());
  expect(after.db!.pragma('integrity_check', { simple: true })).toBe('ok');
  after.close();
});

import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { ensureRenderer, freshDataDir, removeDataDir, repoRoot, startHost, type RunningHost } from './support/host';

// Deck files opened from the operating system (a double-click in the file manager, the dock icon),
// on the browser host with `--open FILE` standing in for the OS: the page lands on Decks with the
// import preview, nothing is written until the user confirms; a file ProofDeck cannot read is
// named with the reason, in the user's language, and the database stays as it was.

const fixtures = fileURLToPath(new URL('../../../shared/fixtures/anki', import.meta.url));
const screenshots = join(repoRoot, 'test-results/screenshots');
let files: string;

test.describe.configure({ mode: 'serial' });

/** `npm run decks -- …` (the CLI of the deck exchange) on a data folder; its stdout. */
function decksCli(...args: string[]): string {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'electron/hosts/decks.ts', ...args], { cwd: repoRoot, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`decks ${args.join(' ')} failed:\n${result.stderr}`);
  return result.stdout;
}

type Listed = { name: string; notes: number; cards: number; revlog: number };
const decksList = (dataDir: string): Listed[] => JSON.parse(decksCli('list', '--data', dataDir, '--json')) as Listed[];

test.beforeAll(() => {
  ensureRenderer();
  mkdirSync(screenshots, { recursive: true });
  // A study group's deck, as a member exports it with the CLI: the Anki alphabet deck, as .proofdeck.
  files = freshDataDir();
  const author = join(files, 'author');
  decksCli('import', join(fixtures, 'mujing-alphabet-word.apkg'), '--data', author);
  decksCli('export', '--deck', 'Alphabet Word', '--format', 'proofdeck', '--out', join(files, 'group.proofdeck'), '--data', author);
  copyFileSync(join(fixtures, 'apkgexport-output.apkg'), join(files, 'shared.apkg'));
  // A download cut short, and a file that is no deck at all.
  writeFileSync(join(files, 'broken.apkg'), readFileSync(join(fixtures, 'apkgexport-output.apkg')).subarray(0, 700));
  writeFileSync(join(files, 'paper.pdf'), '%PDF-1.7\n');
});

test.afterAll(() => {
  if (files) removeDataDir(files);
});

test('files opened from the OS land on Decks with their preview, one after another; only the confirmed one is imported', async ({ page }) => {
  let host: RunningHost | undefined;
  try {
    host = await startHost({ open: [join(files, 'group.proofdeck'), join(files, 'shared.apkg')] });
    // The app starts on Today; the opened files take it to Decks.
    await page.goto(`${host.url}#/today`);
    await expect(page.getByTestId('decks-screen')).toBeVisible();
    const preview = page.getByTestId('import-preview');
    await expect(preview).toContainText('Alphabet Word');
    await expect(page.getByTestId('preview-added')).toHaveText('26');
    await expect(page.getByTestId('preview-cards')).toHaveText('26');
    await expect(page.getByTestId('preview-updated')).toHaveText('0');
    await expect(page.getByTestId('import-opened')).toContainText('group.proofdeck');
    await expect(page.getByTestId('import-waiting')).toContainText('shared.apkg');
    // Nothing written before the user says so.
    await expect(page.getByTestId('deck-row').filter({ hasText: 'Alphabet Word' })).toHaveCount(0);
    await page.screenshot({ path: join(screenshots, 'open-file-preview.png'), fullPage: true });

    await page.getByTestId('import-apply').click();
    const alphabet = page.getByTestId('deck-row').filter({ hasText: 'Alphabet Word' });
    await expect(alphabet.getByTestId('deck-notes-count')).toHaveText('26');
    // The second file's preview follows; the first one's result stays readable above it.
    await expect(page.getByTestId('import-opened')).toContainText('shared.apkg');
    await expect(preview).toContainText('deck-name');
    await expect(page.getByTestId('preview-added')).toHaveText('3');
    await expect(page.getByTestId('import-waiting')).toHaveCount(0);
    await expect(page.getByText(/Imported “Alphabet Word”: 26 added/)).toBeVisible();
    await page.screenshot({ path: join(screenshots, 'open-file-second.png'), fullPage: true });
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect(preview).toHaveCount(0);
    await expect(page.getByTestId('deck-row').filter({ hasText: 'deck-name' })).toHaveCount(0);

    const { dataDir } = host;
    await host.stop('SIGTERM');
    host = undefined;
    const listed = decksList(dataDir);
    expect(listed.find((deck) => deck.name === 'Alphabet Word')).toEqual({ name: 'Alphabet Word', notes: 26, cards: 26, revlog: 0 });
    expect(listed.map((deck) => deck.name)).not.toContain('deck-name');
    removeDataDir(dataDir);
  } finally {
    await host?.stop('SIGTERM');
  }
});

test.describe('in Korean', () => {
  test.use({ locale: 'ko-KR' });

  test('a damaged file and a file of another kind are named with the reason; the database is unchanged', async ({ page }) => {
    const dataDir = freshDataDir();
    let host: RunningHost | undefined;
    try {
      // The app's first start writes the built-in decks; this is the state the files must not change.
      host = await startHost({ dataDir });
      await page.goto(host.url);
      await expect(page.getByTestId('nav-decks')).toBeVisible();
      await host.stop('SIGTERM');
      const before = decksList(dataDir);
      expect(before.length).toBeGreaterThan(0);

      host = await startHost({ dataDir, open: [join(files, 'broken.apkg'), join(files, 'paper.pdf')] });
      await page.goto(host.url);
      await expect(page.getByTestId('decks-screen')).toBeVisible();
      const errors = page.getByTestId('import-error');
      await expect(errors).toHaveCount(2);
      await expect(errors.nth(0)).toContainText('“broken.apkg”: 이 파일은 가져올 수 없습니다');
      await expect(errors.nth(0)).toContainText('zip 압축 파일이 아니거나, 손상되었거나 잘렸습니다');
      await expect(errors.nth(1)).toContainText('“paper.pdf”: 이 파일은 가져올 수 없습니다');
      await expect(errors.nth(1)).toContainText('ProofDeck이 읽을 수 없는 종류의 파일입니다');
      await expect(page.getByTestId('import-preview')).toHaveCount(0);
      await page.screenshot({ path: join(screenshots, 'open-file-errors-ko.png'), fullPage: true });
      await host.stop('SIGTERM');
      host = undefined;
      expect(decksList(dataDir)).toEqual(before);
    } finally {
      await host?.stop('SIGTERM');
      removeDataDir(dataDir);
    }
  });
});

import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it, vi } from 'vitest';
import { runChild } from '../tests/unit/storage/processes';

// The app started on a data folder another ProofDeck process holds (a browser host on the same
// folder): it says which process, in the system's language, and quits without opening the
// database. Two launches of the app itself never get here: the single-instance lock focuses the
// first window.
vi.mock('electron', () => import('./testing/fake-electron'));

const fake = await import('./testing/fake-electron');
const userData = mkdtempSync(join(tmpdir(), 'proofdeck-main-locked-'));
fake.app.userData = userData;
fake.app.locale = 'ko-KR';
const holder = runChild('hold', userData);
afterAll(() => {
  holder.process.kill('SIGKILL');
  rmSync(userData, { recursive: true, force: true });
});

it('shows who holds the data folder and quits, leaving the folder to its holder', async () => {
  await holder.line(/^ready$/);
  const filesBefore = readdirSync(userData).sort();
  await import('./main');
  fake.app.becomeReady();
  await vi.waitFor(() => expect(fake.app.exitCodes).toEqual([1]), { timeout: 20_000 });
  expect(fake.dialog.errors).toHaveLength(1);
  expect(fake.dialog.errors[0].title).toBe('데이터베이스를 열 수 없습니다');
  expect(fake.dialog.errors[0].content).toContain(`다른 ProofDeck이 쓰고 있습니다(npm run web, 프로세스 ${holder.process.pid}`);
  // No API to call into, no window left, and nothing new in the folder.
  expect(fake.ipcMain.handlers.size).toBe(0);
  expect(fake.BrowserWindow.getAllWindows()).toHaveLength(0);
  expect(readdirSync(userData).sort()).toEqual(filesBefore);
});

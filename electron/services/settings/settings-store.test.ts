import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { defaultSettings } from '../../../src/shared/contract';
import { openDatabase } from '../store/database';
import { storesFor } from '../store/stores';
import { temporaryDir } from '../../testing/fixtures';
import { createSettingsStore } from './settings-store';

const dir = temporaryDir();
afterEach(() => dir.remove());

it('reads what it can of stored settings and falls back to defaults for the rest', () => {
  const db = openDatabase(join(dir.dir, 'proofdeck.sqlite'));
  const put = db.prepare(`INSERT INTO settings (key, value) VALUES (?, ?)`);
  put.run('newPerDay', '42');
  put.run('desiredRetention', '5'); // out of range, e.g. written by a broken build
  put.run('learningSteps', '{not json');
  put.run('someoneElsesKey', '"kept"');
  const store = createSettingsStore(storesFor(db).settings);
  expect(store.get()).toEqual({ ...defaultSettings, newPerDay: 42 });

  expect(() => store.set({ dayStartHour: 30 })).toThrow();
  expect(store.get().dayStartHour).toBe(4);
  store.set({ desiredRetention: 0.85 });
  expect(createSettingsStore(storesFor(db).settings).get()).toEqual({ ...defaultSettings, newPerDay: 42, desiredRetention: 0.85 });
  expect(db.prepare(`SELECT value FROM settings WHERE key = 'someoneElsesKey'`).pluck().get()).toBe('"kept"');
  db.close();
});

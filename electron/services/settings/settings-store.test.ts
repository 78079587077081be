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
  put.run('dayStartHour', '6');
  put.run('theme', '"purple"'); // not a theme, e.g. written by a broken build
  put.run('backupDir', '{not json');
  put.run('someoneElsesKey', '"kept"');
  // The daily limits and the rest are the Default preset's, checked field by field the same way.
  db.prepare(`UPDATE presets SET config = ? WHERE id = 1`).run(JSON.stringify({ newPerDay: 42, desiredRetention: 5, learningSteps: '{not json' }));
  const stores = storesFor(db);
  const store = createSettingsStore(stores.settings, stores.presets);
  expect(store.get()).toEqual({ ...defaultSettings, newPerDay: 42, dayStartHour: 6 });

  expect(() => store.set({ dayStartHour: 30 })).toThrow();
  expect(store.get().dayStartHour).toBe(6);
  store.set({ desiredRetention: 0.85 });
  expect(createSettingsStore(stores.settings, stores.presets).get()).toEqual({ ...defaultSettings, newPerDay: 42, dayStartHour: 6, desiredRetention: 0.85 });
  expect(stores.presets.byId(1)?.config.desiredRetention).toBe(0.85);
  expect(db.prepare(`SELECT value FROM settings WHERE key = 'someoneElsesKey'`).pluck().get()).toBe('"kept"');
  db.close();
});

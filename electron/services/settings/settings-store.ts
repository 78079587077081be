import { Settings, defaultSettings } from '../../../src/shared/contract';
import type { Sql } from '../store/sql';

/** The user's settings: one row per key in `settings`, each value JSON, merged over the defaults. */
export interface SettingsStore {
  get(): Settings;
  /** Validates the merged result before anything is written; throws zod's error when invalid. */
  set(patch: Partial<Settings>): Settings;
}

type Key = keyof Settings;

function readStored(sql: Sql): Settings {
  const merged: Record<string, unknown> = { ...defaultSettings };
  for (const row of sql.all<{ key: string; value: string }>(`SELECT key, value FROM settings`)) {
    if (!Object.hasOwn(defaultSettings, row.key)) continue; // another area's key, or an old one
    const field = Settings.shape[row.key as Key];
    let parsed: unknown;
    try {
      parsed = JSON.parse(row.value);
    } catch {
      continue;
    }
    // A value this build cannot read falls back to its default instead of breaking the app.
    const checked = field.safeParse(parsed);
    if (checked.success) merged[row.key] = checked.data;
  }
  return Settings.parse(merged);
}

export function createSettingsStore(sql: Sql): SettingsStore {
  let cached: Settings | undefined;
  return {
    get() {
      cached ??= readStored(sql);
      return cached;
    },
    set(patch) {
      const next = Settings.parse({ ...this.get(), ...patch });
      sql.transaction(() => {
        for (const key of Object.keys(patch) as Key[]) {
          sql.run(`INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`, key, JSON.stringify(next[key]));
        }
      });
      cached = next;
      return next;
    },
  };
}

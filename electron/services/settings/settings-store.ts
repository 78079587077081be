import { Settings, defaultSettings } from '../../../src/shared/contract';
import type { SettingsTable } from '../store/settings';

/** The user's settings: one row per key in `settings`, each value JSON, merged over the defaults. */
export interface SettingsStore {
  get(): Settings;
  /** Validates the merged result before anything is written; throws zod's error when invalid. */
  set(patch: Partial<Settings>): Settings;
}

type Key = keyof Settings;

function readStored(table: SettingsTable): Settings {
  const merged: Record<string, unknown> = { ...defaultSettings };
  for (const row of table.all()) {
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

export function createSettingsStore(table: SettingsTable): SettingsStore {
  let cached: Settings | undefined;
  return {
    get() {
      cached ??= readStored(table);
      return cached;
    },
    set(patch) {
      const next = Settings.parse({ ...this.get(), ...patch });
      table.put((Object.keys(patch) as Key[]).map((key) => [key, JSON.stringify(next[key])]));
      cached = next;
      return next;
    },
  };
}

import type { Sql } from './sql';

/** The `settings` table: one row per key, each value JSON. settings/settings-store.ts reads and checks them. */
export function settingsTable(sql: Sql) {
  return {
    transaction: <T>(work: () => T): T => sql.transaction(work),
    all(): { key: string; value: string }[] {
      return sql.all(`SELECT key, value FROM settings`);
    },
    /** Writes several keys in one transaction. */
    put(entries: readonly [string, string][]): void {
      sql.transaction(() => {
        for (const [key, value] of entries) sql.run(`INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`, key, value);
      });
    },
  };
}

export type SettingsTable = ReturnType<typeof settingsTable>;

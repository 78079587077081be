/** A numbered schema change. Applied in order inside one transaction; `PRAGMA user_version` records the last. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

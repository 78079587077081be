/** A numbered schema change. Applied in order inside one transaction; `PRAGMA user_version` records the last. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
  /**
   * A table the migration creates. A file whose version is already past this migration's number
   * but lacks the table gets it all the same: 7 was released before 6 (the undo history and the
   * Anki note types were built side by side), so a file at 7 may never have run 6.
   */
  creates?: string;
}

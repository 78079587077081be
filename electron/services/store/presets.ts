import { PresetConfig, defaultPresetConfig, defaultPresetId } from '../../../src/shared/contract/presets';
import type { CardRow } from './cards';
import type { Sql } from './sql';

/** A row of `presets` (migration 008). */
export interface PresetRow {
  id: number;
  name: string;
  config: string;
  created: number;
  modified: number;
}

/** The columns of `presets`, in table order. */
export const presetColumns = ['id', 'name', 'config', 'created', 'modified'] as const satisfies readonly (keyof PresetRow)[];

/** A preset as the services use it: its options checked, each unreadable one at its default. */
export interface StoredPreset {
  id: number;
  name: string;
  config: PresetConfig;
}

const parsed = new Map<string, PresetConfig>();

/** The options of a row, field by field over the defaults (a value this build cannot read falls back). */
export function readPresetConfig(text: string): PresetConfig {
  const known = parsed.get(text);
  if (known) return known;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    raw = {};
  }
  const merged: Record<string, unknown> = { ...defaultPresetConfig };
  if (typeof raw === 'object' && raw !== null) {
    for (const [key, value] of Object.entries(raw)) {
      const field = PresetConfig.shape[key as keyof PresetConfig] as (typeof PresetConfig.shape)[keyof PresetConfig] | undefined;
      const checked = field?.safeParse(value);
      if (checked?.success) merged[key] = checked.data;
    }
  }
  const config = PresetConfig.parse(merged);
  if (parsed.size > 64) parsed.clear();
  parsed.set(text, config);
  return config;
}

const toPreset = (row: Pick<PresetRow, 'id' | 'name' | 'config'>): StoredPreset => ({ id: row.id, name: row.name, config: readPresetConfig(row.config) });

/** A card as the load simulation starts from it: its scheduling columns and its deck's preset. */
export type SimulationCard = Pick<
  CardRow,
  'id' | 'note_id' | 'state' | 'due' | 'stability' | 'difficulty' | 'elapsed_days' | 'scheduled_days' | 'learning_steps' | 'reps' | 'lapses' | 'last_review' | 'new_position'
> & { preset: number };

/** Cards of the preset's decks (a deck without one is Default's). */
const inPreset = `note_id IN (SELECT n.id FROM notes n JOIN decks d ON d.id = n.deck_id WHERE IFNULL(d.preset_id, ${defaultPresetId}) = @preset)`;

/** The `presets` table and which deck uses which. */
export function presetsStore(sql: Sql) {
  return {
    all(): StoredPreset[] {
      return sql.all<PresetRow>(`SELECT id, name, config FROM presets ORDER BY id = ${defaultPresetId} DESC, name`).map(toPreset);
    },
    byId(id: number): StoredPreset | undefined {
      const row = sql.get<PresetRow>(`SELECT id, name, config FROM presets WHERE id = ?`, id);
      return row && toPreset(row);
    },
    byName(name: string): StoredPreset | undefined {
      const row = sql.get<PresetRow>(`SELECT id, name, config FROM presets WHERE name = ?`, name);
      return row && toPreset(row);
    },
    /** Default's options; the stored text too, so a caller can tell a change cheaply. */
    defaultConfig(): { text: string; config: PresetConfig } {
      const text = sql.value<string>(`SELECT config FROM presets WHERE id = ${defaultPresetId}`) ?? '{}';
      return { text, config: readPresetConfig(text) };
    },
    insert(name: string, config: PresetConfig, now: number): number {
      return Number(sql.run(`INSERT INTO presets (name, config, created, modified) VALUES (?, ?, ?, ?)`, name, JSON.stringify(config), now, now).lastInsertRowid);
    },
    update(id: number, change: { name?: string; config?: PresetConfig }, now: number): number {
      return sql.run(
        `UPDATE presets SET name = IFNULL(@name, name), config = IFNULL(@config, config), modified = @now WHERE id = @id`,
        { id, now, name: change.name ?? null, config: change.config ? JSON.stringify(change.config) : null },
      ).changes;
    },
    /** Writes Default's options (the settings' daily limits and the rest, settings-store.ts). */
    updateDefault(config: PresetConfig): void {
      sql.run(`UPDATE presets SET config = ?, modified = modified WHERE id = ${defaultPresetId}`, JSON.stringify(config));
    },
    /** Its decks go back to Default (ON DELETE SET NULL). */
    delete(id: number): number {
      return sql.run(`DELETE FROM presets WHERE id = ?`, id).changes;
    },
    /** @returns how many decks changed. */
    assign(deckId: number, presetId: number): number {
      return sql.run(`UPDATE decks SET preset_id = ? WHERE id = ? AND IFNULL(preset_id, ${defaultPresetId}) <> ?`, presetId === defaultPresetId ? null : presetId, deckId, presetId).changes;
    },
    /** Every deck's preset id. */
    deckPresets(): { deckId: number; presetId: number }[] {
      return sql.all(`SELECT id AS deckId, IFNULL(preset_id, ${defaultPresetId}) AS presetId FROM decks ORDER BY id`);
    },
    /** The preset of a card's deck. */
    presetOfCard(cardId: number): number {
      return (
        sql.value<number>(
          `SELECT IFNULL(d.preset_id, ${defaultPresetId}) FROM cards c JOIN notes n ON n.id = c.note_id JOIN decks d ON d.id = n.deck_id WHERE c.id = ?`,
          cardId,
        ) ?? defaultPresetId
      );
    },
    /**
     * Review cards of the preset's decks falling due on each study day `from`…`to` (days from the
     * one starting at `dayStart`; day 0 includes the overdue), not suspended: the load the
     * balancer evens out. Days are 24 h steps. Only the range's cards are read (the due index), and
     * with `allDecks` (every deck uses the preset) no deck is looked up.
     */
    reviewLoad(preset: number, dayStart: number, from: number, to: number, allDecks: boolean): number[] {
      const load = new Array<number>(to - from + 1).fill(0);
      const rows = sql.all<{ day: number; n: number }>(
        `SELECT max(0, CAST((due - @dayStart + 8640000000000) / 86400000 AS INTEGER) - 100000) AS day, count(*) AS n
         FROM cards WHERE state = 2 AND due >= @since AND due < @until AND suspended = 0 ${allDecks ? '' : `AND ${inPreset}`} GROUP BY day`,
        { preset, dayStart, since: from === 0 ? -8640000000000 : dayStart + from * 86_400_000, until: dayStart + (to + 1) * 86_400_000 },
      );
      for (const row of rows) if (row.day >= from && row.day <= to) load[row.day - from] += row.n;
      return load;
    },
    /** Whether every deck uses the preset (the common case: one preset). */
    coversAllDecks(preset: number): boolean {
      return sql.value<number>(`SELECT 1 FROM decks WHERE IFNULL(preset_id, ${defaultPresetId}) <> ? LIMIT 1`, preset) === undefined;
    },
    /** The days of the range on which another card of the note is due: the balancer keeps siblings apart. */
    siblingDays(cardId: number, noteId: number, dayStart: number): Set<number> {
      const rows = sql.column<number>(
        `SELECT DISTINCT max(0, CAST((due - @dayStart + 8640000000000) / 86400000 AS INTEGER) - 100000)
         FROM cards WHERE note_id = @note AND id <> @card AND state = 2 AND suspended = 0`,
        { dayStart, note: noteId, card: cardId },
      );
      return new Set(rows);
    },
    /** The answers of the preset's decks' cards as [card id, time, rating, state before], by card and time (the optimizer's input). */
    iterateHistories(preset: number): IterableIterator<[number, number, number, number]> {
      return sql.iterateRaw(`SELECT card_id, id, rating, state FROM revlog WHERE card_id IN (SELECT id FROM cards WHERE ${inPreset}) ORDER BY card_id, id`, { preset });
    },
    /** Every card not suspended, new or past it, with its preset: what the load simulation answers. */
    simulationCards(): SimulationCard[] {
      return sql.all<SimulationCard>(
        `SELECT c.id, c.note_id, c.state, c.due, c.stability, c.difficulty, c.elapsed_days, c.scheduled_days, c.learning_steps, c.reps, c.lapses,
                c.last_review, c.new_position, IFNULL(d.preset_id, ${defaultPresetId}) AS preset
         FROM cards c JOIN notes n ON n.id = c.note_id JOIN decks d ON d.id = n.deck_id
         WHERE c.suspended = 0 ORDER BY c.state = 0, c.new_position, c.id`,
      );
    },
    /** Reviews and new cards answered per deck in [start, end): each deck's share of its own limits. */
    doneByDeck(start: number, end: number): { deckId: number; review: number; new: number }[] {
      return sql.all(
        `SELECT n.deck_id AS deckId, SUM(r.state = 2) AS review, SUM(r.state = 0) AS new
         FROM revlog r JOIN cards c ON c.id = r.card_id JOIN notes n ON n.id = c.note_id
         WHERE r.id >= ? AND r.id < ? GROUP BY n.deck_id`,
        start,
        end,
      );
    },
  };
}

export type PresetsStore = ReturnType<typeof presetsStore>;

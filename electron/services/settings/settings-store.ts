import { Settings, defaultSettings } from '../../../src/shared/contract';
import type { PresetConfig } from '../../../src/shared/contract/presets';
import type { SettingsTable } from '../store/settings';
import type { PresetsStore } from '../store/presets';

/**
 * The user's settings: one row per key in `settings`, each value JSON, merged over the defaults.
 * The daily limits, steps, retention, bury rule and FSRS weights are the Default preset's: read
 * from and written to its row, so the Settings screen's first section and the preset editor are
 * the same options.
 */
export interface SettingsStore {
  get(): Settings;
  /** Validates the merged result before anything is written; throws zod's error when invalid. */
  set(patch: Partial<Settings>): Settings;
}

type Key = keyof Settings;

/** The keys of Settings that are the Default preset's options. */
const presetKeys = ['newPerDay', 'reviewsPerDay', 'desiredRetention', 'learningSteps', 'relearningSteps', 'burySiblings', 'fsrsWeights'] as const satisfies readonly Key[];
type PresetKey = (typeof presetKeys)[number];
const isPresetKey = (key: string): key is PresetKey => (presetKeys as readonly string[]).includes(key);

function fromPreset(config: PresetConfig): Pick<Settings, PresetKey> {
  return {
    newPerDay: config.newPerDay,
    reviewsPerDay: config.reviewsPerDay,
    desiredRetention: config.desiredRetention,
    learningSteps: config.learningSteps,
    relearningSteps: config.relearningSteps,
    burySiblings: config.buryNew && config.buryReviews,
    fsrsWeights: config.fsrsWeights,
  };
}

function toPreset(settings: Settings, patch: Partial<Settings>, config: PresetConfig): PresetConfig {
  const next = { ...config };
  if ('newPerDay' in patch) next.newPerDay = settings.newPerDay;
  if ('reviewsPerDay' in patch) next.reviewsPerDay = settings.reviewsPerDay;
  if ('desiredRetention' in patch) next.desiredRetention = settings.desiredRetention;
  if ('learningSteps' in patch) next.learningSteps = settings.learningSteps;
  if ('relearningSteps' in patch) next.relearningSteps = settings.relearningSteps;
  if ('burySiblings' in patch) next.buryNew = next.buryReviews = settings.burySiblings;
  if ('fsrsWeights' in patch) next.fsrsWeights = settings.fsrsWeights;
  return next;
}

function readStored(table: SettingsTable): Settings {
  const merged: Record<string, unknown> = { ...defaultSettings };
  for (const row of table.all()) {
    if (!Object.hasOwn(defaultSettings, row.key) || isPresetKey(row.key)) continue; // another area's key, or an old one
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

export function createSettingsStore(table: SettingsTable, presets: PresetsStore): SettingsStore {
  let own: Settings | undefined;
  // The Default preset changes outside this store too (the preset editor, undo): its row is read
  // each time, and the merged settings rebuilt only when its text changed.
  let merged: { text: string; settings: Settings } | undefined;
  const get = (): Settings => {
    own ??= readStored(table);
    const { text, config } = presets.defaultConfig();
    if (merged?.text !== text) merged = { text, settings: { ...own, ...fromPreset(config) } };
    return merged.settings;
  };
  return {
    get,
    set(patch) {
      const current = get();
      const next = Settings.parse({ ...current, ...patch });
      const keys = Object.keys(patch) as Key[];
      table.transaction(() => {
        table.put(keys.filter((key) => !isPresetKey(key)).map((key) => [key, JSON.stringify(next[key])]));
        if (keys.some(isPresetKey)) presets.updateDefault(toPreset(next, patch, presets.defaultConfig().config));
      });
      own = { ...next };
      merged = undefined;
      return get();
    },
  };
}

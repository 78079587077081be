import { z } from 'zod';
import { method } from './define';
import { Step } from './settings';

/**
 * How much of a normal day's reviews a weekday takes, as Anki's easy days: 1 normal, 0.5
 * reduced, 0 minimum (almost none scheduled there, unless every day of the range is one).
 */
export const EasyDay = z.union([z.literal(1), z.literal(0.5), z.literal(0)]);
export type EasyDay = z.infer<typeof EasyDay>;

/** Anki's easy-day weight of each weekday, Monday first (its `easyDaysPercentages`). */
export const EasyDays = z.array(EasyDay).length(7);

/** What an options preset sets, as Anki's deck options (its deck config, `dconf`). */
export const PresetConfig = z.object({
  newPerDay: z.number().int().min(0).max(9999),
  reviewsPerDay: z.number().int().min(0).max(99999),
  learningSteps: z.array(Step).max(10),
  relearningSteps: z.array(Step).max(10),
  desiredRetention: z.number().min(0.7).max(0.99),
  /** After an answer, the note's other new cards wait until the next study day (Anki's bury new siblings). */
  buryNew: z.boolean(),
  /** The same for the note's review cards (Anki's bury review siblings). */
  buryReviews: z.boolean(),
  /** The longest interval a review may get, in days. */
  maximumInterval: z.number().int().min(1).max(36500),
  /** The 21 FSRS-6 weights fitted to this preset's decks; null: ts-fsrs's defaults. */
  fsrsWeights: z.array(z.number()).length(21).nullable(),
  easyDays: EasyDays,
});
export type PresetConfig = z.infer<typeof PresetConfig>;

export const defaultPresetConfig: PresetConfig = {
  newPerDay: 20,
  reviewsPerDay: 200,
  learningSteps: ['1m', '10m'],
  relearningSteps: ['10m'],
  desiredRetention: 0.9,
  buryNew: true,
  buryReviews: true,
  maximumInterval: 36500,
  fsrsWeights: null,
  easyDays: [1, 1, 1, 1, 1, 1, 1],
};

/** The preset every deck uses until it is given another; it cannot be deleted. */
export const defaultPresetId = 1;

const PresetName = z.string().trim().min(1).max(100);

export const Preset = z.object({
  id: z.number().int(),
  name: z.string(),
  config: PresetConfig,
  /** The decks that use it. */
  deckIds: z.array(z.number().int()),
});
export type Preset = z.infer<typeof Preset>;

/** The daily load with load balancing on and off, from the same simulated reviews. */
export const LoadSimulation = z.object({
  /** Start of each simulated study day (ms), today first. */
  days: z.array(z.number()),
  balanced: z.array(z.number().int()),
  unbalanced: z.array(z.number().int()),
  /** Per series: the largest day, the mean and the standard deviation of the daily reviews. */
  summary: z.object({
    balanced: z.object({ max: z.number(), mean: z.number(), sd: z.number() }),
    unbalanced: z.object({ max: z.number(), mean: z.number(), sd: z.number() }),
  }),
});
export type LoadSimulation = z.infer<typeof LoadSimulation>;

const Id = z.number().int().positive();

export const presetsContract = {
  /** Every preset (Default first) with the decks that use it. */
  'presets.list': method(z.object({}).strict(), z.array(Preset)),
  /** Creates a preset (Default's options unless `config` is given), or with `from` a copy of that one. */
  'presets.create': method(z.object({ name: PresetName, from: Id.optional() }).strict(), Preset),
  /** Renames a preset and/or changes its options (a partial change); an operation of the undo history. */
  'presets.update': method(z.object({ id: Id, name: PresetName.optional(), config: PresetConfig.partial().strict().optional() }).strict(), Preset),
  /** Deletes a preset; its decks go back to Default. Default cannot be deleted (`conflict`). */
  'presets.delete': method(z.object({ id: Id }).strict(), z.object({ decks: z.number().int() })),
  /** Gives a deck a preset. */
  'presets.assign': method(z.object({ deckId: Id, presetId: Id }).strict(), z.object({ ok: z.literal(true) })),
  /**
   * A model, not a forecast of the user's answers: the collection's review cards answered every
   * day they fall due for `days` days, each recalled with its FSRS probability, scheduled once with
   * load balancing and once without, from the same random draws.
   */
  'presets.simulateLoad': method(z.object({ days: z.number().int().min(7).max(120).default(30) }).strict(), LoadSimulation),
};

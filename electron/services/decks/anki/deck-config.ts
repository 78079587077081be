import type { AnkiCollection } from '../../store/anki/collection';
import { defaultPresetConfig, EasyDays, PresetConfig } from '../../../../src/shared/contract/presets';
import { parseJsonColumn } from './collection';

/** A deck's options preset as it travels in a package. */
export interface ExchangePreset {
  name: string;
  config: PresetConfig;
}

/** A step in Anki's minutes ('1m', '2h', '3d'), as ProofDeck writes them. */
function stepMinutes(step: string): number {
  const value = Number(step.slice(0, -1));
  const unit = step.at(-1);
  return unit === 'd' ? value * 1440 : unit === 'h' ? value * 60 : value;
}

function stepOf(minutes: number): string | null {
  if (!Number.isFinite(minutes) || minutes <= 0) return null;
  if (minutes % 1440 === 0) return `${minutes / 1440}d`;
  if (minutes % 60 === 0) return `${minutes / 60}h`;
  return `${Math.max(1, Math.round(minutes))}m`;
}

/**
 * An options preset as Anki's deck options (`col.dconf`, the JSON of Anki's schema 11, which
 * Anki's importer reads into its deck configs): limits, steps, bury rules, maximum interval, and
 * the FSRS keys (desired retention, FSRS-6 parameters, easy days). Anki's SM-2 keys keep its defaults.
 */
export function presetToDconf(id: number, preset: ExchangePreset, modSeconds: number): Record<string, unknown> {
  const { config } = preset;
  return {
    id, name: preset.name, mod: modSeconds, usn: -1, maxTaken: 60, autoplay: true, timer: 0, replayq: true, dyn: false,
    new: { delays: config.learningSteps.map(stepMinutes), ints: [1, 4, 0], initialFactor: 2500, order: 1, perDay: config.newPerDay, bury: config.buryNew },
    rev: { perDay: config.reviewsPerDay, ease4: 1.3, ivlFct: 1, maxIvl: config.maximumInterval, hardFactor: 1.2, bury: config.buryReviews },
    lapse: { delays: config.relearningSteps.map(stepMinutes), mult: 0, minInt: 1, leechFails: 8, leechAction: 1 },
    desiredRetention: config.desiredRetention,
    fsrsParams6: config.fsrsWeights ?? [],
    easyDaysPercentages: config.easyDays,
    buryInterdayLearning: false,
  };
}

type Json = Record<string, unknown>;
const object = (value: unknown): Json => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {});

/**
 * The preset of deck `deckId` in a package of Anki's JSON layout (`col.decks` and `col.dconf`),
 * each option checked on its own (one Anki has and ProofDeck cannot hold keeps ProofDeck's
 * default). Undefined for the newest layout (deck configs as protobuf rows), or a deck without one.
 */
export function readDeckPreset(db: AnkiCollection, deckId: number): ExchangePreset | undefined {
  const decks = object(parseJsonColumn(db.col('decks'), 'decks'));
  const configs = object(parseJsonColumn(db.col('dconf'), 'deck options'));
  const deck = object(decks[String(deckId)]);
  const dconf = object(configs[String(deck.conf ?? 1)]);
  if (typeof dconf.name !== 'string' || dconf.name.trim() === '') return undefined;
  const fresh = object(dconf.new);
  const rev = object(dconf.rev);
  const lapse = object(dconf.lapse);
  const steps = (value: unknown) => (Array.isArray(value) ? value.map((m) => stepOf(Number(m))).filter((s): s is string => s !== null) : undefined);
  const candidate: Record<keyof PresetConfig, unknown> = {
    newPerDay: fresh.perDay,
    reviewsPerDay: rev.perDay,
    learningSteps: steps(fresh.delays),
    relearningSteps: steps(lapse.delays),
    desiredRetention: dconf.desiredRetention,
    buryNew: fresh.bury,
    buryReviews: rev.bury,
    maximumInterval: rev.maxIvl,
    fsrsWeights: Array.isArray(dconf.fsrsParams6) && dconf.fsrsParams6.length === 21 ? dconf.fsrsParams6 : null,
    easyDays: Array.isArray(dconf.easyDaysPercentages) ? dconf.easyDaysPercentages.map((p) => (p === 1 ? 1 : p === 0 ? 0 : 0.5)) : undefined,
  };
  const config: Record<string, unknown> = { ...defaultPresetConfig };
  for (const [key, value] of Object.entries(candidate)) {
    const checked = (key === 'easyDays' ? EasyDays : PresetConfig.shape[key as keyof PresetConfig]).safeParse(value);
    if (checked.success) config[key] = checked.data;
  }
  return { name: dconf.name.trim().slice(0, 100), config: PresetConfig.parse(config) };
}

import type { Handlers } from '../dispatch';
import type { ServiceContext } from '../context';
import { assignPreset, createPreset, deletePreset, listPresets, updatePreset } from './presets';
import { simulateLoad } from './simulate-load';

type PresetMethods = 'presets.list' | 'presets.create' | 'presets.update' | 'presets.delete' | 'presets.assign' | 'presets.simulateLoad';

/** Options presets (Anki's deck options): create, rename, change, clone, delete, assign to a deck; each an operation of the undo history. */
export function presetHandlers(ctx: ServiceContext): Pick<Handlers, PresetMethods> {
  return {
    'presets.list': () => listPresets(ctx),
    'presets.create': ({ name, from }) => createPreset(ctx, name, from),
    'presets.update': ({ id, name, config }) => updatePreset(ctx, id, { name, config }),
    'presets.delete': ({ id }) => deletePreset(ctx, id),
    'presets.assign': ({ deckId, presetId }) => {
      assignPreset(ctx, deckId, presetId);
      return { ok: true as const };
    },
    'presets.simulateLoad': ({ days }) => simulateLoad(ctx, days),
  };
}

import type { Handlers } from '../dispatch';
import type { ServiceContext } from '../context';
import { undoable } from '../undo/undo';

/** The settings that are the Default preset's options: changing them is a preset change, undone like one. */
const presetKeys = new Set(['newPerDay', 'reviewsPerDay', 'desiredRetention', 'learningSteps', 'relearningSteps', 'burySiblings', 'fsrsWeights']);

export function settingsHandlers(ctx: ServiceContext): Pick<Handlers, 'settings.get' | 'settings.set'> {
  return {
    'settings.get': () => ctx.settings.get(),
    'settings.set': (patch) => {
      if (!Object.keys(patch).some((key) => presetKeys.has(key))) return ctx.settings.set(patch);
      return undoable(ctx, 'preset-update', () => ctx.settings.set(patch), { count: 1, name: 'Default' });
    },
  };
}

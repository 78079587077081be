import type { Handlers } from '../dispatch';
import type { ServiceContext } from '../context';

export function settingsHandlers(ctx: ServiceContext): Pick<Handlers, 'settings.get' | 'settings.set'> {
  return {
    'settings.get': () => ctx.settings.get(),
    'settings.set': (patch) => ctx.settings.set(patch),
  };
}

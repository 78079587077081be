import type { Transport } from '../../src/shared/transport';
import type { EventName, EventPayload } from '../../src/shared/contract';
import type { CallContext, Dispatch } from '../services/dispatch';

/**
 * A Transport that calls the dispatcher in the same process, for tests. Values are
 * cloned both ways, as IPC's structured clone would, so a caller can never share objects with
 * the services.
 */
export function createInMemoryTransport(dispatch: Dispatch): Transport {
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const call: CallContext = {
    emit(event, payload) {
      for (const listener of listeners.get(event) ?? []) listener(structuredClone(payload));
    },
  };
  return {
    async invoke(method, args) {
      return structuredClone(await dispatch(method, structuredClone(args), call));
    },
    subscribe<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      const wrapped = listener as (payload: unknown) => void;
      set.add(wrapped);
      return () => set.delete(wrapped);
    },
  };
}

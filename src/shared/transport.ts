import { AppError, type Envelope } from './errors';
import type { Api, Method, EventName, EventPayload } from './contract';
import { methodNames } from './contract/names';

/**
 * What a client needs from a transport: invoke a method by name and receive its envelope, and
 * listen to host events. Implemented by the preload (IPC), the HTTP client and the in-memory
 * transport; nothing else knows how bytes travel.
 */
export interface Transport {
  invoke(method: Method, args: unknown): Promise<Envelope<unknown>>;
  subscribe<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/** A typed client over any transport: `await client.api['review.next']({})`. Failures throw AppError. */
export interface Client {
  api: Api;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

export function createClient(transport: Transport): Client {
  const api = {} as Record<Method, (args: unknown) => Promise<unknown>>;
  for (const m of methodNames) {
    api[m] = async (args: unknown) => {
      const envelope = await transport.invoke(m, args ?? {});
      if (envelope.ok) return envelope.value;
      throw AppError.fromFailure(envelope.error);
    };
  }
  return { api: api as unknown as Api, on: (event, listener) => transport.subscribe(event, listener) };
}

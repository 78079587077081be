import type { Envelope } from './errors';
import type { EventName, EventPayload, Method } from './contract';
import type { Transport } from './transport';

/**
 * What the Electron preload exposes as `window.api`: one named function per contract method
 * (never ipcRenderer itself) and an event subscription. Generated from the contract's method list.
 */
export type Bridge = { [M in Method]: (args: unknown) => Promise<Envelope<unknown>> } & {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
};

/** The preload's bridge as a Transport, so the UI uses one client whatever the host. */
export function bridgeTransport(bridge: Bridge): Transport {
  return {
    invoke: (method, args) => bridge[method](args),
    subscribe: (event, listener) => bridge.on(event, listener),
  };
}

/** HTTP paths and header of the browser host, shared by its server and its client. */
export const httpProtocol = {
  /** POST `${callPath}${method}` with a JSON body (the args); the reply is an Envelope. */
  callPath: '/api/call/',
  /** Server-sent events; the token goes in the query (EventSource cannot set headers). */
  eventsPath: '/api/events',
  tokenHeader: 'x-proofdeck-token',
  /** The host puts the per-launch token in this meta tag of index.html. */
  tokenMeta: 'proofdeck-token',
  /**
   * Largest request body the host accepts. The largest request the UI makes is a deck-upload chunk
   * (1 MiB as base64 in JSON: 1.40 MB); a note saved with three fields at the contract's 200,000
   * characters of Hangul is 1.8 MB. Four MiB leaves room for both and keeps a hostile body from
   * costing the host more than a few tens of MB to refuse.
   */
  maxBodyBytes: 4 * 1024 * 1024,
  /** `decks.export` carries the deck's Mermaid diagrams rendered to SVG (tens of KB each). */
  exportBodyBytes: 32 * 1024 * 1024,
} as const;

/** The body limit of one method's requests on the browser host. */
export function bodyLimit(method: string, defaultLimit: number = httpProtocol.maxBodyBytes): number {
  return method === 'decks.export' ? Math.max(defaultLimit, httpProtocol.exportBodyBytes) : defaultLimit;
}

import type { Envelope } from './errors';
import type { EventName, EventPayload, Method } from './contract';
import { httpProtocol } from './bridge';
import type { Transport } from './transport';

type Listener = (payload: unknown) => void;

/**
 * The browser host's transport: contract calls as JSON over HTTP on 127.0.0.1 with the per-launch
 * token, host events over server-sent events. Works in the browser and in Node (fetch; events need
 * a global EventSource, which browsers have).
 */
export function createHttpTransport(baseUrl: string, token: string): Transport {
  const listeners = new Map<EventName, Set<Listener>>();
  let source: EventSource | null = null;

  const streamed = new Set<EventName>();

  /** Opens the event stream on the first subscription and relays each event name once subscribed. */
  function listen(name: EventName): void {
    if (typeof EventSource === 'undefined') return;
    source ??= new EventSource(`${baseUrl}${httpProtocol.eventsPath}?token=${encodeURIComponent(token)}`);
    if (streamed.has(name)) return;
    streamed.add(name);
    source.addEventListener(name, (e) => {
      const payload = JSON.parse((e as unknown as { data: string }).data) as unknown;
      listeners.get(name)?.forEach((l) => l(payload));
    });
  }

  return {
    async invoke(method: Method, args: unknown): Promise<Envelope<unknown>> {
      let response: Response;
      try {
        response = await fetch(`${baseUrl}${httpProtocol.callPath}${method}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [httpProtocol.tokenHeader]: token },
          body: JSON.stringify(args ?? {}),
        });
      } catch (e) {
        return { ok: false, error: { code: 'offline', message: `the ProofDeck host did not answer: ${String(e)}` } };
      }
      const text = await response.text();
      try {
        return JSON.parse(text) as Envelope<unknown>;
      } catch {
        return { ok: false, error: { code: 'internal', message: `HTTP ${response.status}: ${text.slice(0, 200)}` } };
      }
    },
    subscribe<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) {
      listen(event);
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as Listener);
      return () => set.delete(listener as Listener);
    },
  };
}

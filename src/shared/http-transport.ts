import type { Envelope } from './errors';
import type { EventName, EventPayload, Method } from './contract';
import { httpProtocol } from './bridge';
import type { Transport } from './transport';

type Listener = (payload: unknown) => void;

export interface HttpTransportOptions {
  /**
   * Called once when the host says this page's token is from its previous run (it was restarted
   * on the same port): the page reloads to get the new one. With it, the event stream opens at
   * once, so a restart is noticed even while the page makes no calls.
   */
  onHostRestarted?: () => void;
}

/** How long to wait before opening the event stream again after it was refused or dropped. */
const reopenMs = 1_000;

/**
 * The browser host's transport: contract calls as JSON over HTTP on 127.0.0.1 with the per-launch
 * token, host events over server-sent events. Works in the browser and in Node (fetch; events need
 * a global EventSource, which browsers have).
 */
export function createHttpTransport(baseUrl: string, token: string, options: HttpTransportOptions = {}): Transport {
  const listeners = new Map<EventName, Set<Listener>>();
  const streamed = new Set<EventName>();
  let source: EventSource | null = null;
  let restarted = false;

  const hostRestarted = (): void => {
    if (restarted) return;
    restarted = true;
    source?.close();
    options.onHostRestarted?.();
  };

  function relay(target: EventSource, name: EventName): void {
    target.addEventListener(name, (e) => {
      const payload = JSON.parse((e as unknown as { data: string }).data) as unknown;
      listeners.get(name)?.forEach((l) => l(payload));
    });
  }

  /**
   * Opens the event stream. While the host is away the browser reconnects by itself (the host
   * asks for one second between tries); a host that answers but refuses the stream closes it,
   * and a call with the token then tells a restart (reload) from anything else (open it again).
   */
  function openStream(): void {
    if (typeof EventSource === 'undefined' || restarted || source) return;
    const opened = new EventSource(`${baseUrl}${httpProtocol.eventsPath}?token=${encodeURIComponent(token)}`);
    source = opened;
    for (const name of streamed) relay(opened, name);
    opened.addEventListener('error', () => {
      if (opened.readyState !== EventSource.CLOSED || source !== opened) return;
      source = null;
      void invoke('app.info', {}).then((reply) => {
        if (!reply.ok && reply.error.code === 'host-restarted') return;
        setTimeout(openStream, reopenMs);
      });
    });
  }

  /** Opens the event stream on the first subscription and relays each event name once subscribed. */
  function listen(name: EventName): void {
    if (streamed.has(name)) return;
    streamed.add(name);
    if (source) relay(source, name);
    else openStream();
  }

  async function invoke(method: Method, args: unknown): Promise<Envelope<unknown>> {
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
    let envelope: Envelope<unknown>;
    try {
      envelope = JSON.parse(text) as Envelope<unknown>;
    } catch {
      return { ok: false, error: { code: 'internal', message: `HTTP ${response.status}: ${text.slice(0, 200)}` } };
    }
    if (!envelope.ok && envelope.error.code === 'host-restarted') hostRestarted();
    return envelope;
  }

  if (options.onHostRestarted) openStream();

  return {
    invoke,
    subscribe<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) {
      listen(event);
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as Listener);
      return () => set.delete(listener as Listener);
    },
  };
}

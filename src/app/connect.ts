import { bridgeTransport, httpProtocol, type Bridge } from '../shared/bridge';
import { createHttpTransport } from '../shared/http-transport';
import { createClient, type Client } from '../shared/transport';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in the browser host. */
    api?: Bridge;
  }
}

/**
 * The client for whichever host serves this page: the Electron preload's `window.api`, or the
 * browser host's HTTP API (same origin, with the token the host wrote into index.html).
 * Null when neither is there (the page was opened some other way).
 */
export function connect(): Client | null {
  if (window.api) return createClient(bridgeTransport(window.api));
  const token = document.querySelector<HTMLMetaElement>(`meta[name="${httpProtocol.tokenMeta}"]`)?.content;
  if (token) return createClient(createHttpTransport(window.location.origin, token));
  return null;
}

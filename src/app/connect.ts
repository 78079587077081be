import { bridgeTransport, httpProtocol, type Bridge } from '../shared/bridge';
import { createHttpTransport } from '../shared/http-transport';
import { createClient, type Client } from '../shared/transport';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in the browser host. */
    api?: Bridge;
  }
}

const reloadedAtKey = 'proofdeck.reloadedAt';
/** A page that reloads finds the new host at once; this only stops a loop if something else is wrong. */
const minReloadGapMs = 5_000;

/**
 * The browser host was restarted: this page's token is stale. Reloading fetches index.html with
 * the new one; the screen comes back from the URL hash (and its parameters from sessionStorage,
 * see Root.tsx).
 */
function reloadForNewHost(): void {
  const last = Number(sessionStorage.getItem(reloadedAtKey) ?? 0);
  const wait = Math.max(0, last + minReloadGapMs - Date.now());
  setTimeout(() => {
    sessionStorage.setItem(reloadedAtKey, String(Date.now()));
    window.location.reload();
  }, wait);
}

/**
 * The client for whichever host serves this page: the Electron preload's `window.api`, or the
 * browser host's HTTP API (same origin, with the token the host wrote into index.html).
 * Null when neither is there (the page was opened some other way).
 */
export function connect(): Client | null {
  if (window.api) return createClient(bridgeTransport(window.api));
  const token = document.querySelector<HTMLMetaElement>(`meta[name="${httpProtocol.tokenMeta}"]`)?.content;
  if (token) return createClient(createHttpTransport(window.location.origin, token, { onHostRestarted: reloadForNewHost }));
  return null;
}

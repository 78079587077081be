import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import type { CallContext, Dispatch } from './services/dispatch';
import type { Envelope } from '../src/shared/errors';
import { isTrustedUiUrl, type TrustedOrigins } from './security';
import { ipcChannels } from './channels';

/** Who may call the API: the UI window's webContents, from its main frame, showing our page. */
export interface SenderPolicy extends TrustedOrigins {
  /** The UI window's webContents (null before the window exists or after it closed). */
  uiContents(): WebContents | null;
}

/** Why a sender is refused, or null when it is the UI's main frame on our page. */
export function senderProblem(event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>, policy: SenderPolicy): string | null {
  const ui = policy.uiContents();
  if (!ui || event.sender !== ui) return 'the call did not come from the ProofDeck window';
  const frame = event.senderFrame;
  if (!frame) return 'the calling frame is gone';
  if (frame.parent !== null) return 'the call came from a sub-frame';
  if (!isTrustedUiUrl(frame.url, policy)) return 'the calling page is not ProofDeck';
  return null;
}

/**
 * The one IPC door: a single `api` channel whose calls are checked for their sender and then go
 * through the shared dispatcher (which validates every payload before any service runs).
 * Returns a function that removes the handler.
 */
export function registerApi(ipcMain: IpcMain, dispatch: Dispatch, policy: SenderPolicy, context: CallContext): () => void {
  ipcMain.handle(ipcChannels.api, async (event, method: unknown, args: unknown): Promise<Envelope<unknown>> => {
    const problem = senderProblem(event, policy);
    if (problem) return { ok: false, error: { code: 'forbidden', message: `refused: ${problem}` } };
    if (typeof method !== 'string') {
      return { ok: false, error: { code: 'invalid-args', message: 'the method name must be a string', params: { detail: 'method' } } };
    }
    return dispatch(method, args, context);
  });
  return () => ipcMain.removeHandler(ipcChannels.api);
}

/** Pushes a host event to a window's UI, if it is still there. */
export function sendEvent(contents: WebContents | null, name: string, payload: unknown): void {
  if (contents && !contents.isDestroyed()) contents.send(ipcChannels.event, name, payload);
}

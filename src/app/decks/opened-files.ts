import { useSyncExternalStore } from 'react';
import type { OpenedFile } from '../../shared/contract';
import type { Client } from '../../shared/transport';

// Deck files the operating system opened with ProofDeck, between the shell taking them from the
// host and the import panel showing them. The shell may take them before the Decks screen exists
// (at start, or on another screen), so they wait here; the panel takes them one at a time.

type Listener = () => void;

let waiting: readonly OpenedFile[] = [];
const listeners = new Set<Listener>();

function changed(next: readonly OpenedFile[]): void {
  waiting = next;
  for (const listener of listeners) listener();
}

/** Files opened from the operating system that no import panel has shown yet, oldest first. */
export const openedFiles = {
  add(files: readonly OpenedFile[]): void {
    if (files.length) changed([...waiting, ...files]);
  },
  /** The oldest waiting file, now the caller's to show. */
  take(): OpenedFile | undefined {
    const [first, ...rest] = waiting;
    if (first) changed(rest);
    return first;
  },
  subscribe(listener: Listener): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  snapshot(): readonly OpenedFile[] {
    return waiting;
  },
};

/** The files waiting for the import panel (re-renders when one arrives or is taken). */
export function useOpenedFiles(): readonly OpenedFile[] {
  return useSyncExternalStore(openedFiles.subscribe, openedFiles.snapshot);
}

/**
 * Takes the files the host holds for the UI and queues them here. Resolves with how many came
 * (0 when none, or when the host cannot answer: a later `open-file` event asks again).
 */
export async function collectOpenedFiles(client: Client): Promise<number> {
  try {
    const files = await client.api['decks.openedFiles']({});
    openedFiles.add(files);
    return files.length;
  } catch {
    return 0;
  }
}

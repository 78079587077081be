// Answers fetched ahead of the screen that needs them, so a round trip to the host overlaps with
// work the UI does anyway: today's counts load with the app's settings, and the first card of a
// session loads while Today is on screen. An answer is taken once, and only while it is fresh.

interface Prefetched {
  at: number;
  value: Promise<unknown>;
}

const slots = new Map<string, Prefetched>();

/** Keeps `value` for the next `takePrefetched(key)`; its failure is the taker's to see. */
export function prefetch<T>(key: string, value: Promise<T>): void {
  value.catch(() => undefined);
  slots.set(key, { at: Date.now(), value });
}

/** True while a value is waiting under `key` and is at most `maxAgeMs` old. */
export function hasPrefetched(key: string, maxAgeMs: number): boolean {
  const slot = slots.get(key);
  return slot !== undefined && Date.now() - slot.at <= maxAgeMs;
}

/** The value prefetched under `key` if it is at most `maxAgeMs` old (then forgotten), else null. */
export function takePrefetched<T>(key: string, maxAgeMs: number): Promise<T> | null {
  const slot = slots.get(key);
  slots.delete(key);
  if (!slot || Date.now() - slot.at > maxAgeMs) return null;
  return slot.value as Promise<T>;
}

/** Forgets a prefetched value (what it answered may have changed). */
export function dropPrefetched(key: string): void {
  slots.delete(key);
}

/** Forgets every prefetched value (the database was reset or reopened: they answered another one). */
export function dropAllPrefetched(): void {
  slots.clear();
}

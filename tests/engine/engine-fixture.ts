import { afterAll, beforeAll } from 'vitest';
import { createDawnEngine, type DawnEngine } from '../../electron/hosts/dawn';

/** One Dawn + SwiftShader engine per test file, closed after it. */
export function useDawnEngine(): () => DawnEngine {
  let engine: DawnEngine | undefined;
  beforeAll(async () => {
    engine = await createDawnEngine();
  });
  afterAll(() => engine?.close());
  return () => {
    if (!engine) throw new Error('engine not ready');
    return engine;
  };
}

/** A fresh seed per run (printed by the caller), so inputs are new each time yet reproducible. */
export function freshSeed(): number {
  return Math.floor(Math.random() * 2 ** 31);
}

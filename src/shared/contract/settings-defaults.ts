import type { Settings } from './settings';

// The defaults on their own, without the settings schema: the UI shows its first screen with them
// before the stored settings arrive, and must not build the contract's zod schemas to do so.

export const defaultSettings: Settings = {
  locale: null,
  theme: 'system',
  newPerDay: 20,
  reviewsPerDay: 200,
  desiredRetention: 0.9,
  dayStartHour: 4,
  learningSteps: ['1m', '10m'],
  relearningSteps: ['10m'],
  enableFuzz: true,
  loadBalancing: true,
  burySiblings: true,
  fsrsWeights: null,
  backupDir: null,
};

import type { Migration } from './types';
import { migration001 } from './001_initial';

/** Every migration, in order. Add new ones at the end with the next number; never edit a released one. */
export const migrations: readonly Migration[] = [migration001];

export type { Migration } from './types';

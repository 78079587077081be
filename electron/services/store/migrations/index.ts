import type { Migration } from './types';
import { migration001 } from './001_initial';
import { migration002 } from './002_search_and_stats';
import { migration003 } from './003_note_fields';
import { migration004 } from './004_note_kind';
import { migration005 } from './005_deleted_builtin_notes';
import { migration006 } from './006_undo';
import { migration007 } from './007_note_types';
import { migration008 } from './008_presets';
import { migration009 } from './009_deck_tree';
import { migration010 } from './010_flags';

/** Every migration, in order. Add new ones at the end with the next number; never edit a released one. */
export const migrations: readonly Migration[] = [migration001, migration002, migration003, migration004, migration005, migration006, migration007, migration008, migration009, migration010];

export type { Migration } from './types';

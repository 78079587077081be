import { forgetting_curve, default_w } from 'ts-fsrs';
import { cardLabel, toNoteKind } from '../../../src/shared/cloze';
import type { sortColumns } from '../../../src/shared/contract/library';
import type { Sql } from './sql';

const DAY_MS = 86_400_000;

export const isValues = ['due', 'new', 'learn', 'review', 'suspended', 'buried'] as const;
export type IsValue = (typeof isValues)[number];
export const propNames = ['ivl', 'lapses', 'reps', 'r', 's', 'd', 'due'] as const;
export type PropName = (typeof propNames)[number];
export type PropOp = '<' | '<=' | '>' | '>=' | '=' | '!=';

/** One term of a parsed search (cards/query.ts parses the language); terms are ANDed. */
export type SearchTerm =
  | { kind: 'text'; value: string; negate: boolean }
  | { kind: 'deck'; value: string; negate: boolean }
  | { kind: 'tag'; value: string; negate: boolean }
  | { kind: 'is'; value: IsValue; negate: boolean }
  /** Anki's `flag:N`: 0 no flag, 1 red … 7 purple. */
  | { kind: 'flag'; value: number; negate: boolean }
  | { kind: 'prop'; prop: PropName; op: PropOp; value: number; negate: boolean };

export type SortColumn = (typeof sortColumns)[number];

/** SQL for each sortable column (whitelisted: never interpolate user text). */
const sortSql: Record<SortColumn, string> = {
  front: 'n.front',
  deck: 'd.name',
  state: 'c.state',
  due: 'c.due',
  ivl: 'c.scheduled_days',
  stability: 'c.stability',
  difficulty: 'c.difficulty',
  r: 'r',
  lapses: 'c.lapses',
  reps: 'c.reps',
  created: 'c.id',
  flag: 'c.flags',
};

export interface SearchOptions {
  terms: SearchTerm[];
  sort: SortColumn;
  descending: boolean;
  offset: number;
  limit: number;
  now: number;
  /** Start of the next study day: `is:due` includes reviews due before it. */
  nextDayStart: number;
  /** The UI language: the question comes in it where the note has a translation. */
  locale?: 'ko' | 'en';
}

/** The note's question in `locale` when it has a translation there, else its own. */
function localizedFront(front: string, language: string | null, translations: string | null, locale: 'ko' | 'en' | undefined): string {
  if (!locale || language === locale || !translations) return front;
  try {
    const translated = (JSON.parse(translations) as Record<string, { front?: unknown } | undefined>)[locale]?.front;
    return typeof translated === 'string' && translated.trim() !== '' ? translated.slice(0, 300) : front;
  } catch {
    return front;
  }
}

export interface BrowseRow {
  cardId: number;
  noteId: number;
  front: string;
  deck: string;
  tags: string;
  state: number;
  due: number;
  ivl: number;
  stability: number;
  difficulty: number;
  r: number | null;
  lapses: number;
  reps: number;
  suspended: boolean;
  buried: boolean;
  /** Anki's card flag: 0 none, 1 red … 7 purple. */
  flag: number;
  /** Which card of its note: c1, c2… for cloze notes, 1/2 for reversed ones; null for basic. */
  card: string | null;
}

/** `*` wildcard to a LIKE pattern, escaping LIKE's own wildcards. */
export function globToLike(glob: string): string {
  return glob.replace(/[\\%_]/g, (c) => `\\${c}`).replace(/\*/g, '%');
}

interface Compiled {
  where: string;
  params: Record<string, unknown>;
}

function compile(terms: SearchTerm[]): Compiled {
  const clauses: string[] = [];
  const params: Record<string, unknown> = {};
  terms.forEach((term, i) => {
    const p = `p${i}`;
    let sql: string;
    switch (term.kind) {
      case 'text':
        if ([...term.value].length >= 3 && !term.value.includes('*')) {
          // Trigram index (migration 002): substring match, case-insensitive, any script.
          params[p] = `"${term.value.replace(/"/g, '""')}"`;
          sql = `n.id IN (SELECT rowid FROM notes_text WHERE notes_text MATCH @${p})`;
        } else {
          // Too short for trigrams (e.g. a two-syllable Korean word) or a wildcard: scan.
          params[p] = `%${globToLike(term.value)}%`;
          sql = `(n.front LIKE @${p} ESCAPE '\\' OR n.back LIKE @${p} ESCAPE '\\' OR n.context LIKE @${p} ESCAPE '\\' OR IFNULL(n.translations,'') LIKE @${p} ESCAPE '\\')`;
        }
        break;
      case 'deck':
        params[p] = globToLike(term.value);
        params[`${p}c`] = `${globToLike(term.value)}::%`;
        // Resolved once to a set of deck ids, not matched per card.
        sql = `n.deck_id IN (SELECT id FROM decks WHERE name LIKE @${p} ESCAPE '\\' OR name LIKE @${p}c ESCAPE '\\')`;
        break;
      case 'tag':
        // Tags are stored space-separated (tags.ts): a tag is a space-delimited word.
        params[p] = `% ${globToLike(term.value)} %`;
        params[`${p}c`] = `% ${globToLike(term.value)}::%`;
        sql = `((' ' || n.tags || ' ') LIKE @${p} ESCAPE '\\' OR (' ' || n.tags || ' ') LIKE @${p}c ESCAPE '\\')`;
        break;
      case 'is':
        sql = {
          due: `(c.suspended = 0 AND ((c.state IN (1,3) AND c.due <= @now) OR (c.state = 2 AND c.due < @nextDayStart)))`,
          new: `c.state = 0`,
          learn: `c.state IN (1,3)`,
          review: `c.state = 2`,
          suspended: `c.suspended = 1`,
          buried: `IFNULL(c.buried_until, 0) > @now`,
        }[term.value];
        break;
      case 'flag':
        params[p] = term.value;
        sql = `c.flags = @${p}`;
        break;
      case 'prop': {
        params[p] = term.value;
        const column = {
          ivl: 'c.scheduled_days',
          lapses: 'c.lapses',
          reps: 'c.reps',
          s: 'c.stability',
          d: 'c.difficulty',
          r: 'fsrs_r(c.stability, c.last_review, @now)',
          // days from the start of today's study day
          due: `((c.due - @nextDayStart + ${DAY_MS}) / ${DAY_MS}.0)`,
        }[term.prop];
        const newGuard = term.prop === 'r' || term.prop === 's' || term.prop === 'd' ? 'c.state <> 0 AND ' : '';
        sql = `(${newGuard}${column} ${term.op === '!=' ? '<>' : term.op} @${p})`;
        break;
      }
    }
    clauses.push(term.negate ? `NOT ${sql}` : sql);
  });
  return { where: clauses.length ? clauses.join(' AND ') : '1', params };
}

/** Which tables a query needs besides `cards`: joins cost a lookup per row, so add only those. */
function joinsFor(terms: SearchTerm[], sort: SortColumn): string {
  const needsDeck = sort === 'deck';
  const needsNote = needsDeck || sort === 'front' || terms.some((t) => t.kind === 'text' || t.kind === 'tag' || t.kind === 'deck');
  return `${needsNote ? ' JOIN notes n ON n.id = c.note_id' : ''}${needsDeck ? ' JOIN decks d ON d.id = n.deck_id' : ''}`;
}

/** The card browser's search over every card, compiled to SQL and sorted and paged in SQLite. */
/** A page row as SQL gives it, before the booleans, the card label and the question's language. */
type StoredRow = Omit<BrowseRow, 'suspended' | 'buried' | 'card'> & { suspended: number; buried: number; kind: string; ord: number; language: string | null; translations: string | null };

export function cardSearchStore(sql: Sql) {
  return {
    /**
     * Registers `fsrs_r(stability, last_review, now)`: the FSRS-6 probability of recall now, so
     * `prop:r<0.9` and sorting by retrievability run inside SQLite. `weights` is read at each call,
     * so newly fitted weights apply without registering again.
     */
    registerRetrievability(weights: () => readonly number[] = () => default_w): void {
      sql.db.function('fsrs_r', { deterministic: false }, (stability: unknown, lastReview: unknown, now: unknown) => {
        if (typeof stability !== 'number' || typeof lastReview !== 'number' || stability <= 0) return null;
        const elapsedDays = Math.max(0, ((now as number) - lastReview) / DAY_MS);
        return forgetting_curve(weights() as number[], elapsedDays, stability);
      });
    },
    /** The total match count and one page of rows, so the virtualised table fetches only what is on screen. */
    search(options: SearchOptions): { total: number; rows: BrowseRow[] } {
      const { where, params } = compile(options.terms);
      const bind = { ...params, now: options.now, nextDayStart: options.nextDayStart };
      const from = `FROM cards c${joinsFor(options.terms, options.sort)} WHERE ${where}`;
      const total = sql.value<number>(`SELECT count(*) ${from}`, bind) ?? 0;
      const order = `${sortSql[options.sort]} ${options.descending ? 'DESC' : 'ASC'}, c.id ASC`;
      const orderColumn = options.sort === 'r' ? `, CASE WHEN c.state = 0 THEN NULL ELSE fsrs_r(c.stability, c.last_review, @now) END AS r` : '';
      const rows = sql.all<StoredRow>(
        // CROSS JOIN pins the page as the outer loop: otherwise SQLite may scan every card to join it.
        `WITH page AS (SELECT c.id AS id${orderColumn} ${from} ORDER BY ${order} LIMIT @limit OFFSET @offset)
         SELECT c.id AS cardId, n.id AS noteId, substr(n.front, 1, 300) AS front, d.name AS deck, n.tags AS tags,
                c.state AS state, c.due AS due, c.scheduled_days AS ivl, c.stability AS stability,
                c.difficulty AS difficulty, CASE WHEN c.state = 0 THEN NULL ELSE fsrs_r(c.stability, c.last_review, @now) END AS r,
                c.lapses AS lapses, c.reps AS reps, c.suspended AS suspended, IFNULL(c.buried_until, 0) > @now AS buried,
                c.flags AS flag, n.kind AS kind, c.ord AS ord, n.language AS language, ${options.locale ? 'n.translations' : 'NULL'} AS translations
         FROM page CROSS JOIN cards c ON c.id = page.id CROSS JOIN notes n ON n.id = c.note_id JOIN decks d ON d.id = n.deck_id
         ORDER BY ${order}`,
        { ...bind, limit: options.limit, offset: options.offset },
      );
      // One row per card: a cloze note's cards say which deletion they ask (c1, c2…), a reversed note's which side.
      return {
        total,
        // Written out rather than spread: a spread with added keys costs ~10 µs a row on Node 20 (cards.ts).
        rows: rows.map(
          (r): BrowseRow => ({
            cardId: r.cardId,
            noteId: r.noteId,
            front: localizedFront(r.front, r.language, r.translations, options.locale),
            deck: r.deck,
            tags: r.tags,
            state: r.state,
            due: r.due,
            ivl: r.ivl,
            stability: r.stability,
            difficulty: r.difficulty,
            r: r.r,
            lapses: r.lapses,
            reps: r.reps,
            suspended: r.suspended === 1,
            buried: r.buried === 1,
            flag: r.flag,
            card: cardLabel(toNoteKind(r.kind), r.ord),
          }),
        ),
      };
    },
  };
}

export type CardSearchStore = ReturnType<typeof cardSearchStore>;

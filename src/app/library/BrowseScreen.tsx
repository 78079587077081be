import { lazy, Suspense, useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { BrowseRow, DeckSummary } from '../../shared/contract';
import type { MessageKey } from '../../shared/i18n';
import { useApp } from '../AppContext';
import type { ScreenProps } from '../screen-types';
import { isEditable, useKeydown } from '../keyboard';
import { useCardSearch, type SortColumn } from './useCardSearch';
import { BulkBar } from './BulkBar';
import { questionText } from './question-text';
import { flagStyle } from '../review/CardMarks';
import { flagName } from '../review/flags';

const CardInfoDialog = lazy(() => import('../review/CardInfoDialog').then((m) => ({ default: m.CardInfoDialog })));

const rowHeight = 34;

interface Column {
  key: SortColumn | 'tags';
  title: MessageKey;
  width: string;
  /** Right-aligned, never broken inside. */
  numeric?: boolean;
  /** Shown in the header instead of the title (which stays its tooltip and accessible name). */
  glyph?: string;
  cell(row: BrowseRow, format: Formatters): string;
}

interface Formatters {
  date(t: number): string;
  state(row: BrowseRow): string;
  days(n: number): string;
  flag(n: number): string;
}

// Narrow enough that every column fits beside the navigation in a 1280 px window; below that the
// table scrolls sideways, its header with it.
const columns: Column[] = [
  { key: 'front', title: 'library.col.front', width: 'minmax(11rem, 3fr)', cell: (r) => (r.card ? `[${r.card}] ` : '') + questionText(r.front, r.card) },
  { key: 'deck', title: 'library.col.deck', width: 'minmax(5.5rem, 1fr)', cell: (r) => r.deck },
  { key: 'tags', title: 'library.col.tags', width: 'minmax(4.5rem, 1fr)', cell: (r) => r.tags },
  { key: 'state', title: 'library.col.state', width: '6rem', cell: (r, f) => f.state(r) },
  { key: 'due', title: 'library.col.due', width: '5.5rem', cell: (r, f) => (r.state === 0 ? '—' : f.date(r.due)) },
  { key: 'ivl', title: 'library.col.ivl', width: '5rem', numeric: true, cell: (r, f) => (r.state === 0 ? '—' : f.days(r.ivl)) },
  { key: 'stability', title: 'library.col.stability', width: '5.5rem', numeric: true, cell: (r) => (r.state === 0 ? '—' : r.stability.toFixed(1)) },
  { key: 'difficulty', title: 'library.col.difficulty', width: '5.5rem', numeric: true, cell: (r) => (r.state === 0 ? '—' : r.difficulty.toFixed(1)) },
  { key: 'r', title: 'library.col.r', width: '4.5rem', numeric: true, cell: (r) => (r.r === null ? '—' : `${(r.r * 100).toFixed(0)}%`) },
  { key: 'lapses', title: 'library.col.lapses', width: '4.5rem', numeric: true, cell: (r) => String(r.lapses) },
  // A dot of the flag's colour: the column stays narrow enough for every column to fit at 1280 px.
  { key: 'flag', title: 'flag.column', width: '2.25rem', glyph: '⚑', cell: () => '' },
];
const template = columns.map((c) => c.width).join(' ');
/** The narrowest the table gets before it scrolls sideways: the columns' minimum widths. */
const minimumWidth = `${columns.reduce((sum, c) => sum + Number(/([\d.]+)rem/.exec(c.width)?.[1] ?? 0), 0)}rem`;

/** The card browser: search, a sortable virtualised table of every card, bulk actions, and the editor. */
export function BrowseScreen({ params }: ScreenProps) {
  const { t, locale, navigate, showError } = useApp();
  // Opened with a search (a deck from the command palette) or empty.
  const [query, setQuery] = useState(typeof params.query === 'string' ? params.query : '');
  const [sort, setSort] = useState<SortColumn>('due');
  const [descending, setDescending] = useState(false);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [cursor, setCursor] = useState(0);
  const [anchor, setAnchor] = useState(0);
  const [decks, setDecks] = useState<DeckSummary[]>([]);
  const search = useCardSearch(query, sort, descending);
  const scroller = useRef<HTMLDivElement>(null);
  const searchBox = useRef<HTMLInputElement>(null);
  const { api, undo } = useApp();
  // An undo or redo (here or on another screen) may change any row: search again.
  const { refresh } = search;
  useEffect(() => undo.onApplied(() => refresh()), [undo, refresh]);

  // The header row sits in the same scroller (sticky) so it moves sideways with the rows; the
  // list itself starts one row height below the scroller's top.
  const virtualizer = useVirtualizer({
    count: search.total,
    getScrollElement: () => scroller.current,
    estimateSize: () => rowHeight,
    overscan: 12,
    scrollMargin: rowHeight,
    scrollPaddingStart: rowHeight,
  });
  const items = virtualizer.getVirtualItems();
  for (const item of items) if (!search.rowAt(item.index)) search.ensure(item.index);

  const format: Formatters = {
    date: (time) => new Date(time).toLocaleDateString(locale, { year: '2-digit', month: 'numeric', day: 'numeric' }),
    state: (row) => (row.suspended ? t('library.state.suspended') : row.buried ? t('library.state.buried') : t(`library.state.${row.state}` as MessageKey)),
    days: (n) => t('library.days', { count: n }),
    flag: (n) => t(flagName(n)),
  };
  // Card info (`i` on the table, or the bulk bar's Info with one card selected).
  const [infoCard, setInfoCard] = useState<number | null>(null);
  const closeInfo = useCallback(() => {
    setInfoCard(null);
    scroller.current?.focus();
  }, []);

  // A new search starts a new selection: the old one may hold cards this search does not show.
  useEffect(() => {
    setSelected(new Set());
    setCursor(0);
    setAnchor(0);
  }, [query]);

  const selectAll = async () => {
    try {
      setSelected(new Set(await search.allIds()));
    } catch (error) {
      showError(error);
    }
  };

  const sortBy = (key: Column['key']) => {
    if (key === 'tags') return;
    if (key === sort) setDescending(!descending);
    else {
      setSort(key);
      setDescending(false);
    }
  };

  const open = (index: number) => {
    const row = search.rowAt(index);
    if (row) navigate('edit', { noteId: row.noteId });
  };

  const moveCursor = (index: number, extend: boolean) => {
    const next = Math.max(0, Math.min(search.total - 1, index));
    setCursor(next);
    virtualizer.scrollToIndex(next);
    if (extend) {
      const [a, b] = [Math.min(anchor, next), Math.max(anchor, next)];
      const ids = new Set<number>();
      for (let i = a; i <= b; i++) {
        const row = search.rowAt(i);
        if (row) ids.add(row.cardId);
      }
      setSelected(ids);
    } else setAnchor(next);
  };

  const toggle = (index: number) => {
    const row = search.rowAt(index);
    if (!row) return;
    const next = new Set(selected);
    if (next.has(row.cardId)) next.delete(row.cardId);
    else next.add(row.cardId);
    setSelected(next);
  };

  const onTableKey = (event: KeyboardEvent<HTMLDivElement>) => {
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? 400) / rowHeight) - 1);
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page };
    if (event.key in moves) moveCursor(cursor + moves[event.key], event.shiftKey);
    else if (event.key === 'Home') moveCursor(0, event.shiftKey);
    else if (event.key === 'End') moveCursor(search.total - 1, event.shiftKey);
    else if (event.key === ' ') toggle(cursor);
    else if (event.key === 'Enter') open(cursor);
    else if (event.key === 'i' && !event.ctrlKey && !event.metaKey && !event.altKey && search.rowAt(cursor)) setInfoCard(search.rowAt(cursor)!.cardId);
    else if (event.key === 'a' && (event.ctrlKey || event.metaKey)) void selectAll();
    else if (event.key === 'Escape') setSelected(new Set());
    else return;
    event.preventDefault();
  };

  // '/' jumps to the search box from anywhere on this screen.
  useKeydown((event) => {
    if (event.key === '/' && !isEditable(event.target)) {
      event.preventDefault();
      searchBox.current?.focus();
    }
  });

  const loadDecks = () => api['decks.list']({}).then(setDecks, () => setDecks([]));

  return (
    <section className="screen screen-browse" aria-labelledby="browse-title">
      <header className="screen-header browse-header">
        <h1 id="browse-title">{t('library.browse.title')}</h1>
        <button type="button" className="button" onClick={() => navigate('edit', {})} data-testid="browse-add">
          {t('library.browse.add')}
        </button>
      </header>
      <div className="browse-search">
        <input
          ref={searchBox}
          type="search"
          className="input"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            // Down, Enter or Escape leave the field for the table, where shortcuts work again.
            if (e.key === 'ArrowDown' || e.key === 'Enter' || e.key === 'Escape') {
              e.preventDefault();
              scroller.current?.focus();
            }
          }}
          placeholder={t('library.browse.search')}
          aria-label={t('library.browse.search')}
          aria-describedby="browse-hint"
          aria-invalid={search.error ? true : undefined}
          data-testid="browse-search"
          autoFocus
        />
        <p id="browse-hint" className="browse-hint">
          {search.error ? String((search.error as Error).message ?? search.error) : t('library.browse.searchHint')}
        </p>
        <p className="browse-count" aria-live="polite">
          <span data-testid="browse-total">{t('library.browse.matches', { count: search.total })}</span>{' '}
          <span className="muted">{t('library.browse.searchMs', { ms: search.ms.toFixed(1) })}</span>
          {selected.size > 0 && <strong> · {t('library.browse.selected', { count: selected.size })}</strong>}
        </p>
      </div>
      {/* The bar keeps its place when nothing is selected: a click on a row must not move the rows. */}
      {selected.size > 0 ? (
        <BulkBar
          cardIds={[...selected]}
          decks={decks}
          loadDecks={loadDecks}
          onDone={() => {
            search.refresh();
          }}
          onDeleted={() => setSelected(new Set())}
          onInfo={selected.size === 1 ? () => setInfoCard([...selected][0]) : undefined}
        />
      ) : (
        <div className="bulk-bar bulk-bar-empty" data-testid="bulk-bar-empty">
          {t('library.browse.selectHint')}
        </div>
      )}
      <div className="browse-table" role="grid" aria-rowcount={search.total + 1} aria-labelledby="browse-title">
        <div ref={scroller} className="browse-body" tabIndex={0} onKeyDown={onTableKey} aria-activedescendant={`browse-row-${cursor}`} data-testid="browse-body">
          <div className="browse-row browse-head" role="row" style={{ gridTemplateColumns: template, minWidth: minimumWidth, height: rowHeight }} data-testid="browse-head">
            {columns.map((c) => (
              <button
                key={c.key}
                type="button"
                role="columnheader"
                className={`browse-cell cell-${c.key}${c.numeric ? ' numeric' : ''}`}
                aria-sort={sort === c.key ? (descending ? 'descending' : 'ascending') : 'none'}
                onClick={() => sortBy(c.key)}
                disabled={c.key === 'tags'}
                data-testid={`browse-sort-${c.key}`}
                title={t(c.title)}
                tabIndex={-1}
              >
                {c.glyph ? <span aria-label={t(c.title)}>{c.glyph}</span> : t(c.title)}
                {sort === c.key ? (descending ? ' ↓' : ' ↑') : ''}
              </button>
            ))}
          </div>
          {search.total === 0 && !search.error && <p className="browse-empty">{t('library.browse.empty')}</p>}
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative', minWidth: minimumWidth }}>
            {items.map((item) => {
              const row = search.rowAt(item.index);
              const isSelected = row ? selected.has(row.cardId) : false;
              return (
                <div
                  key={item.key}
                  id={`browse-row-${item.index}`}
                  role="row"
                  aria-rowindex={item.index + 2}
                  aria-selected={isSelected}
                  className={['browse-row', isSelected && 'selected', item.index === cursor && 'cursor', row?.suspended && 'suspended'].filter(Boolean).join(' ')}
                  style={{ gridTemplateColumns: template, transform: `translateY(${item.start - virtualizer.options.scrollMargin}px)`, height: rowHeight }}
                  // Shift-click extends the selection of cards, not of the page's text.
                  onMouseDown={(e) => {
                    if (e.shiftKey) e.preventDefault();
                  }}
                  onClick={(e) => {
                    setCursor(item.index);
                    if (e.shiftKey) moveCursor(item.index, true);
                    else if (e.ctrlKey || e.metaKey) toggle(item.index);
                    else {
                      setAnchor(item.index);
                      setSelected(row ? new Set([row.cardId]) : new Set());
                    }
                  }}
                  onDoubleClick={() => open(item.index)}
                  data-testid={row ? 'browse-row' : 'browse-row-loading'}
                  data-card-id={row?.cardId}
                >
                  {columns.map((c) => (
                    <span
                      key={c.key}
                      role="gridcell"
                      className={`browse-cell cell-${c.key}${c.numeric ? ' numeric' : ''}`}
                      title={row && c.key === 'front' ? questionText(row.front, row.card) : row && c.key === 'flag' && row.flag ? format.flag(row.flag) : undefined}
                      aria-label={row && c.key === 'flag' ? format.flag(row.flag) : undefined}
                      translate={c.key === 'deck' || c.key === 'tags' ? 'no' : undefined}
                      data-flag={c.key === 'flag' && row ? row.flag : undefined}
                    >
                      {c.key === 'flag' && row?.flag ? <span className="flag-dot" style={flagStyle(row.flag)} data-testid="browse-flag" aria-hidden="true" /> : null}
                      {row ? c.cell(row, format) : ''}
                    </span>
                  ))}
                </div>
              );
            })}
          </div>
        </div>
      </div>
      {infoCard !== null && (
        <Suspense fallback={null}>
          <CardInfoDialog cardId={infoCard} close={closeInfo} />
        </Suspense>
      )}
    </section>
  );
}

import { useCallback, useEffect, useRef, useState } from 'react';
import type { BrowseRow } from '../../shared/contract';
import { useApp } from '../AppContext';

export const pageSize = 200;
export type SortColumn = 'front' | 'deck' | 'state' | 'due' | 'ivl' | 'stability' | 'difficulty' | 'r' | 'lapses' | 'flag';

/**
 * The browser's data: the total for the current search and the pages loaded so far. Pages load
 * on demand as the virtual list scrolls; a new search or sort discards old answers that arrive late.
 */
export function useCardSearch(query: string, sort: SortColumn, descending: boolean) {
  const { api, showError, locale } = useApp();
  const [total, setTotal] = useState(0);
  const [ms, setMs] = useState(0);
  const [pages, setPages] = useState<Map<number, BrowseRow[]>>(new Map());
  const [error, setError] = useState<unknown>(null);
  const generation = useRef(0);
  const requested = useRef(new Set<number>());

  const load = useCallback(
    (page: number, gen: number) => {
      if (requested.current.has(page)) return;
      requested.current.add(page);
      api['cards.search']({ query, sort, descending, offset: page * pageSize, limit: pageSize, locale }).then(
        (result) => {
          if (gen !== generation.current) return;
          setError(null);
          setTotal(result.total);
          setMs(result.ms);
          setPages((old) => new Map(old).set(page, result.rows));
        },
        (e: unknown) => {
          if (gen !== generation.current) return;
          requested.current.delete(page);
          setError(e);
          // A search still being typed ('prop:ivl>') is not worth a notice; the field shows it.
          if ((e as { code?: string }).code !== 'invalid-args') showError(e);
        },
      );
    },
    [api, query, sort, descending, showError, locale],
  );

  /**
   * The id of every card the search matches, not only the pages loaded (Ctrl+A selects what the
   * count says), fetched a thousand at a time.
   */
  const allIds = useCallback(async (): Promise<number[]> => {
    const ids: number[] = [];
    for (let offset = 0; ; offset += 1000) {
      const page = await api['cards.search']({ query, sort, descending, offset, limit: 1000 });
      ids.push(...page.rows.map((row) => row.cardId));
      if (page.rows.length < 1000 || ids.length >= page.total) return ids;
    }
  }, [api, query, sort, descending]);

  const refresh = useCallback(() => {
    generation.current++;
    requested.current = new Set();
    setPages(new Map());
    load(0, generation.current);
  }, [load]);

  useEffect(() => {
    const timer = setTimeout(refresh, 120);
    return () => clearTimeout(timer);
  }, [refresh]);

  const rowAt = (index: number): BrowseRow | undefined => pages.get(Math.floor(index / pageSize))?.[index % pageSize];
  const ensure = (index: number) => load(Math.floor(index / pageSize), generation.current);
  return { total, ms, rowAt, ensure, refresh, allIds, error };
}

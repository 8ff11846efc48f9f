import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { sendMessage } from '../../messaging.ts';
import { formatCount } from '../../ui/run-format.ts';
import { askBackground } from '../ask-background.ts';
import { pagesFor, visibleRows } from './virtual-window.ts';

/** Fixed so the table knows where every row sits without drawing it (see virtual-window.ts). */
export const ROW_HEIGHT = 28;
const VIEWPORT_HEIGHT = 420;
const PAGE_SIZE = 500;
const COLUMN_WIDTH = 180;
const NUMBER_WIDTH = 70;

interface Props {
  runId: string;
}

type TableState =
  | { phase: 'loading' }
  | { phase: 'failed'; message: string }
  | { phase: 'ready'; columns: string[]; total: number };

/**
 * A query run's results, fast with 100,000 rows: only the rows in view (plus a margin) are drawn, and they are
 * fetched from the server in pages of 500 as the admin scrolls, so neither the page nor the DOM holds them all.
 */
export function ResultsTable({ runId }: Props) {
  const [state, setState] = useState<TableState>({ phase: 'loading' });
  const [scrollTop, setScrollTop] = useState(0);
  const pages = useRef(new Map<number, string[][]>());
  const requested = useRef(new Set<number>());
  const [, setLoadedPages] = useState(0);
  const [pageError, setPageError] = useState<string>();

  const loadPage = useCallback(
    async (page: number) => {
      if (requested.current.has(page)) return;
      requested.current.add(page);
      const result = await askBackground(() =>
        sendMessage('getRunRows', { runId, from: page * PAGE_SIZE, count: PAGE_SIZE }),
      );
      if (!result.ok) {
        // Asked again when it scrolls back into view.
        requested.current.delete(page);
        if (page === 0) setState({ phase: 'failed', message: result.error.message });
        else setPageError(result.error.message);
        return;
      }
      pages.current.set(page, result.data.rows);
      setPageError(undefined);
      setLoadedPages((count) => count + 1);
      if (page === 0) setState({ phase: 'ready', columns: result.data.columns, total: result.data.total });
    },
    [runId],
  );

  useEffect(() => {
    pages.current.clear();
    requested.current.clear();
    setState({ phase: 'loading' });
    void loadPage(0);
  }, [loadPage]);

  const total = state.phase === 'ready' ? state.total : 0;
  const window = visibleRows(scrollTop, VIEWPORT_HEIGHT, ROW_HEIGHT, total);
  const needed = pagesFor(window, PAGE_SIZE);
  useEffect(() => {
    for (const page of needed) void loadPage(page);
  });

  if (state.phase === 'loading') return <p class="ol-notice">Loading the results…</p>;
  if (state.phase === 'failed') {
    return (
      <p class="ol-error" role="alert" data-testid="results-error">
        {state.message}
      </p>
    );
  }
  const width = state.columns.length * COLUMN_WIDTH + NUMBER_WIDTH;
  const rows = [];
  for (let index = window.first; index < window.end; index++) {
    const row = pages.current.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];
    rows.push(
      <tr key={index} aria-rowindex={index + 2} data-row-index={index} style={{ height: `${ROW_HEIGHT}px` }}>
        <th scope="row" class="ol-results__number">
          {formatCount(index + 1)}
        </th>
        {state.columns.map((column, at) => (
          <td key={column} title={row?.[at]}>
            {row ? row[at] : '…'}
          </td>
        ))}
      </tr>,
    );
  }
  // Spacers above and below the drawn rows give the scrollbar the height of every row.
  const above = window.first * ROW_HEIGHT;
  const below = Math.max(0, (total - window.end) * ROW_HEIGHT);

  return (
    <div class="ol-results">
      <p class="ol-notice" data-testid="results-total">
        {formatCount(state.total)} {state.total === 1 ? 'row' : 'rows'}
      </p>
      <div
        class="ol-results__viewport"
        style={{ height: `${VIEWPORT_HEIGHT}px` }}
        onScroll={(event) => setScrollTop((event.currentTarget as HTMLElement).scrollTop)}
        data-testid="results-table"
      >
        <table class="ol-results__table" aria-rowcount={state.total + 1} style={{ width: `${width}px` }}>
          <caption class="ol-visually-hidden">Query results</caption>
          <colgroup>
            <col style={{ width: `${NUMBER_WIDTH}px` }} />
            {state.columns.map((column) => (
              <col key={column} style={{ width: `${COLUMN_WIDTH}px` }} />
            ))}
          </colgroup>
          <thead>
            <tr aria-rowindex={1} style={{ height: `${ROW_HEIGHT}px` }}>
              <th scope="col">#</th>
              {state.columns.map((column) => (
                <th key={column} scope="col">
                  {column}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {above > 0 && (
              <tr class="ol-results__spacer" style={{ height: `${above}px` }}>
                <td colSpan={state.columns.length + 1} />
              </tr>
            )}
            {rows}
            {below > 0 && (
              <tr class="ol-results__spacer" style={{ height: `${below}px` }}>
                <td colSpan={state.columns.length + 1} />
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {pageError && (
        <p class="ol-error" role="alert">
          {pageError} Scroll to try again.
        </p>
      )}
    </div>
  );
}

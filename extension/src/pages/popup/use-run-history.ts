import type { JobRun } from '@orglink/shared';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { ApiFailure } from '../../api/api-result.ts';
import { sendMessage } from '../../messaging.ts';
import { askBackground } from '../ask-background.ts';
import { useLiveEvents } from '../use-live-events.ts';
import { appendPage, filterQuery, mergeRun, type RunFilter } from './run-filter.ts';

export type RunHistoryState =
  | { state: 'loading' }
  | { state: 'failed'; failure: ApiFailure }
  | { state: 'loaded'; runs: JobRun[]; nextCursor: string | null; loadingMore: boolean; moreFailed?: string };

/**
 * The runs matching a filter, newest first, kept live: run.changed events from the background's stream update rows
 * in place (progress, final counts) and add new runs. When the stream comes back after a break the list is fetched
 * again, since events sent meanwhile were missed.
 */
export function useRunHistory(filter: RunFilter) {
  const [history, setHistory] = useState<RunHistoryState>({ state: 'loading' });
  const filterRef = useRef(filter);
  filterRef.current = filter;
  const generation = useRef(0);
  const key = JSON.stringify(filterQuery(filter));

  const reload = useCallback(async () => {
    const mine = ++generation.current;
    setHistory((current) => (current.state === 'loaded' ? current : { state: 'loading' }));
    const result = await askBackground(() => sendMessage('listRuns', filterQuery(filterRef.current)));
    if (mine !== generation.current) return;
    setHistory(
      result.ok
        ? { state: 'loaded', runs: result.data.runs, nextCursor: result.data.nextCursor, loadingMore: false }
        : { state: 'failed', failure: result },
    );
  }, []);

  useEffect(() => {
    setHistory({ state: 'loading' });
    void reload();
  }, [key, reload]);

  const loadMore = useCallback(async () => {
    if (history.state !== 'loaded' || !history.nextCursor || history.loadingMore) return;
    const cursor = history.nextCursor;
    const mine = generation.current;
    setHistory({ ...history, loadingMore: true });
    const result = await askBackground(() => sendMessage('listRuns', filterQuery(filterRef.current, cursor)));
    if (mine !== generation.current) return;
    setHistory((current) => {
      if (current.state !== 'loaded') return current;
      return result.ok
        ? {
            state: 'loaded',
            runs: appendPage(current.runs, result.data.runs),
            nextCursor: result.data.nextCursor,
            loadingMore: false,
          }
        : { ...current, loadingMore: false, moreFailed: result.error.message };
    });
  }, [history]);

  const wasOpen = useRef<boolean | undefined>(undefined);
  useLiveEvents((message) => {
    if (message.kind === 'status') {
      const open = message.status.state === 'open';
      if (open && wasOpen.current === false) void reload();
      wasOpen.current = open;
      return;
    }
    const event = message.event;
    if (event.type !== 'run.changed') return;
    setHistory((current) =>
      current.state === 'loaded' ? { ...current, runs: mergeRun(current.runs, event.run, filterRef.current) } : current,
    );
  });

  return { history, reload, loadMore };
}

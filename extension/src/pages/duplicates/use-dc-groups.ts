import type { DcGroup, DcRunSummary } from '@orglink/shared';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { ApiFailure } from '../../api/api-result.ts';
import { sendMessage } from '../../messaging.ts';
import { askBackground } from '../ask-background.ts';

export type DcGroupsState =
  | { state: 'idle' }
  | { state: 'loading' }
  | { state: 'failed'; failure: ApiFailure }
  | {
      state: 'loaded';
      summary: DcRunSummary | null;
      groups: DcGroup[];
      nextCursor: string | null;
      loadingMore: boolean;
      moreFailed?: string;
    };

/** Pages of a Duplicate Check run's groups, highest score first; asked for once `enabled` (the run has finished). */
export function useDcGroups(runId: string, enabled: boolean) {
  const [groups, setGroups] = useState<DcGroupsState>({ state: 'idle' });
  const generation = useRef(0);

  const reload = useCallback(async () => {
    const mine = ++generation.current;
    setGroups({ state: 'loading' });
    const result = await askBackground(() => sendMessage('getDcGroups', { runId }));
    if (mine !== generation.current) return;
    setGroups(
      result.ok
        ? {
            state: 'loaded',
            summary: result.data.summary,
            groups: result.data.groups,
            nextCursor: result.data.nextCursor,
            loadingMore: false,
          }
        : { state: 'failed', failure: result },
    );
  }, [runId]);

  useEffect(() => {
    if (enabled) void reload();
  }, [enabled, reload]);

  const loadMore = useCallback(async () => {
    if (groups.state !== 'loaded' || !groups.nextCursor || groups.loadingMore) return;
    const cursor = groups.nextCursor;
    const mine = generation.current;
    setGroups({ ...groups, loadingMore: true, moreFailed: undefined });
    const result = await askBackground(() => sendMessage('getDcGroups', { runId, cursor }));
    if (mine !== generation.current) return;
    setGroups((current) => {
      if (current.state !== 'loaded') return current;
      if (!result.ok) return { ...current, loadingMore: false, moreFailed: result.error.message };
      const seen = new Set(current.groups.map((group) => group.id));
      return {
        ...current,
        groups: [...current.groups, ...result.data.groups.filter((group) => !seen.has(group.id))],
        nextCursor: result.data.nextCursor,
        loadingMore: false,
      };
    });
  }, [groups, runId]);

  return { groups, reload, loadMore };
}

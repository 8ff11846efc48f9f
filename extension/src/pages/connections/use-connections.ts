import type { Connection } from '@orglink/shared';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { ApiFailure } from '../../api/api-result.ts';
import { sendMessage } from '../../messaging.ts';
import { askBackground } from '../ask-background.ts';
import { byName } from './describe-connection.ts';

export type ConnectionListState =
  | { phase: 'loading' }
  | { phase: 'failed'; failure: ApiFailure }
  | { phase: 'ready'; connections: Connection[] };

/**
 * The team's connections as the page shows them: loaded once, then kept current by live events (`upsert`,
 * `remove`) and quiet reloads (after a sign-in window closes, or when live updates come back after a gap).
 */
export function useConnections(onFailure: (failure: ApiFailure) => void) {
  const [state, setState] = useState<ConnectionListState>({ phase: 'loading' });
  const failureHandler = useRef(onFailure);
  failureHandler.current = onFailure;
  // A slow answer must not overwrite a newer one.
  const latestRequest = useRef(0);

  const reload = useCallback(async (quiet = false) => {
    const request = ++latestRequest.current;
    if (!quiet) setState({ phase: 'loading' });
    const result = await askBackground(() => sendMessage('listConnections'));
    if (request !== latestRequest.current) return;
    if (result.ok) {
      setState({ phase: 'ready', connections: [...result.data.connections].sort(byName) });
      return;
    }
    failureHandler.current(result);
    // A quiet reload keeps the list it has rather than replace it with an error.
    setState((current) => (quiet && current.phase === 'ready' ? current : { phase: 'failed', failure: result }));
  }, []);

  useEffect(() => {
    void reload();
  }, [reload]);

  const upsert = useCallback((connection: Connection) => {
    setState((current) => {
      if (current.phase !== 'ready') return current;
      const others = current.connections.filter((candidate) => candidate.id !== connection.id);
      return { phase: 'ready', connections: [...others, connection].sort(byName) };
    });
  }, []);

  const remove = useCallback((id: string) => {
    setState((current) =>
      current.phase === 'ready'
        ? { phase: 'ready', connections: current.connections.filter((candidate) => candidate.id !== id) }
        : current,
    );
  }, []);

  return { state, reload, upsert, remove };
}

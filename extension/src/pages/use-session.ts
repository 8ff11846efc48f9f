import { useCallback, useEffect, useState } from 'preact/hooks';
import type { Session } from '../api/session.ts';
import { sendMessage } from '../messaging.ts';

export type SessionState = { state: 'loading' } | Session | { state: 'unavailable'; problem: string };

/** Who this browser is signed in as, asked of the background; `refresh` asks again after a change. */
export function useSession(): [SessionState, () => Promise<void>, (session: SessionState) => void] {
  const [session, setSession] = useState<SessionState>({ state: 'loading' });
  const refresh = useCallback(async () => {
    try {
      setSession(await sendMessage('getSession'));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      setSession({
        state: 'unavailable',
        problem: `The extension's background did not answer (${reason}). Reload this page.`,
      });
    }
  }, []);
  useEffect(() => {
    void refresh();
  }, [refresh]);
  return [session, refresh, setSession];
}

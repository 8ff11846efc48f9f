import type { Connection } from '@orglink/shared';
import { useEffect, useState } from 'preact/hooks';
import { sendMessage } from '../../messaging.ts';
import { askBackground } from '../ask-background.ts';

/** The team's connections for the history's filter; without them the filter offers "All connections" only. */
export function useConnectionChoices(signedIn: boolean): Connection[] | undefined {
  const [connections, setConnections] = useState<Connection[]>();
  useEffect(() => {
    if (!signedIn) return;
    void askBackground(() => sendMessage('listConnections')).then((result) => {
      if (result.ok) setConnections(result.data.connections);
    });
  }, [signedIn]);
  return connections;
}

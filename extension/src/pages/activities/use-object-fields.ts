import type { CrmField } from '@orglink/shared';
import { useEffect, useRef, useState } from 'preact/hooks';
import { sendMessage } from '../../messaging.ts';
import { askBackground } from '../ask-background.ts';

export type ObjectFieldsState =
  | { phase: 'idle' }
  | { phase: 'loading'; object: string }
  | { phase: 'ready'; object: string; fields: CrmField[] }
  | { phase: 'failed'; object: string; message: string };

/**
 * Describe of the chosen object. Loading it is also how a typed object name is checked: a 404
 * (CRM_OBJECT_NOT_FOUND) says the org has no such object, in the server's words.
 */
export function useObjectFields(connectionId: string | undefined, object: string): ObjectFieldsState {
  const [state, setState] = useState<ObjectFieldsState>({ phase: 'idle' });
  const latest = useRef(0);
  useEffect(() => {
    const request = ++latest.current;
    if (!connectionId || !object) {
      setState({ phase: 'idle' });
      return;
    }
    setState({ phase: 'loading', object });
    void askBackground(() => sendMessage('getObjectFields', { connectionId, object })).then((result) => {
      if (request !== latest.current) return;
      setState(
        result.ok
          ? { phase: 'ready', object: result.data.object, fields: result.data.fields }
          : { phase: 'failed', object, message: result.error.message },
      );
    });
  }, [connectionId, object]);
  return state;
}

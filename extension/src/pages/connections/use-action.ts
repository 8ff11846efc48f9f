import { useCallback, useState } from 'preact/hooks';
import type { ApiFailure, ApiResult } from '../../api/api-result.ts';
import { askBackground } from '../ask-background.ts';

export type Feedback = { tone: 'ok' | 'error'; message: string; testId?: string } | undefined;

/**
 * Runs one action at a time for a details view and keeps what to say about it: which action is busy (its button
 * shows so) and the last outcome, in the server's words when it failed.
 */
export function useAction(onFailure: (failure: ApiFailure) => void) {
  const [busy, setBusy] = useState<string>();
  const [feedback, setFeedback] = useState<Feedback>();

  const run = useCallback(
    async <T>(name: string, send: () => Promise<ApiResult<T>>, onSuccess: (data: T) => Feedback): Promise<boolean> => {
      setBusy(name);
      setFeedback(undefined);
      const result = await askBackground(send);
      setBusy(undefined);
      if (!result.ok) {
        onFailure(result);
        setFeedback({ tone: 'error', message: result.error.message });
        return false;
      }
      setFeedback(onSuccess(result.data));
      return true;
    },
    [onFailure],
  );

  return { busy, feedback, setFeedback, run };
}

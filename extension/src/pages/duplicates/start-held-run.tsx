import { useState } from 'preact/hooks';
import { sendMessage } from '../../messaging.ts';
import { ActionButton } from '../../ui/action-button.tsx';
import { askBackground } from '../ask-background.ts';

/** Why a Duplicate Check run is in Holding when the server gave no reason, and where that is changed. */
export const HELD_REASON =
  'Waiting for someone to start it: this connection does not run Duplicate Check jobs on its own (Connections > Auto-run Duplicate Check jobs).';

export const START_DENIED = 'Only a team owner or admin can start it.';

/** Start for a held run (popup history and results page); the server's refusal, such as "already started", under it. */
export function StartHeldRun({ runId, denied }: { runId: string; denied: boolean }) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();
  async function start() {
    setBusy(true);
    setProblem(undefined);
    const result = await askBackground(() => sendMessage('startRun', runId));
    setBusy(false);
    if (!result.ok) setProblem(result.error.message);
  }
  return (
    <>
      <ActionButton
        variant="primary"
        onClick={() => void start()}
        busy={busy}
        busyLabel="Starting…"
        deniedReason={denied ? START_DENIED : undefined}
        testId="dc-start-run"
      >
        Start
      </ActionButton>
      {problem && (
        <p class="ol-error" role="alert">
          {problem}
        </p>
      )}
    </>
  );
}

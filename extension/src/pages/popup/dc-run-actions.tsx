import type { JobRun, Role } from '@orglink/shared';
import { useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { sendMessage } from '../../messaging.ts';
import { ActionButton } from '../../ui/action-button.tsx';
import { formatCount } from '../../ui/run-format.ts';
import { askBackground } from '../ask-background.ts';
import { duplicatesPageUrl } from '../duplicates/dc-format.ts';

const HELD_REASON =
  'Waiting for someone to start it: this connection does not run Duplicate Check jobs on its own (Connections > Auto-run Duplicate Check jobs).';

/** What "Review" says for a finished Duplicate Check run, by how many groups it found. */
export function reviewLabel(run: Pick<JobRun, 'duplicates'>): string {
  const groups = run.duplicates?.groups;
  if (groups === undefined || groups === null) return 'Review results';
  if (groups === 0) return 'No duplicates found: see details';
  return `Review ${formatCount(groups)} ${groups === 1 ? 'group' : 'groups'}`;
}

function openResults(event: Event, runId: string) {
  event.preventDefault();
  void browser.tabs.create({ url: browser.runtime.getURL(duplicatesPageUrl(runId)) });
  window.close();
}

/** Under a Duplicate Check run in the history: its results page, or Start when it waits in Holding. */
export function DcRunActions({ run, memberRole }: { run: JobRun; memberRole: Role | undefined }) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();

  if (run.status === 'holding' && run.awaitingStart) {
    const denied = memberRole === 'viewer' ? 'Only a team owner or admin can start it.' : undefined;
    const start = async () => {
      setBusy(true);
      setProblem(undefined);
      const result = await askBackground(() => sendMessage('startRun', run.id));
      setBusy(false);
      if (!result.ok) setProblem(result.error.message);
    };
    return (
      <div class="ol-run__dc" data-testid="dc-held-run">
        <p class="ol-notice" data-testid="dc-held-reason">
          {run.errorMessage ?? HELD_REASON}
        </p>
        <ActionButton
          variant="primary"
          onClick={() => void start()}
          busy={busy}
          busyLabel="Starting…"
          deniedReason={denied}
          testId="dc-start-run"
        >
          Start
        </ActionButton>
        {denied && <p class="ol-hint">{denied}</p>}
        {problem && (
          <p class="ol-error" role="alert">
            {problem}
          </p>
        )}
      </div>
    );
  }
  const href = duplicatesPageUrl(run.id);
  const finished = run.status === 'completed' || run.status === 'completed-with-errors';
  return (
    <a
      href={href}
      target="_blank"
      rel="noopener"
      onClick={(event) => openResults(event, run.id)}
      data-testid="dc-review"
    >
      {finished ? reviewLabel(run) : 'Open results page'}
    </a>
  );
}

import type { JobRun, Role } from '@orglink/shared';
import { browser } from 'wxt/browser';
import { formatCount } from '../../ui/run-format.ts';
import { duplicatesPageUrl } from '../duplicates/dc-format.ts';
import { HELD_REASON, START_DENIED, StartHeldRun } from '../duplicates/start-held-run.tsx';

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
  if (run.status === 'holding' && run.awaitingStart) {
    const denied = memberRole === 'viewer';
    return (
      <div class="ol-run__dc" data-testid="dc-held-run">
        <p class="ol-notice" data-testid="dc-held-reason">
          {run.errorMessage ?? HELD_REASON}
        </p>
        <StartHeldRun runId={run.id} denied={denied} />
        {denied && <p class="ol-hint">{START_DENIED}</p>}
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

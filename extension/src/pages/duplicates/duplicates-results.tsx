import { DC_OBJECT_LABELS, type DcRunSummary, FINAL_RUN_STATUSES, type JobRun, type Me } from '@orglink/shared';
import { useEffect, useState } from 'preact/hooks';
import { type ApiFailure, isSignedOutFailure } from '../../api/api-result.ts';
import { sendMessage } from '../../messaging.ts';
import { ActionButton } from '../../ui/action-button.tsx';
import { ProgressBar } from '../../ui/progress-bar.tsx';
import { describeProgress, formatCount, formatRunTime, RUN_STATUS_LABEL, runStatusTone } from '../../ui/run-format.ts';
import { EmptyState, ErrorState, LoadingRows } from '../../ui/states.tsx';
import { StatusPill } from '../../ui/status-pill.tsx';
import { RunCsvButton } from '../activities/run-csv-button.tsx';
import { useLiveRun } from '../activities/use-live-run.ts';
import { askBackground } from '../ask-background.ts';
import { describePairsScored, dismissDeniedReason } from './dc-format.ts';
import { GroupCard, type PairReview } from './group-card.tsx';
import { HELD_REASON, StartHeldRun } from './start-held-run.tsx';
import { useDcGroups } from './use-dc-groups.ts';

interface Props {
  runId: string | undefined;
  me: Me;
  onSignedOut: (reason: string) => void;
}

type Loaded = { state: 'loading' } | { state: 'failed'; failure: ApiFailure } | { state: 'ready'; run: JobRun };

/** The results page of one Duplicate Check run: what it read and scored, then its groups by score. */
export function DuplicatesResults({ runId, me, onSignedOut }: Props) {
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });

  const load = async (id: string) => {
    setLoaded({ state: 'loading' });
    const result = await askBackground(() => sendMessage('getRun', id));
    if (!result.ok && isSignedOutFailure(result)) onSignedOut(result.error.message);
    setLoaded(result.ok ? { state: 'ready', run: result.data } : { state: 'failed', failure: result });
  };

  useEffect(() => {
    if (runId) void load(runId);
  }, [runId]);

  if (!runId) {
    return (
      <ErrorState
        title="No run to show"
        message="Open this page from a Duplicate Check run in the toolbar popup's job history, or from the Connections page."
        testId="dc-no-run"
      />
    );
  }
  if (loaded.state === 'loading') return <LoadingRows label="Loading the run…" />;
  if (loaded.state === 'failed') {
    return (
      <ErrorState
        title="The run could not be loaded"
        message={loaded.failure.error.message}
        onRetry={() => void load(runId)}
        testId="dc-run-error"
      />
    );
  }
  if (loaded.run.kind !== 'duplicate-check') {
    return (
      <ErrorState
        title="This run is not a Duplicate Check"
        message={`“${loaded.run.title}” is a ${loaded.run.kind} run; its results are in the job history.`}
        testId="dc-wrong-kind"
      />
    );
  }
  return <RunResults initial={loaded.run} me={me} />;
}

function RunResults({ initial, me }: { initial: JobRun; me: Me }) {
  const run = useLiveRun(initial);
  const finished = FINAL_RUN_STATUSES.includes(run.status);
  const readable = finished && run.status !== 'failed' && run.status !== 'aborted';
  const { groups, reload, loadMore } = useDcGroups(run.id, readable);
  const summary = (groups.state === 'loaded' ? groups.summary : null) ?? run.duplicates ?? null;
  const deniedReason = dismissDeniedReason(me.role);
  const review: PairReview = {
    dismiss: (pairId) => askBackground(() => sendMessage('dismissDcPair', pairId)),
    restore: (pairId) => askBackground(() => sendMessage('restoreDcPair', pairId)),
    deniedReason,
  };

  return (
    <section class="ol-dc" aria-live="polite" data-testid="dc-results" data-status={run.status}>
      <div class="ol-run__head">
        <h2 class="ol-run__title">{run.title}</h2>
        <StatusPill tone={runStatusTone(run.status)} title={run.errorMessage ?? undefined}>
          <span data-testid="dc-run-status">{RUN_STATUS_LABEL[run.status]}</span>
        </StatusPill>
      </div>
      <RunFacts run={run} summary={summary} />
      {(run.status === 'queued' || run.status === 'running') && (
        <ProgressBar
          value={run.counts.processed}
          max={run.counts.total}
          label={`Progress of ${run.title}`}
          text={run.status === 'queued' ? 'Waiting to start…' : describeProgress(run)}
        />
      )}
      {run.status === 'holding' && <HeldRun run={run} denied={me.role === 'viewer'} />}
      {run.errorMessage && run.status !== 'holding' && (
        <p class="ol-error" role="alert" data-testid="dc-run-error-message">
          {run.errorMessage}
        </p>
      )}
      {readable && (
        <div class="ol-toolbar">
          <RunCsvButton
            runId={run.id}
            file="results"
            label="Export CSV"
            busyLabel="Exporting…"
            testId="dc-export-csv"
          />
        </div>
      )}
      {groups.state === 'loading' && <LoadingRows label="Loading the groups…" />}
      {groups.state === 'failed' && (
        <ErrorState
          title="The groups could not be loaded"
          message={groups.failure.error.message}
          onRetry={() => void reload()}
          testId="dc-groups-error"
        />
      )}
      {groups.state === 'loaded' && groups.groups.length === 0 && (
        <EmptyState
          title={`No duplicates found among ${formatCount(summary?.recordsRead ?? run.counts.processed)} records`}
          testId="dc-empty"
        >
          <p class="ol-notice">
            {summary && summary.pairsDismissed > 0
              ? `${formatCount(summary.pairsDismissed)} pairs dismissed before were left out.`
              : 'Try another scenario, or a lower threshold, if you expected some.'}
          </p>
        </EmptyState>
      )}
      {groups.state === 'loaded' && groups.groups.length > 0 && (
        <div class="ol-dc-groups" data-testid="dc-groups">
          {groups.groups.map((group) => (
            <GroupCard key={group.id} group={group} review={review} />
          ))}
        </div>
      )}
      {groups.state === 'loaded' && groups.moreFailed && (
        <p class="ol-error" role="alert">
          {groups.moreFailed}
        </p>
      )}
      {groups.state === 'loaded' && groups.nextCursor && (
        <ActionButton
          onClick={() => void loadMore()}
          busy={groups.loadingMore}
          busyLabel="Loading…"
          testId="dc-load-more"
        >
          Load more groups
        </ActionButton>
      )}
    </section>
  );
}

function RunFacts({ run, summary }: { run: JobRun; summary: DcRunSummary | null }) {
  const recordsRead = summary?.recordsRead ?? run.counts.processed;
  return (
    <dl class="ol-facts" data-testid="dc-facts">
      <dt>Connection</dt>
      <dd data-testid="dc-connection">{run.connectionName}</dd>
      {summary && (
        <>
          <dt>Object</dt>
          <dd data-testid="dc-object">{DC_OBJECT_LABELS[summary.object]}</dd>
        </>
      )}
      <dt>When</dt>
      <dd>
        <time dateTime={run.finishedAt ?? run.queuedAt}>{formatRunTime(run.finishedAt ?? run.queuedAt)}</time>
        {run.startedBy ? ` · started by ${run.startedBy}` : ` · ${run.trigger}`}
      </dd>
      <dt>Records read</dt>
      <dd data-testid="dc-records-read">{formatCount(recordsRead)}</dd>
      {summary && (
        <>
          <dt>Pairs scored</dt>
          <dd data-testid="dc-pairs-scored">{describePairsScored(summary)}</dd>
          <dt>Groups found</dt>
          <dd data-testid="dc-groups-found">
            {formatCount(summary.groups)}
            {summary.pairsDismissed > 0 ? ` (${formatCount(summary.pairsDismissed)} dismissed pairs left out)` : ''}
          </dd>
          <dt>Scenarios used</dt>
          <dd data-testid="dc-scenarios">
            {summary.scenarios.map((scenario) => `${scenario.name} (from ${scenario.threshold}%)`).join(', ') || '—'}
          </dd>
        </>
      )}
    </dl>
  );
}

/** A scheduled run waiting because its connection does not auto-run Duplicate Check jobs: an admin starts it. */
function HeldRun({ run, denied }: { run: JobRun; denied: boolean }) {
  return (
    <div class="ol-callout ol-callout--warn" data-testid="dc-held">
      <p>{run.errorMessage ?? HELD_REASON}</p>
      {run.awaitingStart && <StartHeldRun runId={run.id} denied={denied} />}
    </div>
  );
}

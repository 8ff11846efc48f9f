import type { ActivityKind, JobRun } from '@orglink/shared';
import { ProgressBar } from '../../ui/progress-bar.tsx';
import {
  describeProgress,
  formatCount,
  isRunInProgress,
  RUN_STATUS_LABEL,
  runStatusTone,
} from '../../ui/run-format.ts';
import { StatusPill } from '../../ui/status-pill.tsx';
import { isQueryActivity } from './activity-kinds.ts';
import { ResultsTable } from './results-table.tsx';
import { RunCsvButton } from './run-csv-button.tsx';
import { useLiveRun } from './use-live-run.ts';

interface Props {
  run: JobRun;
  activity: ActivityKind;
  soql: string | null;
}

/** The run an activity became: live progress, its counts when it ends, the results table and the CSV downloads. */
export function RunPanel({ run: started, activity, soql }: Props) {
  const run = useLiveRun(started);
  const inProgress = isRunInProgress(run);
  const query = isQueryActivity(activity);
  const { counts } = run;
  return (
    <section class="ol-run-panel" aria-live="polite" data-testid="run-panel" data-status={run.status}>
      <div class="ol-run__head">
        <h2 class="ol-run__title">{run.title}</h2>
        <StatusPill tone={runStatusTone(run.status)} title={run.errorMessage ?? undefined}>
          <span data-testid="run-status">{RUN_STATUS_LABEL[run.status]}</span>
        </StatusPill>
      </div>
      {soql && <pre class="ol-soql">{soql}</pre>}
      {inProgress && (
        <ProgressBar
          value={counts.processed}
          max={counts.total}
          label={`Progress of ${run.title}`}
          text={describeProgress(run)}
        />
      )}
      {!inProgress && (
        <p data-testid="run-summary">
          {query
            ? `${formatCount(counts.processed)} records read.`
            : `${formatCount(counts.processed)} processed: ${formatCount(counts.created)} created, ${formatCount(counts.updated)} updated, ${formatCount(counts.deleted)} deleted, ${formatCount(counts.failed)} failed.`}
        </p>
      )}
      {run.errorMessage && (
        <p class="ol-error" role="alert" data-testid="run-error-message">
          {run.errorMessage}
        </p>
      )}
      {!inProgress && run.status !== 'failed' && run.status !== 'aborted' && (
        <div class="ol-toolbar">
          <RunCsvButton
            runId={run.id}
            file="results"
            label={query ? 'Download results.csv' : 'Download results.csv (successes)'}
            testId="download-results"
          />
          {counts.failed > 0 && <ErrorsCsvButton runId={run.id} failed={counts.failed} />}
        </div>
      )}
      {run.status === 'failed' && counts.failed > 0 && (
        <div class="ol-toolbar">
          <ErrorsCsvButton runId={run.id} failed={counts.failed} />
        </div>
      )}
      {query && !inProgress && run.status !== 'failed' && run.status !== 'aborted' && <ResultsTable runId={run.id} />}
    </section>
  );
}

function ErrorsCsvButton({ runId, failed }: { runId: string; failed: number }) {
  return (
    <RunCsvButton
      runId={runId}
      file="errors"
      label={`Download errors.csv (${formatCount(failed)})`}
      testId="download-errors"
    />
  );
}

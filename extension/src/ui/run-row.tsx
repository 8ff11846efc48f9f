import type { JobRun } from '@orglink/shared';
import type { ComponentChildren } from 'preact';
import { ProgressBar } from './progress-bar.tsx';
import {
  describeProgress,
  formatCount,
  formatRunTime,
  isRunInProgress,
  RUN_STATUS_LABEL,
  runDuration,
  runStatusTone,
} from './run-format.ts';
import { StatusPill } from './status-pill.tsx';

interface Props {
  run: JobRun;
  /** Hidden where every row shares one connection (an org's own view). */
  showConnection?: boolean;
  /** Extra links under the counts, such as the errors CSV in the widget. */
  children?: ComponentChildren;
}

/** One run in a history list: what ran, where, its state, its counts and duration, live progress while it runs. */
export function RunRow({ run, showConnection = true, children }: Props) {
  const { created, updated, unchanged, failed } = run.counts;
  const duration = runDuration(run);
  return (
    <li class="ol-run" data-testid="run-row" data-run-id={run.id} data-status={run.status}>
      <div class="ol-run__head">
        <span class="ol-run__title" data-testid="run-title">
          {run.title}
        </span>
        <StatusPill tone={runStatusTone(run.status)} title={run.errorMessage ?? undefined}>
          {RUN_STATUS_LABEL[run.status]}
        </StatusPill>
      </div>
      <div class="ol-run__meta">
        {showConnection && <span data-testid="run-connection">{run.connectionName}</span>}
        <time dateTime={run.queuedAt}>{formatRunTime(run.queuedAt)}</time>
        {duration && <span data-testid="run-duration">{duration}</span>}
      </div>
      {run.status === 'running' && (
        <ProgressBar
          value={run.counts.processed}
          max={run.counts.total}
          label={`Progress of ${run.title}`}
          text={describeProgress(run)}
        />
      )}
      {!isRunInProgress(run) && run.kind === 'duplicate-check' && (
        <dl class="ol-run__counts" data-testid="run-counts">
          <div>
            <dt>Records read</dt>
            <dd>{formatCount(run.duplicates?.recordsRead ?? run.counts.processed)}</dd>
          </div>
          <div>
            <dt>Groups</dt>
            <dd data-testid="run-dc-groups">{run.duplicates ? formatCount(run.duplicates.groups) : '—'}</dd>
          </div>
        </dl>
      )}
      {!isRunInProgress(run) && run.kind !== 'duplicate-check' && (
        <dl class="ol-run__counts" data-testid="run-counts">
          <div>
            <dt>Created</dt>
            <dd>{formatCount(created)}</dd>
          </div>
          <div>
            <dt>Updated</dt>
            <dd>{formatCount(updated)}</dd>
          </div>
          <div>
            <dt>Unchanged</dt>
            <dd>{formatCount(unchanged)}</dd>
          </div>
          <div class={failed > 0 ? 'ol-run__failed' : undefined}>
            <dt>Failed</dt>
            <dd>{formatCount(failed)}</dd>
          </div>
        </dl>
      )}
      {run.errorMessage && (run.status === 'failed' || run.status === 'holding' || run.status === 'aborted') && (
        <p class="ol-run__error" data-testid="run-error">
          {run.errorMessage}
        </p>
      )}
      {children}
    </li>
  );
}

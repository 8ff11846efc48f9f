import type { Connection, Role, RunStatus } from '@orglink/shared';
import { useState } from 'preact/hooks';
import { RUN_STATUS_LABEL } from '../../ui/run-format.ts';
import { RunRow } from '../../ui/run-row.tsx';
import { EmptyState, ErrorState, LoadingRows } from '../../ui/states.tsx';
import { DcRunActions } from './dc-run-actions.tsx';
import type { RunFilter } from './run-filter.ts';
import { useRunHistory } from './use-run-history.ts';

const STATUSES = Object.keys(RUN_STATUS_LABEL) as RunStatus[];

interface Props {
  /** The connections to filter by; the filter is hidden when the view is already one connection's or integration's. */
  connections: Connection[] | undefined;
  /** A fixed part of the filter: an integration's or org's own history. */
  scope?: RunFilter;
  /** A heading for screen readers and the eye: "All runs", "History". */
  heading: string;
  /** Who looks: Start on a held Duplicate Check run is for owners and admins. */
  role?: Role | undefined;
}

/** Job history, newest first, with filters by connection and status, and live progress of running jobs. */
export function RunHistory({ connections, scope = {}, heading, role }: Props) {
  const [connection, setConnection] = useState('');
  const [status, setStatus] = useState<RunStatus | ''>('');
  const scoped = scope.connection !== undefined || scope.integration !== undefined;
  const filter: RunFilter = {
    connection: scope.connection ?? (connection || undefined),
    integration: scope.integration,
    status: status || undefined,
  };
  const { history, reload, loadMore } = useRunHistory(filter);
  const filtered = Boolean(status || (!scoped && connection));

  return (
    <section class="popup__history" aria-labelledby="run-history-heading">
      <h2 id="run-history-heading" class="popup__section-title">
        {heading}
      </h2>
      <div class="popup__filters">
        {!scoped && (
          <label>
            <span class="ol-visually-hidden">Connection</span>
            <select
              value={connection}
              onChange={(event) => setConnection((event.currentTarget as HTMLSelectElement).value)}
              data-testid="filter-connection"
            >
              <option value="">All connections</option>
              {connections?.map((entry) => (
                <option key={entry.id} value={entry.id}>
                  {entry.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          <span class="ol-visually-hidden">Status</span>
          <select
            value={status}
            onChange={(event) => setStatus((event.currentTarget as HTMLSelectElement).value as RunStatus | '')}
            data-testid="filter-status"
          >
            <option value="">All statuses</option>
            {STATUSES.map((value) => (
              <option key={value} value={value}>
                {RUN_STATUS_LABEL[value]}
              </option>
            ))}
          </select>
        </label>
      </div>
      {history.state === 'loading' && <LoadingRows label="Loading runs…" rows={3} />}
      {history.state === 'failed' && (
        <ErrorState
          title="Could not load the runs"
          message={history.failure.error.message}
          onRetry={() => void reload()}
          testId="runs-error"
        />
      )}
      {history.state === 'loaded' && history.runs.length === 0 && (
        <EmptyState title={filtered ? 'No runs match these filters' : 'No runs yet'} testId="runs-empty">
          <p class="ol-notice">
            {filtered
              ? 'Clear a filter to see more.'
              : 'Runs appear here when a write job runs, by hand from the Catalog widget or on its schedule.'}
          </p>
        </EmptyState>
      )}
      {history.state === 'loaded' && history.runs.length > 0 && (
        <ul class="ol-runs" data-testid="run-list" aria-live="polite" aria-relevant="additions">
          {history.runs.map((run) => (
            <RunRow key={run.id} run={run} showConnection={scope.connection === undefined}>
              {run.kind === 'duplicate-check' && <DcRunActions run={run} memberRole={role} />}
            </RunRow>
          ))}
        </ul>
      )}
      {history.state === 'loaded' && history.moreFailed && (
        <p class="ol-error" role="alert">
          {history.moreFailed}
        </p>
      )}
      {history.state === 'loaded' && history.nextCursor && (
        <button
          type="button"
          class="ol-button ol-button--secondary"
          aria-busy={history.loadingMore ? 'true' : undefined}
          onClick={() => void loadMore()}
          data-testid="runs-more"
        >
          {history.loadingMore ? 'Loading…' : 'Show older runs'}
        </button>
      )}
    </section>
  );
}

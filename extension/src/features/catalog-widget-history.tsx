import type { JobRun } from '@orglink/shared';
import { useState } from 'preact/hooks';
import { isRunInProgress, RUN_STATUS_LABEL } from '../ui/run-format.ts';
import { saveCsv } from '../ui/save-csv.ts';
import type { CatalogWidgetApi } from './catalog-widget-api.ts';
import { formatDuration, formatRate } from './catalog-widget-model.ts';
import type { RunsState } from './catalog-widget-view.tsx';

const CHART_RUNS = 30;

interface Props {
  runs: RunsState;
  api: CatalogWidgetApi;
  onRetry: () => void;
}

/** Newest first; a running job with its progress; each run's outcome counts, duration and errors CSV; a chart. */
export function JobHistoryTab({ runs, api, onRetry }: Props) {
  if (runs.state === 'loading') {
    return (
      <p class="ol-cw__note" role="status" aria-busy="true" data-testid="orglink-history-loading">
        Loading the job history…
      </p>
    );
  }
  if (runs.state === 'error') {
    return (
      <div class="ol-cw__error" role="alert" data-testid="orglink-history-error">
        <p>{runs.message}</p>
        <button type="button" class="ol-cw__secondary" onClick={onRetry}>
          Retry
        </button>
      </div>
    );
  }
  if (runs.runs.length === 0) {
    return (
      <div class="ol-cw__empty" data-testid="orglink-history-empty">
        <h3>No write jobs yet</h3>
        <p>Run Write Job (Quick Actions) writes the Catalog users now; the schedule runs it daily.</p>
      </div>
    );
  }
  return (
    <div data-testid="orglink-history">
      <RunChart runs={runs.runs.slice(0, CHART_RUNS)} />
      <ol class="ol-cw__runs" aria-label="Write jobs, newest first">
        {runs.runs.map((run) => (
          <RunItem key={run.id} run={run} api={api} />
        ))}
      </ol>
    </div>
  );
}

function RunItem({ run, api }: { run: JobRun; api: CatalogWidgetApi }) {
  const when = run.startedAt ?? run.queuedAt;
  const { created, updated, unchanged, failed } = run.counts;
  return (
    <li class="ol-cw__run" data-testid="orglink-run" data-status={run.status} data-run-id={run.id}>
      <div class="ol-cw__run-head">
        <span class={`ol-cw__pill ol-cw__pill--${run.status}`} data-testid="orglink-run-status">
          {RUN_STATUS_LABEL[run.status]}
        </span>
        <time dateTime={when}>{new Date(when).toLocaleString()}</time>
        <span class="ol-cw__muted">{run.trigger === 'manual' ? `by ${run.startedBy ?? 'someone'}` : 'scheduled'}</span>
      </div>
      {isRunInProgress(run) ? (
        <RunProgress run={run} />
      ) : (
        <p class="ol-cw__counts" data-testid="orglink-run-counts">
          {created} created · {updated} updated · {unchanged} unchanged · {failed} failed · {formatDuration(run)}
        </p>
      )}
      {run.errorMessage && (
        <p class="ol-cw__field-error" data-testid="orglink-run-error">
          {run.errorMessage}
        </p>
      )}
      {failed > 0 && <ErrorsCsvButton run={run} api={api} />}
    </li>
  );
}

function RunProgress({ run }: { run: JobRun }) {
  const { processed, total } = run.counts;
  const rate = formatRate(run.rate);
  const text =
    run.status === 'queued'
      ? 'Waiting to start…'
      : run.status === 'holding'
        ? 'Holding: waits until the connection is active again.'
        : total === null
          ? `${processed} processed, counting the Catalog users…`
          : `${processed} / ${total}${rate ? ` · ${rate}` : ''}`;
  return (
    <div class="ol-cw__progress" data-testid="orglink-run-progress">
      <div
        class="ol-cw__bar-track"
        role="progressbar"
        aria-label="Write job progress"
        aria-valuemin={0}
        aria-valuemax={total ?? undefined}
        aria-valuenow={total === null ? undefined : processed}
        aria-valuetext={text}
      >
        <div
          class="ol-cw__bar-fill"
          style={{ width: total ? `${Math.min(100, (processed / total) * 100).toFixed(1)}%` : '0%' }}
        />
      </div>
      <span data-testid="orglink-run-progress-text">{text}</span>
    </div>
  );
}

/** The CSV comes through the background (which holds the token) as text; the page saves it from a Blob. */
function ErrorsCsvButton({ run, api }: { run: JobRun; api: CatalogWidgetApi }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  async function download() {
    if (busy) return;
    setBusy(true);
    setError(undefined);
    const result = await api.downloadRunErrors(run.id);
    setBusy(false);
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    saveCsv(result.data.filename, result.data.text);
  }
  return (
    <>
      <button
        type="button"
        class="ol-cw__link"
        aria-busy={busy ? 'true' : undefined}
        onClick={() => void download()}
        data-testid="orglink-errors-csv"
      >
        {busy ? 'Downloading…' : `Errors CSV (${run.counts.failed})`}
      </button>
      {error && (
        <p class="ol-cw__field-error" role="alert">
          {error}
        </p>
      )}
    </>
  );
}

const CHART_WIDTH = 300;
const CHART_HEIGHT = 60;
const SEGMENTS = [
  ['created', 'ol-cw__seg--created'],
  ['updated', 'ol-cw__seg--updated'],
  ['unchanged', 'ol-cw__seg--unchanged'],
  ['failed', 'ol-cw__seg--failed'],
] as const;

/** The last 30 runs, oldest left: one stacked bar per run (created, updated, unchanged, failed), scaled to the largest. */
export function RunChart({ runs }: { runs: JobRun[] }) {
  const ordered = [...runs].reverse();
  const totals = ordered.map((run) => SEGMENTS.reduce((sum, [key]) => sum + run.counts[key], 0));
  const max = Math.max(1, ...totals);
  const slot = CHART_WIDTH / CHART_RUNS;
  const failedRuns = runs.filter((run) => run.status === 'failed' || run.counts.failed > 0).length;
  const summary = `Last ${runs.length} write jobs: ${failedRuns} with failures.`;
  return (
    <figure class="ol-cw__chart" data-testid="orglink-run-chart">
      <svg
        viewBox={`0 0 ${CHART_WIDTH} ${CHART_HEIGHT}`}
        width={CHART_WIDTH}
        height={CHART_HEIGHT}
        role="img"
        aria-label={summary}
      >
        {ordered.map((run, index) => {
          let y = CHART_HEIGHT;
          const x = index * slot + 1;
          return (
            <g key={run.id} data-testid="orglink-chart-bar">
              <title>
                {new Date(run.queuedAt).toLocaleString()}: {RUN_STATUS_LABEL[run.status]}, {run.counts.created} created,{' '}
                {run.counts.updated} updated, {run.counts.unchanged} unchanged, {run.counts.failed} failed
              </title>
              {SEGMENTS.map(([key, className]) => {
                const height = (run.counts[key] / max) * (CHART_HEIGHT - 2);
                if (height <= 0) return null;
                y -= height;
                return <rect key={key} class={className} x={x} y={y} width={slot - 2} height={height} />;
              })}
              {run.status === 'failed' && (
                <rect class="ol-cw__seg--failed" x={x} y={CHART_HEIGHT - 3} width={slot - 2} height={3} />
              )}
            </g>
          );
        })}
      </svg>
      <figcaption class="ol-cw__legend">
        <span class="ol-cw__key ol-cw__seg--created">created</span>
        <span class="ol-cw__key ol-cw__seg--updated">updated</span>
        <span class="ol-cw__key ol-cw__seg--unchanged">unchanged</span>
        <span class="ol-cw__key ol-cw__seg--failed">failed</span>
      </figcaption>
    </figure>
  );
}

import type { ActivityKind, JobRun } from '@orglink/shared';
import { useState } from 'preact/hooks';
import { sendMessage } from '../../messaging.ts';
import { ActionButton } from '../../ui/action-button.tsx';
import { ProgressBar } from '../../ui/progress-bar.tsx';
import {
  describeProgress,
  formatCount,
  isRunInProgress,
  RUN_STATUS_LABEL,
  runStatusTone,
} from '../../ui/run-format.ts';
import { saveCsv } from '../../ui/save-csv.ts';
import { StatusPill } from '../../ui/status-pill.tsx';
import { askBackground } from '../ask-background.ts';
import { isQueryActivity } from './activity-kinds.ts';
import { ResultsTable } from './results-table.tsx';
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
          <CsvButton
            runId={run.id}
            file="results"
            label={query ? 'Download results.csv' : 'Download results.csv (successes)'}
          />
          {counts.failed > 0 && (
            <CsvButton runId={run.id} file="errors" label={`Download errors.csv (${formatCount(counts.failed)})`} />
          )}
        </div>
      )}
      {run.status === 'failed' && counts.failed > 0 && (
        <div class="ol-toolbar">
          <CsvButton runId={run.id} file="errors" label={`Download errors.csv (${formatCount(counts.failed)})`} />
        </div>
      )}
      {query && !inProgress && run.status !== 'failed' && run.status !== 'aborted' && <ResultsTable runId={run.id} />}
    </section>
  );
}

/** The CSV comes through the background (which holds the token) as text; the page saves it from a Blob. */
function CsvButton({ runId, file, label }: { runId: string; file: 'results' | 'errors'; label: string }) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();
  async function download() {
    setBusy(true);
    setProblem(undefined);
    const result = await askBackground(() => sendMessage('downloadRunCsv', { runId, file }));
    setBusy(false);
    if (result.ok) saveCsv(result.data.filename, result.data.text);
    else setProblem(result.error.message);
  }
  return (
    <span>
      <ActionButton onClick={() => void download()} busy={busy} busyLabel="Downloading…" testId={`download-${file}`}>
        {label}
      </ActionButton>
      {problem && (
        <span class="ol-field-error" role="alert">
          {' '}
          {problem}
        </span>
      )}
    </span>
  );
}

import type { JobRun, RunStatus } from '@orglink/shared';
import type { PillTone } from './status-pill.tsx';

/** A run's status in words and colour, for pills in the popup and the widget. */
export const RUN_STATUS_LABEL: Record<RunStatus, string> = {
  queued: 'Queued',
  running: 'Running',
  holding: 'Holding',
  completed: 'Completed',
  'completed-with-errors': 'Completed with errors',
  failed: 'Failed',
  aborted: 'Aborted',
};

export function runStatusTone(status: RunStatus): PillTone {
  switch (status) {
    case 'completed':
      return 'ok';
    case 'completed-with-errors':
    case 'holding':
      return 'warn';
    case 'failed':
      return 'error';
    case 'queued':
    case 'running':
      return 'pending';
    case 'aborted':
      return 'neutral';
  }
}

export function isRunInProgress(run: Pick<JobRun, 'status'>): boolean {
  return run.status === 'queued' || run.status === 'running' || run.status === 'holding';
}

/** "1 h 2 min", "3 min 5 s", "42 s", "0.4 s": as short as a history row needs. */
export function formatDuration(milliseconds: number): string {
  if (milliseconds < 0) return '0 s';
  if (milliseconds < 10_000) return `${(milliseconds / 1000).toFixed(1)} s`;
  const seconds = Math.round(milliseconds / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** The duration of a finished run, or what it is doing while it has not finished. */
export function runDuration(run: Pick<JobRun, 'status' | 'startedAt' | 'finishedAt'>): string {
  if (run.status === 'running') return 'running';
  if (run.status === 'queued') return 'queued';
  if (run.status === 'holding') return 'holding';
  if (!run.startedAt || !run.finishedAt) return '';
  return formatDuration(Date.parse(run.finishedAt) - Date.parse(run.startedAt));
}

const COUNT = new Intl.NumberFormat('en-US');

export function formatCount(value: number): string {
  return COUNT.format(value);
}

/** "1,234 / 5,000 records · 210/s"; the total is unknown until the source has been counted. */
export function describeProgress(run: Pick<JobRun, 'counts' | 'rate' | 'stage'>): string {
  // A stage says more than counts that stand still (a Duplicate Check matching what it has read).
  if (run.stage) return run.stage;
  const { processed, total } = run.counts;
  const amount =
    total === null ? `${formatCount(processed)} records` : `${formatCount(processed)} / ${formatCount(total)} records`;
  return run.rate === null ? amount : `${amount} · ${formatCount(Math.round(run.rate))}/s`;
}

/** When a run was queued, short and local: "Nov 20, 10:05". */
export function formatRunTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString('en-US', { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

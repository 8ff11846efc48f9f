import type { Connection, Job } from '@orglink/shared';
import { useEffect, useState } from 'preact/hooks';
import type { ApiFailure } from '../../api/api-result.ts';
import { sendMessage } from '../../messaging.ts';
import { ErrorState, LoadingRows } from '../../ui/states.tsx';
import { StatusPill } from '../../ui/status-pill.tsx';
import { askBackground } from '../ask-background.ts';
import { jobStatePill } from './describe-connection.ts';

type JobsState = { phase: 'loading' } | { phase: 'failed'; failure: ApiFailure } | { phase: 'ready'; jobs: Job[] };

const KIND_LABELS: Record<Job['kind'], string> = {
  write: 'Write job',
  'duplicate-check': 'Duplicate Check',
  activity: 'Activity',
};

interface Props {
  connection: Connection;
  /** The latest job.changed event of the live stream, applied in place. */
  liveJob: Job | undefined;
}

/** The jobs that use this connection and their state: Holding (with why) while the connection is inactive. */
export function ConnectionJobs({ connection, liveJob }: Props) {
  const [state, setState] = useState<JobsState>({ phase: 'loading' });
  const [attempt, setAttempt] = useState(0);

  // Reloaded when the status changes, because the server moves jobs to Holding and back with it.
  useEffect(() => {
    let current = true;
    askBackground(() => sendMessage('listJobs', connection.id)).then((result) => {
      if (!current) return;
      setState(result.ok ? { phase: 'ready', jobs: result.data.jobs } : { phase: 'failed', failure: result });
    });
    return () => {
      current = false;
    };
  }, [connection.id, connection.status, attempt]);

  useEffect(() => {
    if (!liveJob || liveJob.connectionId !== connection.id) return;
    setState((current) =>
      current.phase === 'ready'
        ? { phase: 'ready', jobs: [...current.jobs.filter((job) => job.id !== liveJob.id), liveJob] }
        : current,
    );
  }, [liveJob, connection.id]);

  return (
    <section class="ol-section" aria-labelledby="jobs-title" data-testid="connection-jobs">
      <h3 id="jobs-title">Jobs</h3>
      {state.phase === 'loading' && <LoadingRows label="Loading jobs…" rows={2} />}
      {state.phase === 'failed' && (
        <ErrorState
          title="The jobs could not be loaded"
          message={state.failure.error.message}
          onRetry={() => {
            setState({ phase: 'loading' });
            setAttempt((value) => value + 1);
          }}
        />
      )}
      {state.phase === 'ready' && state.jobs.length === 0 && (
        <p class="ol-notice">No jobs use this connection yet. Write jobs and Duplicate Check jobs appear here.</p>
      )}
      {state.phase === 'ready' && state.jobs.length > 0 && (
        <table class="ol-table">
          <thead>
            <tr>
              <th scope="col">Job</th>
              <th scope="col">Kind</th>
              <th scope="col">Schedule (UTC)</th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {[...state.jobs]
              .sort((left, right) => left.name.localeCompare(right.name))
              .map((job) => {
                const pill = jobStatePill(job.state);
                return (
                  <tr key={job.id} data-job-id={job.id}>
                    <th scope="row">{job.name}</th>
                    <td>{KIND_LABELS[job.kind]}</td>
                    <td>
                      <code>{job.schedule ?? 'On demand'}</code>
                    </td>
                    <td>
                      <StatusPill tone={pill.tone}>{pill.label}</StatusPill>
                      {job.stateReason && <div class="ol-table__sub">{job.stateReason}</div>}
                    </td>
                  </tr>
                );
              })}
          </tbody>
        </table>
      )}
    </section>
  );
}

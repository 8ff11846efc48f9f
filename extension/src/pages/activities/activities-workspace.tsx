import type { ActivityKind, ActivityRun, Connection, Me } from '@orglink/shared';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { type ApiFailure, isSignedOutFailure } from '../../api/api-result.ts';
import { sendMessage } from '../../messaging.ts';
import { EmptyState, ErrorState, LoadingRows } from '../../ui/states.tsx';
import { askBackground } from '../ask-background.ts';
import {
  ACTIVITY_GROUPS,
  activitiesUnavailableReason,
  activityLabel,
  isActivityKind,
  isQueryActivity,
  usableConnections,
} from './activity-kinds.ts';
import { ObjectPicker } from './object-picker.tsx';
import { QueryPanel } from './query-panel.tsx';
import { RunPanel } from './run-panel.tsx';
import { useObjectFields } from './use-object-fields.ts';
import { WritePanel } from './write-panel.tsx';

interface Props {
  me: Me;
  onSignedOut: (reason: string) => void;
}

type ConnectionsState =
  | { phase: 'loading' }
  | { phase: 'failed'; failure: ApiFailure }
  | { phase: 'ready'; connections: Connection[] };

/** Viewers may look (describe, count) but running an activity writes to the org or the history: admins only. */
function runDeniedReason(me: Me): string | undefined {
  return me.role === 'viewer'
    ? 'Viewers cannot run or count activities. Ask an admin or owner of your team.'
    : undefined;
}

/** The signed-in Activities page: connection, activity and object; then the query or the upload; then the run. */
export function ActivitiesWorkspace({ me, onSignedOut }: Props) {
  const [connections, setConnections] = useState<ConnectionsState>({ phase: 'loading' });
  const [connectionId, setConnectionId] = useState('');
  const [activity, setActivity] = useState<ActivityKind>('query');
  const [object, setObject] = useState('');
  const [started, setStarted] = useState<ActivityRun & { activity: ActivityKind }>();

  const load = useCallback(async () => {
    setConnections({ phase: 'loading' });
    const result = await askBackground(() => sendMessage('listConnections'));
    if (!result.ok) {
      if (isSignedOutFailure(result)) onSignedOut(result.error.message);
      setConnections({ phase: 'failed', failure: result });
      return;
    }
    const usable = usableConnections(result.data.connections).sort((a, b) => a.name.localeCompare(b.name));
    setConnections({ phase: 'ready', connections: usable });
    // One Salesforce connection is the usual case: it is picked for the admin.
    const salesforce = usable.filter((connection) => connection.kind === 'salesforce');
    if (salesforce.length === 1 && salesforce[0]) setConnectionId((current) => current || (salesforce[0]?.id ?? ''));
  }, [onSignedOut]);

  useEffect(() => {
    void load();
  }, [load]);

  const connection =
    connections.phase === 'ready' ? connections.connections.find((entry) => entry.id === connectionId) : undefined;
  const unavailable = connection ? activitiesUnavailableReason(connection) : undefined;
  const fields = useObjectFields(connection && !unavailable ? connection.id : undefined, object);

  if (connections.phase === 'loading') return <LoadingRows label="Loading connections…" />;
  if (connections.phase === 'failed') {
    return (
      <ErrorState
        title="Could not load the connections"
        message={connections.failure.error.message}
        onRetry={() => void load()}
      />
    );
  }
  if (connections.connections.length === 0) {
    return (
      <EmptyState title="No active connection" testId="no-connections">
        <p>
          Activities run against a connected Salesforce org. Connect one (or activate a paused one) on the{' '}
          <a href="/connections.html">Connections</a> page.
        </p>
      </EmptyState>
    );
  }

  const deniedReason = runDeniedReason(me);
  return (
    <div class="ol-activity-form">
      <fieldset>
        <legend>What to run</legend>
        <div class="ol-row">
          <label class="ol-field">
            <span class="ol-field__label">Connection</span>
            <select
              value={connectionId}
              onChange={(event) => {
                setConnectionId((event.currentTarget as HTMLSelectElement).value);
                setStarted(undefined);
              }}
              data-testid="connection-select"
            >
              <option value="">Pick a connection…</option>
              {connections.connections.map((entry) => (
                <option key={entry.id} value={entry.id}>
                  {entry.name} ({entry.kind === 'salesforce' ? 'Salesforce' : 'Dynamics 365'})
                </option>
              ))}
            </select>
          </label>
          <label class="ol-field">
            <span class="ol-field__label">Activity</span>
            <select
              value={activity}
              onChange={(event) => {
                const value = (event.currentTarget as HTMLSelectElement).value;
                if (isActivityKind(value)) setActivity(value);
              }}
              data-testid="activity-select"
            >
              {ACTIVITY_GROUPS.map((group) => (
                <optgroup key={group.label} label={group.label}>
                  {group.kinds.map((kind) => (
                    <option key={kind} value={kind}>
                      {activityLabel(kind)}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
          </label>
          {connection && !unavailable && (
            <ObjectPicker key={connection.id} value={object} onCommit={setObject} fields={fields} />
          )}
        </div>
        {unavailable && (
          <p class="ol-callout ol-callout--warn" role="status" data-testid="dynamics-notice">
            {unavailable}
          </p>
        )}
      </fieldset>

      {connection && !unavailable && fields.phase === 'ready' && isQueryActivity(activity) && (
        <QueryPanel
          key={`${connection.id}:${fields.object}:${activity}`}
          connectionId={connection.id}
          activity={activity}
          object={fields.object}
          fields={fields.fields}
          deniedReason={deniedReason}
          onStarted={(run) => setStarted({ ...run, activity })}
        />
      )}
      {connection && !unavailable && fields.phase === 'ready' && !isQueryActivity(activity) && (
        <WritePanel
          key={`${connection.id}:${fields.object}`}
          connectionId={connection.id}
          activity={activity}
          object={fields.object}
          fields={fields.fields}
          deniedReason={deniedReason}
          onStarted={(run) => setStarted({ ...run, activity })}
        />
      )}
      {started && <RunPanel key={started.run.id} run={started.run} activity={started.activity} soql={started.soql} />}
    </div>
  );
}

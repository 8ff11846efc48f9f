import type { Connection, Job, Me } from '@orglink/shared';
import type { JSX } from 'preact';
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { type ApiFailure, isSignedOutFailure } from '../../api/api-result.ts';
import type { LoginWindow } from '../../api/session.ts';
import type { LiveEventsMessage, LiveStreamStatus } from '../../messaging.ts';
import { ActionButton } from '../../ui/action-button.tsx';
import { EmptyState, ErrorState, LoadingRows } from '../../ui/states.tsx';
import { useLiveEvents } from '../use-live-events.ts';
import { ClassicConnectionDialog } from './classic-connection-dialog.tsx';
import type { ClassicMethod } from './classic-connection-form.ts';
import { ConnectionDetails } from './connection-details.tsx';
import { ConnectionTable } from './connection-table.tsx';
import { changeDeniedReason } from './describe-connection.ts';
import { detailsHref, showConnectionList, useSelectedConnectionId } from './hash-route.ts';
import { NewConnectionDialog } from './new-connection-dialog.tsx';
import { useConnections } from './use-connections.ts';

type Notice = { tone: 'ok' | 'error'; message: string } | undefined;

interface Props {
  me: Me;
  onSignedOut: (reason: string) => void;
}

/** The signed-in Connections page: list or details, the New Connection dialog, and live updates for both. */
export function ConnectionsWorkspace({ me, onSignedOut }: Props) {
  const onFailure = useCallback(
    (failure: ApiFailure) => {
      if (isSignedOutFailure(failure)) onSignedOut(failure.error.message);
    },
    [onSignedOut],
  );
  const { state, reload, upsert, remove } = useConnections(onFailure);
  const selectedId = useSelectedConnectionId();
  const [creating, setCreating] = useState(false);
  const [creatingClassic, setCreatingClassic] = useState<ClassicMethod>();
  const [notice, setNotice] = useState<Notice>();
  const [liveJob, setLiveJob] = useState<Job>();
  const [liveStatus, setLiveStatus] = useState<LiveStreamStatus>();
  const loginWindows = useRef(new Map<number, string>());
  const lastViewed = useRef<string | undefined>(undefined);
  const deniedReason = changeDeniedReason(me.role);

  useLiveEvents((message: LiveEventsMessage) => {
    if (message.kind === 'status') {
      // Back after a gap (server restart, the service worker stopped): events may have been missed.
      if (message.status.state === 'open' && liveStatus && liveStatus.state !== 'open') void reload(true);
      setLiveStatus(message.status);
      return;
    }
    const { event } = message;
    if (event.type === 'connection.changed') upsert(event.connection);
    else if (event.type === 'connection.deleted') remove(event.connectionId);
    else if (event.type === 'job.changed') setLiveJob(event.job);
  });

  // The sign-in window closing is the other sign that a sign-in finished (or was given up): ask again.
  useEffect(() => {
    const onRemoved = (windowId: number) => {
      const name = loginWindows.current.get(windowId);
      if (name === undefined) return;
      loginWindows.current.delete(windowId);
      void reload(true);
      setNotice({ tone: 'ok', message: `The sign-in window for “${name}” closed; the list is up to date.` });
    };
    browser.windows.onRemoved.addListener(onRemoved);
    return () => browser.windows.onRemoved.removeListener(onRemoved);
  }, [reload]);

  // Coming back from the details puts focus on the connection that was open, not at the top of the page.
  useLayoutEffect(() => {
    if (selectedId) {
      lastViewed.current = selectedId;
      return;
    }
    const previous = lastViewed.current;
    lastViewed.current = undefined;
    if (previous) document.querySelector<HTMLElement>(`a[href="${detailsHref(previous)}"]`)?.focus();
  }, [selectedId]);

  const trackLoginWindow = (login: LoginWindow, connection: Connection) => {
    if (login.windowId === null) {
      setNotice({
        tone: 'error',
        message: `“${connection.name}” is saved, but ${login.problem} Open it and click Sign in to try again.`,
      });
      return;
    }
    loginWindows.current.set(login.windowId, connection.name);
    setNotice({
      tone: 'ok',
      message: `Sign in for “${connection.name}” in the window that opened, then accept the Data Processing Agreement. This page updates when you finish.`,
    });
  };

  const newButton = (
    <ActionButton
      variant="primary"
      deniedReason={deniedReason}
      onClick={() => setCreating(true)}
      testId="new-connection"
    >
      + New Connection
    </ActionButton>
  );

  return (
    <>
      <div class="ol-page__toolbar">
        <LiveStatus status={liveStatus} />
        <ActionButton deniedReason={deniedReason} onClick={() => setCreatingClassic('password')} testId="new-classic">
          Classic login
        </ActionButton>
        <ActionButton
          deniedReason={deniedReason}
          onClick={() => setCreatingClassic('client-credentials')}
          testId="new-client-credentials"
        >
          Client credentials
        </ActionButton>
        {newButton}
      </div>
      <p
        class={`ol-feedback ${notice?.tone === 'error' ? 'ol-error' : 'ol-ok'}`}
        role={notice?.tone === 'error' ? 'alert' : 'status'}
        data-testid="page-notice"
      >
        {notice?.message}
      </p>

      {state.phase === 'loading' && <LoadingRows label="Loading connections…" />}
      {state.phase === 'failed' && (
        <ErrorState
          title="The connections could not be loaded"
          message={state.failure.error.message}
          onRetry={() => void reload()}
          testId="connections-error"
        />
      )}
      {state.phase === 'ready' && selectedId !== undefined && (
        <SelectedConnection
          connection={state.connections.find((candidate) => candidate.id === selectedId)}
          render={(connection) => (
            <ConnectionDetails
              key={connection.id}
              connection={connection}
              role={me.role}
              allConnections={state.connections}
              liveJob={liveJob}
              onBack={showConnectionList}
              onChanged={upsert}
              onDeleted={(deleted) => {
                remove(deleted.id);
                lastViewed.current = undefined;
                showConnectionList();
                setNotice({ tone: 'ok', message: `Deleted “${deleted.name}”. Its job history is kept.` });
              }}
              onLoginWindow={trackLoginWindow}
              onFailure={onFailure}
            />
          )}
        />
      )}
      {state.phase === 'ready' && selectedId === undefined && state.connections.length === 0 && (
        <EmptyState title="No connections yet" testId="connections-empty">
          <p>
            Connect a Salesforce org or a Dynamics 365 environment: you sign in to it once, and OrgLink keeps the
            connection for your whole team.
          </p>
          {deniedReason ? <p class="ol-notice">{deniedReason}</p> : newButton}
        </EmptyState>
      )}
      {state.phase === 'ready' && selectedId === undefined && state.connections.length > 0 && (
        <ConnectionTable connections={state.connections} />
      )}

      <ClassicConnectionDialog
        method={creatingClassic}
        onClose={() => setCreatingClassic(undefined)}
        onFailure={onFailure}
        onCreated={(connection) => {
          setCreatingClassic(undefined);
          upsert(connection);
          setNotice({
            tone: 'ok',
            message: `Connected “${connection.name}” to ${connection.orgName ?? connection.orgId}.`,
          });
        }}
      />
      <NewConnectionDialog
        open={creating}
        onClose={() => setCreating(false)}
        onFailure={onFailure}
        onCreated={(connection, login) => {
          setCreating(false);
          upsert(connection);
          trackLoginWindow(login, connection);
        }}
      />
    </>
  );
}

function SelectedConnection({
  connection,
  render,
}: {
  connection: Connection | undefined;
  render: (connection: Connection) => JSX.Element;
}) {
  if (connection) return render(connection);
  return (
    <ErrorState
      title="This connection is not in your team's list"
      message="It may have been deleted, or the link is from another team. Go back to all connections."
      testId="connection-missing"
      onRetry={showConnectionList}
    />
  );
}

/** Whether the page receives live updates; quiet while all is well, explicit when not. */
function LiveStatus({ status }: { status: LiveStreamStatus | undefined }) {
  const text =
    status?.state === 'open'
      ? 'Live updates on'
      : status?.state === 'retrying'
        ? 'Live updates paused; reconnecting…'
        : status?.state === 'connecting'
          ? 'Connecting live updates…'
          : '';
  return (
    <span class="ol-live" role="status" data-state={status?.state ?? 'unknown'} data-testid="live-status">
      {text}
    </span>
  );
}

import { useCallback } from 'preact/hooks';
import { EmptyState, ErrorState, LoadingRows } from '../ui/states.tsx';
import { ActivitiesWorkspace } from './activities/activities-workspace.tsx';
import { useSession } from './use-session.ts';

/** The Activities extension page: Query, Insert, Update, Upsert, Delete and the bulk variants against a connection. */
export function ActivitiesPage() {
  const [session, refreshSession, setSession] = useSession();
  const signedOut = useCallback(
    (reason: string) =>
      setSession({ state: 'signed-out', serverUrl: session.state === 'signed-in' ? session.serverUrl : '', reason }),
    [session, setSession],
  );

  return (
    <main class="ol-page">
      <header class="ol-page__header">
        <div>
          <h1>Activities</h1>
          {session.state === 'signed-in' && (
            <p class="ol-notice" data-testid="signed-in-as">
              {session.me.team.name} · signed in as {session.me.user.displayName} ({session.me.role})
            </p>
          )}
        </div>
        <nav class="ol-toolbar">
          <a href="/connections.html" data-testid="connections-link">
            Connections
          </a>
          <a href="/options.html" data-testid="settings-link">
            Settings
          </a>
        </nav>
      </header>
      {session.state === 'loading' && <LoadingRows label="Checking your sign-in…" />}
      {session.state === 'unavailable' && (
        <ErrorState title="OrgLink is not ready" message={session.problem} onRetry={() => void refreshSession()} />
      )}
      {session.state === 'signed-out' && (
        <EmptyState title="Sign in to run activities" testId="signed-out">
          {session.reason && <p class="ol-notice">{session.reason}</p>}
          <p>
            Join your team with an invite code in <a href="/options.html">Settings</a>.
          </p>
        </EmptyState>
      )}
      {session.state === 'signed-in' && <ActivitiesWorkspace me={session.me} onSignedOut={signedOut} />}
    </main>
  );
}

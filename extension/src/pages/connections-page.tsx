import { useCallback } from 'preact/hooks';
import { EmptyState, ErrorState, LoadingRows } from '../ui/states.tsx';
import { ConnectionsWorkspace } from './connections/connections-workspace.tsx';
import { useSession } from './use-session.ts';

/** The Connections extension page: who is signed in, then the team's connections, or the way to sign in. */
export function ConnectionsPage() {
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
          <h1>Connections</h1>
          {session.state === 'signed-in' && (
            <p class="ol-notice" data-testid="signed-in-as">
              {session.me.team.name} · signed in as {session.me.user.displayName} ({session.me.role})
            </p>
          )}
        </div>
        <a href="/options.html" data-testid="settings-link">
          Settings
        </a>
      </header>
      {session.state === 'signed-in' && session.problem && (
        <p class="ol-callout ol-callout--warn" role="status">
          {session.problem}
        </p>
      )}
      {session.state === 'loading' && <LoadingRows label="Checking your sign-in…" />}
      {session.state === 'unavailable' && (
        <ErrorState title="OrgLink is not ready" message={session.problem} onRetry={() => void refreshSession()} />
      )}
      {session.state === 'signed-out' && (
        <EmptyState title="Sign in to see your team's connections" testId="signed-out">
          {session.reason && <p class="ol-notice">{session.reason}</p>}
          <p>
            Join your team with an invite code in <a href="/options.html">Settings</a>. The person who set up OrgLink
            can create one (npm run invite).
          </p>
        </EmptyState>
      )}
      {session.state === 'signed-in' && <ConnectionsWorkspace me={session.me} onSignedOut={signedOut} />}
    </main>
  );
}

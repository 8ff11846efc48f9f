import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { backgroundUnavailable, type ServerStatus } from '../api/server-status.ts';
import { sendMessage } from '../messaging.ts';
import { ServerStatusView } from '../ui/server-status-view.tsx';
import { LoadingRows } from '../ui/states.tsx';
import { RunHistory } from './popup/run-history.tsx';
import { contextScope, TabContextView } from './popup/tab-context-view.tsx';
import { useConnectionChoices } from './popup/use-connection-choices.ts';
import { useTabContext } from './popup/use-tab-context.ts';
import { useSession } from './use-session.ts';

function openSettings(event: Event) {
  event.preventDefault();
  void browser.runtime.openOptionsPage();
}

function openConnections(event: Event) {
  event.preventDefault();
  void browser.tabs.create({ url: browser.runtime.getURL('/connections.html') });
  window.close();
}

function openActivities(event: Event) {
  event.preventDefault();
  void browser.tabs.create({ url: browser.runtime.getURL('/activities.html') });
  window.close();
}

/**
 * The toolbar popup: whether the extension reaches its server, the team it is signed in to, and the job history.
 * Over a Catalog, Salesforce or Dynamics page the team has set up, it opens on that integration's or org's view.
 */
export function PopupPage() {
  const [status, setStatus] = useState<ServerStatus>();
  const [session] = useSession();
  const signedIn = session.state === 'signed-in';
  const context = useTabContext(signedIn);
  const connections = useConnectionChoices(signedIn);
  const [showAll, setShowAll] = useState(false);

  useEffect(() => {
    sendMessage('getServerStatus').then(setStatus, (error: unknown) => setStatus(backgroundUnavailable(error)));
    // Opening the popup is seeing the failures: the red count on the toolbar starts again from zero.
    sendMessage('acknowledgeRunFailures').catch(() => undefined);
  }, []);

  const scope = context && !showAll ? contextScope(context) : undefined;

  return (
    <main class="popup">
      <header class="popup__header">
        <h1>OrgLink</h1>
        <a href="/options.html" target="_blank" rel="noopener" onClick={openSettings} data-testid="settings-link">
          Settings
        </a>
      </header>
      <ServerStatusView status={status}>
        {status?.state === 'unreachable' && (
          <p class="ol-notice">
            Check the server address in{' '}
            <a href="/options.html" target="_blank" rel="noopener" onClick={openSettings}>
              Settings
            </a>
            .
          </p>
        )}
      </ServerStatusView>
      {session.state === 'signed-in' && (
        <section class="popup__team" data-testid="popup-team">
          <div>
            <strong>{session.me.team.name}</strong>
            <div class="ol-notice">
              {session.me.user.displayName} · {session.me.role}
            </div>
          </div>
          <span class="ol-toolbar">
            <a
              href="/connections.html"
              target="_blank"
              rel="noopener"
              onClick={openConnections}
              data-testid="connections-link"
            >
              Connections
            </a>
            <a
              href="/activities.html"
              target="_blank"
              rel="noopener"
              onClick={openActivities}
              data-testid="activities-link"
            >
              Activities
            </a>
          </span>
        </section>
      )}
      {signedIn && context === undefined && <LoadingRows label="Looking at the current tab…" rows={2} />}
      {signedIn && context !== undefined && (
        <>
          {!showAll && <TabContextView context={context} role={session.me.role} />}
          {scope ? (
            <>
              <RunHistory
                key="scoped"
                connections={connections}
                scope={scope}
                heading="History"
                role={session.me.role}
              />
              <button
                type="button"
                class="ol-button ol-button--secondary"
                onClick={() => setShowAll(true)}
                data-testid="show-all-runs"
              >
                All runs
              </button>
            </>
          ) : (
            <>
              {showAll && contextScope(context) && (
                <button
                  type="button"
                  class="popup__back"
                  onClick={() => setShowAll(false)}
                  data-testid="back-to-context"
                >
                  ← Back to {context.kind === 'integration' ? 'this Catalog account' : 'this org'}
                </button>
              )}
              <RunHistory key="all" connections={connections} heading="All runs" role={session.me.role} />
            </>
          )}
        </>
      )}
      {session.state === 'signed-out' && (
        <p class="ol-notice" data-testid="popup-signed-out">
          Not signed in.{' '}
          <a href="/options.html" target="_blank" rel="noopener" onClick={openSettings} data-testid="join-team-link">
            Redeem an invite in Settings
          </a>{' '}
          to join your team.
        </p>
      )}
    </main>
  );
}

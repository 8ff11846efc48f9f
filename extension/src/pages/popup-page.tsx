import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { backgroundUnavailable, type ServerStatus } from '../api/server-status.ts';
import { sendMessage } from '../messaging.ts';
import { ServerStatusView } from '../ui/server-status-view.tsx';
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

/** The toolbar popup: whether the extension reaches its server, and the team it is signed in to. */
export function PopupPage() {
  const [status, setStatus] = useState<ServerStatus>();
  const [session] = useSession();

  useEffect(() => {
    sendMessage('getServerStatus').then(setStatus, (error: unknown) => setStatus(backgroundUnavailable(error)));
  }, []);

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
          <a
            href="/connections.html"
            target="_blank"
            rel="noopener"
            onClick={openConnections}
            data-testid="connections-link"
          >
            Connections
          </a>
        </section>
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

import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { backgroundUnavailable, type ServerStatus } from '../api/server-status.ts';
import { sendMessage } from '../messaging.ts';
import { ServerStatusView } from '../ui/server-status-view.tsx';

function openSettings(event: Event) {
  event.preventDefault();
  void browser.runtime.openOptionsPage();
}

/** The toolbar popup: for now, whether the extension reaches its server. Job history joins it later. */
export function PopupPage() {
  const [status, setStatus] = useState<ServerStatus>();

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
    </main>
  );
}

import type { ServerEvent } from '@orglink/shared';
import { render } from 'preact';
import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { createShadowRootUi, type ShadowRootContentScriptUi } from 'wxt/utils/content-script-ui/shadow-root';
import { CATALOG_INTEGRATIONS_MARKER, CATALOG_WIDGET_MOUNT, isCatalogIntegrationsPage } from '../host-patterns.ts';
import { LIVE_EVENTS_PORT, type LiveEventsMessage, sendMessage } from '../messaging.ts';
import styles from './catalog-widget.css?inline';
import { backgroundApi } from './catalog-widget-api.ts';
import type { CatalogWidgetStatus } from './catalog-widget-protocol.ts';
import { CatalogWidget, widgetTabFromHash } from './catalog-widget-view.tsx';
import type { PageFeature } from './feature-runner.ts';

const RECONNECT_DELAY_MS = 1000;

/** Gate 3: never throws; a background that does not answer means "stay off". */
async function askForWidgetStatus(host: string): Promise<CatalogWidgetStatus> {
  try {
    return await sendMessage('getCatalogWidgetStatus', host);
  } catch (error) {
    return { state: 'unavailable', message: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Server events through the background's relay port, for as long as `signal` lives. The port drops when Chrome
 * stops the service worker; reconnecting wakes it and its event stream.
 */
function liveEvents(signal: AbortSignal): (listener: (event: ServerEvent) => void) => () => void {
  const listeners = new Set<(event: ServerEvent) => void>();
  let port: ReturnType<typeof browser.runtime.connect> | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const connect = () => {
    if (signal.aborted) return;
    try {
      port = browser.runtime.connect({ name: LIVE_EVENTS_PORT });
    } catch {
      return; // The extension was reloaded: this content script is orphaned and its signal is about to abort.
    }
    port.onMessage.addListener((message: unknown) => {
      const live = message as LiveEventsMessage;
      if (live.kind === 'event') for (const listener of listeners) listener(live.event);
    });
    port.onDisconnect.addListener(() => {
      port = undefined;
      timer = setTimeout(connect, RECONNECT_DELAY_MS);
    });
  };
  signal.addEventListener(
    'abort',
    () => {
      clearTimeout(timer);
      port?.disconnect();
    },
    { once: true },
  );
  connect();
  return (listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  };
}

/**
 * Shows the status line and the Widget on the Integrations card while `signal` lives and the background says the
 * admin is signed in to OrgLink. Until then the page is not touched.
 */
export async function showCatalogWidget(ctx: ContentScriptContext, signal: AbortSignal): Promise<void> {
  const host = location.hostname.toLowerCase();
  let ui: ShadowRootContentScriptUi<HTMLElement> | undefined;
  const subscribe = liveEvents(signal);

  const refresh = async () => {
    const status = await askForWidgetStatus(host);
    if (signal.aborted) return;
    if (status.state !== 'signed-in') {
      // A server that is briefly away does not take down a widget already shown.
      if (status.state === 'signed-out') {
        ui?.remove();
        ui = undefined;
      }
      return;
    }
    if (!ui) {
      const created = await createShadowRootUi<HTMLElement>(ctx, {
        name: 'orglink-catalog-widget',
        position: 'inline',
        anchor: CATALOG_WIDGET_MOUNT,
        append: 'last',
        css: styles,
        // Keys typed in the widget must not reach the admin app's own shortcuts.
        isolateEvents: true,
        onMount: (container) => container,
        onRemove: (container) => {
          if (container) render(null, container);
        },
      });
      if (signal.aborted) return;
      created.mount();
      ui = created;
    }
    const initialTab = widgetTabFromHash(location.hash);
    render(
      <CatalogWidget
        // A new #orglink-widget=<tab> (the popup's "Edit field map") opens the panel afresh on that tab.
        key={initialTab ?? 'closed'}
        initialTab={initialTab}
        catalogHost={host}
        integration={status.integration}
        canEdit={status.canEdit}
        api={backgroundApi}
        subscribe={subscribe}
        onRefresh={() => void refresh()}
      />,
      ui.uiContainer,
    );
  };

  signal.addEventListener('abort', () => ui?.remove(), { once: true });
  await refresh();
}

/** Catalog admin, Integrations: is this Catalog account linked to the team's CRM, and the Widget to manage it. */
export const catalogWidget: PageFeature<ContentScriptContext> = {
  name: 'Catalog widget',
  include: (url) => isCatalogIntegrationsPage(url),
  awaitMarker: CATALOG_INTEGRATIONS_MARKER,
  init: (signal, ctx) => showCatalogWidget(ctx, signal),
};

/* Test URL: https://acme.catalog.instructure.com/admin/integrations (sandbox: the acme account's admin login). */

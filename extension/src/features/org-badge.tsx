import { render } from 'preact';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { createShadowRootUi, type ShadowRootContentScriptUi } from 'wxt/utils/content-script-ui/shadow-root';
import { onMessage, sendMessage } from '../messaging.ts';
import {
  isVisibleStatus,
  type OrgBadgeStatus,
  type OrgPageRequest,
  type ReauthorizeResult,
  type VisibleBadgeStatus,
} from './org-badge-status.ts';
import { OrgBadge } from './org-badge-view.tsx';
import type { RecordDuplicatesStatus, RecordMatch } from './record-duplicates-status.ts';

/** Above the page's own content and header, below Lightning's and Dynamics' modal backdrops (9000 and up). */
const BADGE_Z_INDEX = 1000;

// Kept for the content script's lifetime, so a Lightning navigation re-mounts the badge as it was, without a flicker.
let lastVisibleStatus: VisibleBadgeStatus | undefined;
let collapsed = false;

/** 'connection.changed' from the background, fanned out to whichever badge run is current. */
const connectionChanges = new EventTarget();
let listeningForChanges = false;

function listenForConnectionChanges(ctx: ContentScriptContext) {
  if (listeningForChanges) return;
  listeningForChanges = true;
  const stop = onMessage('connection.changed', () => {
    connectionChanges.dispatchEvent(new Event('change'));
  });
  ctx.onInvalidated(stop);
}

/** Gate 3: the background's answer for this page. Never throws: a background that does not answer means "stay off". */
export async function askForOrgStatus(request: OrgPageRequest): Promise<OrgBadgeStatus> {
  try {
    return await sendMessage('getOrgBadgeStatus', request);
  } catch (error) {
    return { state: 'unavailable', message: error instanceof Error ? error.message : String(error) };
  }
}

/** The record page's possible duplicates. Never throws: a background that does not answer shows none. */
export async function askForRecordDuplicates(recordId: string): Promise<RecordDuplicatesStatus> {
  try {
    return await sendMessage('getRecordDuplicates', { recordId });
  } catch (error) {
    return { state: 'unavailable', message: error instanceof Error ? error.message : String(error) };
  }
}

/** Re-authorize from the badge: the same call as the Connections page's button, a CRM sign-in in a popup window. */
async function reauthorize(connectionId: string): Promise<ReauthorizeResult> {
  try {
    const result = await sendMessage('authorizeConnection', connectionId);
    if (!result.ok) return { opened: false, message: result.error.message };
    if (result.data.windowId === null) return { opened: false, message: result.data.problem };
    return { opened: true };
  } catch {
    return {
      opened: false,
      message: 'The OrgLink extension did not answer. Reload this page, or re-authorize on the Connections page.',
    };
  }
}

/**
 * Shows the org badge while `signal` lives, for as long as the background says the page's org is one to show:
 * connected to the user's team, or not connected while the user is signed in. Re-asks when the window regains focus
 * and when the background relays a connection change, so a status change or a finished re-authorization shows up
 * without a reload. Until the first visible answer the page is not touched at all.
 */
export async function showOrgBadge(
  ctx: ContentScriptContext,
  signal: AbortSignal,
  checkStatus: () => Promise<OrgBadgeStatus>,
  checkDuplicates?: () => Promise<RecordDuplicatesStatus>,
): Promise<void> {
  let ui: ShadowRootContentScriptUi<HTMLElement> | undefined;
  let shown: VisibleBadgeStatus | undefined;
  // Per page: a Lightning navigation to another record starts a new run of the feature, which asks again.
  let duplicates: { matches: RecordMatch[]; pageUrl: URL } | undefined;
  const pageUrl = new URL(location.href);
  // Status changes are applied one after another, so two quick answers cannot mount two badges.
  let queue = Promise.resolve();

  const draw = () => {
    if (!ui || !shown) return;
    const status = shown;
    render(
      <OrgBadge
        key={statusKey(status)}
        status={status}
        collapsed={collapsed}
        onCollapsedChange={(value) => {
          collapsed = value;
          draw();
        }}
        onReauthorize={reauthorize}
        duplicates={duplicates}
      />,
      ui.uiContainer,
    );
  };

  const apply = async (status: OrgBadgeStatus) => {
    // A server that is briefly away does not take down a badge already shown: it says the last thing known.
    if (signal.aborted || (status.state === 'unavailable' && shown)) return;
    if (!isVisibleStatus(status)) {
      lastVisibleStatus = undefined;
      shown = undefined;
      ui?.remove();
      ui = undefined;
      return;
    }
    lastVisibleStatus = status;
    shown = status;
    if (!ui) {
      const created = await createBadgeUi(ctx);
      if (signal.aborted) {
        created.remove();
        return;
      }
      created.mount();
      ui = created;
    }
    draw();
  };
  const enqueue = (status: OrgBadgeStatus) => {
    queue = queue.then(() => apply(status)).catch(() => undefined);
    return queue;
  };

  let asked = 0;
  const recheck = async () => {
    const mine = ++asked;
    const status = await checkStatus();
    if (mine !== asked || signal.aborted) return;
    await enqueue(status);
    if (!checkDuplicates) return;
    if (status.state !== 'connected') {
      duplicates = undefined;
      return;
    }
    const found = await checkDuplicates();
    // A server briefly away keeps what was shown; "none" clears it (a pair dismissed meanwhile, for example).
    if (mine !== asked || signal.aborted || found.state === 'unavailable') return;
    duplicates =
      found.state === 'matches' && found.matches.length > 0 ? { matches: found.matches, pageUrl } : undefined;
    queue = queue.then(draw).catch(() => undefined);
  };

  signal.addEventListener(
    'abort',
    () => {
      void queue.then(() => {
        ui?.remove();
        ui = undefined;
      });
    },
    { once: true },
  );
  listenForConnectionChanges(ctx);
  connectionChanges.addEventListener('change', () => void recheck(), { signal });
  window.addEventListener('focus', () => void recheck(), { signal });
  document.addEventListener(
    'visibilitychange',
    () => {
      if (document.visibilityState === 'visible') void recheck();
    },
    { signal },
  );

  if (lastVisibleStatus) void enqueue(lastVisibleStatus);
  await recheck();
}

function statusKey(status: VisibleBadgeStatus): string {
  if (status.state === 'not-connected') return status.state;
  const { id, status: connectionStatus, statusReason } = status.connection;
  return `${id}:${connectionStatus}:${statusReason ?? ''}`;
}

function createBadgeUi(ctx: ContentScriptContext) {
  return createShadowRootUi<HTMLElement>(ctx, {
    name: 'orglink-org-badge',
    position: 'overlay',
    alignment: 'bottom-right',
    zIndex: BADGE_Z_INDEX,
    anchor: 'body',
    append: 'last',
    // Lightning listens for single-key shortcuts on the document; keys typed in the badge must not reach them.
    isolateEvents: true,
    onMount: (container) => container,
    onRemove: (container) => {
      if (container) render(null, container);
    },
  });
}

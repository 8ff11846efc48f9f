import type { JobRun, ServerEvent } from '@orglink/shared';
import { browser } from 'wxt/browser';
import { storage } from 'wxt/utils/storage';
import { callSignedIn, currentSignIn } from './signed-in-client.ts';

/** Blue for work under way, red for failures the admin has not looked at: the theme's brand and error colours. */
export const RUNNING_BADGE_COLOR = '#0b5cab';
export const FAILED_BADGE_COLOR = '#ba0517';
const NOTIFICATION_PREFIX = 'orglink-run-failed|';
/** Enough to never notify twice for the same run, small enough that storage stays tiny. */
const NOTIFIED_MEMORY = 200;
/** GET /api/runs answers at most this many per page; a badge showing 100 already says "a lot". */
const REFRESH_PAGE_SIZE = 100;

/**
 * What the toolbar badge counts, kept in local storage because Chrome stops an idle service worker and its memory.
 * `since` (first use) keeps an install or a new sign-in from raising notifications for old failures.
 */
export interface RunStatusState {
  since: string;
  /** When the popup was last opened: failures before it count as seen. */
  seenAt: string;
  /** Runs queued or running now. */
  active: string[];
  /** Failed runs that ended after seenAt. */
  failed: string[];
  /** Runs already notified, newest last. */
  notified: string[];
}

export const runStatusItem = storage.defineItem<RunStatusState | null>('local:runStatus', {
  fallback: null,
  version: 1,
});

export interface RunBadge {
  text: string;
  color: string;
}

function freshState(now: string): RunStatusState {
  return { since: now, seenAt: now, active: [], failed: [], notified: [] };
}

function without(ids: string[], id: string) {
  return ids.filter((existing) => existing !== id);
}

function withId(ids: string[], id: string) {
  return ids.includes(id) ? ids : [...ids, id];
}

const isActive = (run: JobRun) => run.status === 'queued' || run.status === 'running';

/** Failed, after the popup was last opened (and after OrgLink started watching). */
function isUnseenFailure(run: JobRun, state: RunStatusState): boolean {
  if (run.status !== 'failed') return false;
  const ended = run.finishedAt ?? run.startedAt ?? run.queuedAt;
  return ended > state.seenAt && ended > state.since;
}

/** One run changed: where it now counts, and whether it is a failure to notify about. */
export function applyRunChange(state: RunStatusState, run: JobRun): { state: RunStatusState; notify: boolean } {
  const active = isActive(run) ? withId(state.active, run.id) : without(state.active, run.id);
  const unseenFailure = isUnseenFailure(run, state);
  const failed = unseenFailure ? withId(state.failed, run.id) : without(state.failed, run.id);
  const notify = unseenFailure && !state.notified.includes(run.id);
  const notified = notify ? [...state.notified, run.id].slice(-NOTIFIED_MEMORY) : state.notified;
  return { state: { ...state, active, failed, notified }, notify };
}

/** Running runs (blue) win over failures (red): what is under way now matters more than what already ended. */
export function badgeFor(state: RunStatusState | null): RunBadge {
  if (!state) return { text: '', color: RUNNING_BADGE_COLOR };
  if (state.active.length > 0) return { text: badgeNumber(state.active.length), color: RUNNING_BADGE_COLOR };
  if (state.failed.length > 0) return { text: badgeNumber(state.failed.length), color: FAILED_BADGE_COLOR };
  return { text: '', color: RUNNING_BADGE_COLOR };
}

/** The badge has room for about four characters. */
function badgeNumber(count: number) {
  return count > 99 ? '99+' : String(count);
}

/** The notification's words: what failed, on which connection, and why, in the server's own message. */
export function failureNotice(run: JobRun): { title: string; message: string } {
  return {
    title: `OrgLink: ${run.title} failed`,
    message: `${run.connectionName}: ${run.errorMessage ?? 'The run stopped without giving a reason. Open OrgLink for its details.'}`,
  };
}

export function notificationIdFor(run: JobRun) {
  return `${NOTIFICATION_PREFIX}${run.id}|${run.connectionId}`;
}

export function parseNotificationId(id: string): { runId: string; connectionId: string } | undefined {
  if (!id.startsWith(NOTIFICATION_PREFIX)) return undefined;
  const [runId, connectionId] = id.slice(NOTIFICATION_PREFIX.length).split('|');
  return runId && connectionId ? { runId, connectionId } : undefined;
}

/**
 * Keeps the toolbar badge and the failure notifications in step with the team's runs: live from run.changed events,
 * and from the runs API at start, at sign-in and when the popup opens, so changes missed while asleep are caught up.
 * Updates are queued so two events never read and write the stored state side by side.
 */
export class RunStatusTracker {
  #queue: Promise<unknown> = Promise.resolve();
  readonly #now: () => Date;

  constructor(options: { now?: () => Date } = {}) {
    this.#now = options.now ?? (() => new Date());
  }

  /** Waits for every queued update: for tests and for callers that answer after the badge is right. */
  settled(): Promise<void> {
    return this.#queue.then(() => undefined);
  }

  onEvent(event: ServerEvent): Promise<void> {
    if (event.type !== 'run.changed') return this.settled();
    return this.#enqueue(async () => {
      const state = (await runStatusItem.getValue()) ?? freshState(this.#now().toISOString());
      const change = applyRunChange(state, event.run);
      await this.#save(change.state);
      if (change.notify) await notifyFailure(event.run);
    });
  }

  /** The popup opened: the admin has seen the failures, so the red count starts again from zero. */
  acknowledgeFailures(): Promise<void> {
    return this.#enqueue(async () => {
      const state = (await runStatusItem.getValue()) ?? freshState(this.#now().toISOString());
      await this.#save({ ...state, seenAt: this.#now().toISOString(), failed: [] });
    });
  }

  /** Recounts from the server; without a sign-in the badge is cleared. A server that cannot answer changes nothing. */
  refresh(): Promise<void> {
    return this.#enqueue(async () => {
      if (!(await currentSignIn())) {
        await this.#save(null);
        return;
      }
      const pages = await Promise.all(
        (['running', 'queued', 'failed'] as const).map((status) =>
          callSignedIn((client) => client.listRuns({ status, limit: REFRESH_PAGE_SIZE })),
        ),
      );
      const runs: JobRun[] = [];
      for (const page of pages) {
        if (!page.ok) return;
        runs.push(...page.data.runs);
      }
      let state: RunStatusState = (await runStatusItem.getValue()) ?? freshState(this.#now().toISOString());
      state = { ...state, active: [], failed: [] };
      const toNotify: JobRun[] = [];
      for (const run of runs) {
        const change = applyRunChange(state, run);
        state = change.state;
        if (change.notify) toNotify.push(run);
      }
      await this.#save(state);
      for (const run of toNotify) await notifyFailure(run);
    });
  }

  #enqueue(task: () => Promise<void>): Promise<void> {
    const next = this.#queue.then(task).catch(() => undefined);
    this.#queue = next;
    return next;
  }

  async #save(state: RunStatusState | null) {
    await runStatusItem.setValue(state);
    await showBadge(badgeFor(state));
  }
}

async function showBadge(badge: RunBadge) {
  try {
    await browser.action.setBadgeBackgroundColor({ color: badge.color });
    await browser.action.setBadgeText({ text: badge.text });
  } catch {
    // A browser without a badge still has the popup's history.
  }
}

async function notifyFailure(run: JobRun) {
  const notice = failureNotice(run);
  try {
    await browser.notifications.create(notificationIdFor(run), {
      type: 'basic',
      iconUrl: browser.runtime.getURL('/run-failed-icon.png'),
      title: notice.title,
      message: notice.message,
      priority: 1,
    });
  } catch {
    // Notifications turned off for the browser: the red badge still says it.
  }
}

/** A click on a failure notification opens the popup; where a browser cannot, the connection's page instead. */
export async function openNotificationTarget(notificationId: string): Promise<boolean> {
  const target = parseNotificationId(notificationId);
  if (!target) return false;
  await browser.notifications.clear(notificationId).catch(() => false);
  try {
    await browser.action.openPopup();
  } catch {
    await browser.tabs.create({
      url: browser.runtime.getURL(`/connections.html#connection=${encodeURIComponent(target.connectionId)}`),
    });
  }
  return true;
}

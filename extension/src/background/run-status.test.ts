import type { JobRun, RunStatus } from '@orglink/shared';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { errorReply, type LocalTestServer, type Reply, startLocalTestServer } from '../api/local-test-server.ts';
import { sampleMe } from '../api/test-fixtures.ts';
import { serverUrlItem, signInItem } from '../storage.ts';
import {
  FAILED_BADGE_COLOR,
  failureNotice,
  notificationIdFor,
  openNotificationTarget,
  RUNNING_BADGE_COLOR,
  RunStatusTracker,
  runStatusItem,
} from './run-status.ts';
import { sampleRun } from './run-test-fixtures.ts';

// The toolbar badge and failure notifications with WXT's in-memory browser and a real HTTP server as the runs API.
const TOKEN = 'oltok_0123456789abcdefghijklmnop';
let api: LocalTestServer;
let runsByStatus: Partial<Record<RunStatus, JobRun[]>>;
let runsReply: (() => Reply) | undefined;
beforeAll(async () => {
  api = await startLocalTestServer((request) => {
    const url = new URL(request.path, 'http://x');
    if (request.method !== 'GET' || url.pathname !== '/api/runs') return { status: 599 };
    if (runsReply) return runsReply();
    const status = url.searchParams.get('status') as RunStatus;
    return { body: { runs: runsByStatus[status] ?? [], nextCursor: null } };
  });
});
afterAll(() => api.close());

let now: Date;
let tracker: RunStatusTracker;
beforeEach(async () => {
  fakeBrowser.reset();
  await serverUrlItem.setValue(api.url);
  await signInItem.setValue({ serverUrl: api.url, token: TOKEN, me: sampleMe });
  api.requests.length = 0;
  runsByStatus = {};
  runsReply = undefined;
  now = new Date('2030-01-01T09:00:00.000Z');
  tracker = new RunStatusTracker({ now: () => now });
});

const badge = async () => ({
  text: await fakeBrowser.action.getBadgeText({}),
  color: await fakeBrowser.action.getBadgeBackgroundColor({}),
});
const notifications = () => fakeBrowser.notifications.getAll();
const changed = (run: JobRun) => tracker.onEvent({ type: 'run.changed', run });
const failedRun = (overrides: Partial<JobRun> = {}) =>
  sampleRun({
    status: 'failed',
    finishedAt: '2030-01-01T10:05:00.000Z',
    errorCode: 'CATALOG_TOKEN_REJECTED',
    errorMessage: 'Catalog API token rejected. Enter a new token in the Widget.',
    ...overrides,
  });

describe('toolbar badge from live run events', () => {
  it('counts running and queued runs in blue, and clears when they end', async () => {
    await changed(sampleRun({ id: 'a', status: 'queued' }));
    await changed(sampleRun({ id: 'b', status: 'running' }));
    expect(await badge()).toEqual({ text: '2', color: expect.anything() });
    expect(await fakeBrowser.action.getBadgeBackgroundColor({})).toEqual(await colourOf(RUNNING_BADGE_COLOR));
    await changed(sampleRun({ id: 'a', status: 'completed', finishedAt: '2030-01-01T10:01:00.000Z' }));
    expect((await badge()).text).toBe('1');
    await changed(sampleRun({ id: 'b', status: 'completed-with-errors', finishedAt: '2030-01-01T10:01:00.000Z' }));
    expect((await badge()).text).toBe('');
    expect(Object.keys(await notifications())).toEqual([]);
  });

  it('shows failures in red once nothing runs, and running wins while something does', async () => {
    await changed(sampleRun({ id: 'busy', status: 'running' }));
    await changed(failedRun({ id: 'broken' }));
    expect((await badge()).text).toBe('1');
    expect(await fakeBrowser.action.getBadgeBackgroundColor({})).toEqual(await colourOf(RUNNING_BADGE_COLOR));
    await changed(sampleRun({ id: 'busy', status: 'completed', finishedAt: '2030-01-01T10:06:00.000Z' }));
    expect((await badge()).text).toBe('1');
    expect(await fakeBrowser.action.getBadgeBackgroundColor({})).toEqual(await colourOf(FAILED_BADGE_COLOR));
  });

  it('clears the red count when the popup opens, and counts only failures after that', async () => {
    await changed(failedRun({ id: 'one' }));
    await changed(failedRun({ id: 'two' }));
    expect((await badge()).text).toBe('2');
    now = new Date('2030-01-01T11:00:00.000Z');
    await tracker.acknowledgeFailures();
    expect((await badge()).text).toBe('');
    // A late event about an already seen failure does not bring it back.
    await changed(failedRun({ id: 'one' }));
    expect((await badge()).text).toBe('');
    await changed(failedRun({ id: 'three', finishedAt: '2030-01-01T11:30:00.000Z' }));
    expect((await badge()).text).toBe('1');
  });

  it('ignores events that are not about runs', async () => {
    await tracker.onEvent({ type: 'connection.deleted', connectionId: 'c' });
    expect(await runStatusItem.getValue()).toBeNull();
  });
});

describe('failure notifications', () => {
  it('names what failed, where and why, once per run', async () => {
    const run = failedRun({ id: 'broken' });
    await changed(run);
    await changed(run);
    expect(Object.keys(await notifications())).toEqual([notificationIdFor(run)]);
    // The fake keeps each notification's options behind a helper its types do not declare.
    const options = (
      fakeBrowser.notifications as unknown as { getAllCreateOptions(): Record<string, unknown> }
    ).getAllCreateOptions();
    expect(options[notificationIdFor(run)]).toMatchObject({
      type: 'basic',
      title: 'OrgLink: acme.catalog.instructure.com failed',
      message: 'Acme Production: Catalog API token rejected. Enter a new token in the Widget.',
    });
  });

  it('says where to look when the server gave no reason', () => {
    expect(failureNotice(failedRun({ errorMessage: null })).message).toBe(
      'Acme Production: The run stopped without giving a reason. Open OrgLink for its details.',
    );
  });

  it('does not notify for failures from before OrgLink started watching', async () => {
    await changed(failedRun({ id: 'old', finishedAt: '2029-12-31T23:00:00.000Z' }));
    expect(Object.keys(await notifications())).toEqual([]);
    expect((await badge()).text).toBe('');
  });

  it('opens the connection page when the browser cannot open the popup from a click', async () => {
    const run = failedRun({ id: 'broken' });
    await changed(run);
    // The fake browser has no action.openPopup, as older Chromes refuse it outside a toolbar click.
    expect(await openNotificationTarget(notificationIdFor(run))).toBe(true);
    const tabs = await fakeBrowser.tabs.query({});
    expect(tabs.map((tab) => tab.url)).toContain(
      fakeBrowser.runtime.getURL(`/connections.html#connection=${encodeURIComponent(run.connectionId)}`),
    );
    expect(Object.keys(await notifications())).toEqual([]);
    expect(await openNotificationTarget('someone-else')).toBe(false);
  });
});

describe('recount from the runs API', () => {
  it('counts what runs and what failed since it started watching, asking the API per status', async () => {
    await tracker.acknowledgeFailures();
    runsByStatus = {
      running: [sampleRun({ id: 'r1' }), sampleRun({ id: 'r2' })],
      queued: [sampleRun({ id: 'q1', status: 'queued' })],
      failed: [failedRun({ id: 'f1' }), failedRun({ id: 'f-old', finishedAt: '2029-01-01T00:00:00.000Z' })],
    };
    await tracker.refresh();
    expect((await badge()).text).toBe('3');
    expect(api.requests.map((request) => request.path).sort()).toEqual([
      '/api/runs?status=failed&limit=100',
      '/api/runs?status=queued&limit=100',
      '/api/runs?status=running&limit=100',
    ]);
    expect(api.requests[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(Object.keys(await notifications())).toEqual([notificationIdFor(failedRun({ id: 'f1' }))]);

    runsByStatus = { failed: runsByStatus.failed ?? [] };
    await tracker.refresh();
    expect((await badge()).text).toBe('1');
    expect(await fakeBrowser.action.getBadgeBackgroundColor({})).toEqual(await colourOf(FAILED_BADGE_COLOR));
  });

  it('keeps the badge as it was when the server cannot answer', async () => {
    await changed(sampleRun({ id: 'r1' }));
    runsReply = () => errorReply(503, 'SERVICE_UNAVAILABLE', 'Try again in a minute.');
    await tracker.refresh();
    expect((await badge()).text).toBe('1');
  });

  it('clears the badge without calling the API when signed out', async () => {
    await changed(sampleRun({ id: 'r1' }));
    await signInItem.setValue(null);
    api.requests.length = 0;
    await tracker.refresh();
    expect((await badge()).text).toBe('');
    expect(api.requests).toEqual([]);
  });
});

/** The fake browser stores colours as RGBA arrays, as Chrome does: ask it what a CSS colour becomes. */
async function colourOf(color: string) {
  await fakeBrowser.action.setBadgeBackgroundColor({ color, tabId: 999 });
  return fakeBrowser.action.getBadgeBackgroundColor({ tabId: 999 });
}

import type {
  ClassicLoginDetails,
  Connection,
  ConnectionList,
  ConnectionTestResult,
  CreateClassicConnectionRequest,
  CreateConnectionRequest,
  JobList,
  JobRun,
  Me,
  RunList,
  RunListQuery,
  ServerEvent,
  TestClassicLoginRequest,
  TestClassicLoginResponse,
  UpdateClassicLoginRequest,
  UpdateConnectionRequest,
} from '@orglink/shared';
import { defineExtensionMessaging } from '@webext-core/messaging';
import type { ApiResult } from './api/api-result.ts';
import type { EventStreamStatus } from './api/event-stream.ts';
import type { ServerStatus } from './api/server-status.ts';
import type { LoginWindow, Session, SignOutResult } from './api/session.ts';
import type { ActiveTabContext } from './background/run-handlers.ts';
import type { CatalogWidgetProtocol } from './features/catalog-widget-protocol.ts';
import type { OrgBadgeStatus, OrgPageRequest } from './features/org-badge-status.ts';
import type { ActivityProtocol } from './pages/activities/activity-protocol.ts';
import type { DuplicateCheckProtocol } from './pages/duplicates/dc-protocol.ts';

export type SaveServerUrlResult = { saved: true; status: ServerStatus } | { saved: false; message: string };

/** Every message pages and content scripts may send the background, with its answer's type. */
interface ProtocolMap extends CatalogWidgetProtocol, ActivityProtocol, DuplicateCheckProtocol {
  getServerStatus(): ServerStatus;
  saveServerUrl(input: string): SaveServerUrlResult;
  getServerUrl(): string;

  // Sign-in (background/auth-handlers.ts). The token stays in the background; pages only learn who they are.
  getSession(): Session;
  redeemInvite(input: { code: string; displayName: string }): ApiResult<Me>;
  signOut(): SignOutResult;

  // Connections (background/connection-handlers.ts). Each answer keeps the API's { error: { code, message } }.
  listConnections(): ApiResult<ConnectionList>;
  getConnection(id: string): ApiResult<Connection>;
  /** Creates the connection and opens its CRM sign-in in a popup window. */
  createConnection(input: CreateConnectionRequest): ApiResult<{ connection: Connection; login: LoginWindow }>;
  updateConnection(input: { id: string; patch: UpdateConnectionRequest }): ApiResult<Connection>;
  deleteConnection(id: string): ApiResult<null>;
  pauseConnection(id: string): ApiResult<Connection>;
  activateConnection(id: string): ApiResult<Connection>;
  testConnection(id: string): ApiResult<ConnectionTestResult>;
  /** Opens the CRM sign-in again in a popup window (Re-authorize, or finishing an abandoned sign-in). */
  authorizeConnection(id: string): ApiResult<LoginWindow>;
  confirmOrgChange(id: string): ApiResult<Connection>;
  listJobs(connectionId: string): ApiResult<JobList>;
  /** Classic Salesforce logins (password or client credentials): the server logs in; no popup. */
  createClassicConnection(input: CreateClassicConnectionRequest): ApiResult<Connection>;
  testClassicLogin(input: TestClassicLoginRequest): ApiResult<TestClassicLoginResponse>;
  getClassicLogin(id: string): ApiResult<ClassicLoginDetails>;
  updateClassicLogin(input: { id: string; patch: UpdateClassicLoginRequest }): ApiResult<Connection>;

  // Job history and the toolbar badge (background/run-handlers.ts, run-status.ts).
  listRuns(query: RunListQuery): ApiResult<RunList>;
  getRun(id: string): ApiResult<JobRun>;
  /** The integration or org of the tab the popup opened over (a tab id), or `none`. */
  getActiveTabContext(tabId: number): ActiveTabContext;
  /** The popup opened: failed runs so far count as seen, and the red badge clears. */
  acknowledgeRunFailures(): void;

  // In-page badges (background/badge-handlers.ts): gate 3 for the Salesforce or Dynamics page that asks.
  getOrgBadgeStatus(request: OrgPageRequest): OrgBadgeStatus;
  /** Background to the badge's tabs: a connection of the team changed, so the badge asks again. Carries nothing. */
  'connection.changed'(): void;
}

/**
 * Live updates: a page or content script opens a port with this name and the background posts every server event
 * to it, plus the state of its event stream. A port (not a one-off message) so the background knows who listens,
 * and so a page notices when Chrome stops the service worker (the port disconnects) and reconnects, waking it.
 */
export const LIVE_EVENTS_PORT = 'orglink:live-events';
export type LiveStreamStatus = EventStreamStatus | { state: 'signed-out' };
export type LiveEventsMessage = { kind: 'event'; event: ServerEvent } | { kind: 'status'; status: LiveStreamStatus };

export const { sendMessage, onMessage } = defineExtensionMessaging<ProtocolMap>();

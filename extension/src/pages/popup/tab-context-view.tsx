import type { Connection, Integration, IntegrationLinkState, JobRun, Role } from '@orglink/shared';
import { useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import type { ActiveTabContext } from '../../background/run-handlers.ts';
import { sendMessage } from '../../messaging.ts';
import { ActionButton } from '../../ui/action-button.tsx';
import { isRunInProgress } from '../../ui/run-format.ts';
import { type PillTone, StatusPill } from '../../ui/status-pill.tsx';
import { askBackground } from '../ask-background.ts';
import { connectionStatusPill, connectionTypeLabel } from '../connections/describe-connection.ts';
import { useLiveEvents } from '../use-live-events.ts';
import { targetTabId } from './use-tab-context.ts';

const LINK_STATE: Record<IntegrationLinkState, { tone: PillTone; label: string }> = {
  linked: { tone: 'ok', label: 'Linked' },
  'not-linked': { tone: 'neutral', label: 'Not linked' },
  'connection-inactive': { tone: 'error', label: 'Connection inactive' },
};

const VIEWER_REASON = 'Viewers can see runs but not start them or change connections. Ask an admin of your team.';

type Feedback = { tone: 'ok' | 'error'; text: string } | undefined;

function FeedbackLine({ feedback }: { feedback: Feedback }) {
  if (!feedback) return null;
  return (
    <p class={feedback.tone === 'ok' ? 'ol-ok' : 'ol-error'} role={feedback.tone === 'error' ? 'alert' : 'status'}>
      {feedback.text}
    </p>
  );
}

function useReauthorize(connectionId: string) {
  const [busy, setBusy] = useState(false);
  const [feedback, setFeedback] = useState<Feedback>();
  const reauthorize = async () => {
    setBusy(true);
    const result = await askBackground(() => sendMessage('authorizeConnection', connectionId));
    setBusy(false);
    setFeedback(
      result.ok
        ? { tone: 'ok', text: 'Sign in to the CRM in the window that opened.' }
        : { tone: 'error', text: result.error.message },
    );
  };
  return { busy, feedback, reauthorize };
}

/** The Catalog account of the active tab: link state, its problem, and its quick actions. */
function IntegrationCard({ integration: given, role }: { integration: Integration; role: Role }) {
  const [integration, setIntegration] = useState(given);
  const [latestRun, setLatestRun] = useState<JobRun | null>(integration.lastRun);
  const [starting, setStarting] = useState(false);
  const [feedback, setFeedback] = useState<Feedback>();
  const reauth = useReauthorize(integration.connectionId);
  useLiveEvents((message) => {
    if (message.kind !== 'event' || message.event.type !== 'run.changed') return;
    const run = message.event.run;
    if (run.integrationId !== integration.id) return;
    setLatestRun((current) => (!current || run.queuedAt >= current.queuedAt ? run : current));
  });

  const state = LINK_STATE[integration.linkState];
  const running = latestRun !== null && isRunInProgress(latestRun);
  const runDenied =
    role === 'viewer'
      ? VIEWER_REASON
      : integration.linkState === 'not-linked'
        ? 'This Catalog account is unlinked. Link it again in the Widget on its Integrations page.'
        : integration.linkState === 'connection-inactive'
          ? 'The connection lost its CRM sign-in. Re-authorize it first.'
          : running
            ? 'A run of this integration is under way. Wait for it to finish.'
            : undefined;

  const [confirmUnlink, setConfirmUnlink] = useState(false);

  /** The field map is edited in the widget on the Catalog page this popup is about: open it on its Mapping tab. */
  const editFieldMap = async () => {
    const tabId = await targetTabId();
    const url = `https://${integration.catalogHost}/admin/integrations#orglink-widget=mapping`;
    if (tabId === undefined) await browser.tabs.create({ url });
    else await browser.tabs.update(tabId, { url, active: true });
    window.close();
  };

  const unlink = async () => {
    const result = await askBackground(() => sendMessage('unlinkIntegration', integration.id));
    setConfirmUnlink(false);
    if (result.ok) {
      setIntegration({ ...integration, linkState: 'not-linked' });
      setFeedback({ tone: 'ok', text: 'Unlinked. Its job history is kept.' });
    } else {
      setFeedback({ tone: 'error', text: result.error.message });
    }
  };

  const runWriteJob = async () => {
    setStarting(true);
    const result = await askBackground(() => sendMessage('runIntegration', integration.id));
    setStarting(false);
    if (result.ok) {
      setLatestRun(result.data);
      setFeedback({ tone: 'ok', text: 'Write job queued. Its progress shows below.' });
    } else {
      setFeedback({ tone: 'error', text: result.error.message });
    }
  };

  return (
    <section class="popup__context" aria-labelledby="context-title" data-testid="context-integration">
      <div class="popup__context-head">
        <div>
          <h2 id="context-title" class="popup__context-title">
            {integration.catalogAccountName ?? integration.catalogHost}
          </h2>
          <div class="ol-notice">
            Catalog → {integration.connectionName} ({integration.target})
          </div>
        </div>
        <StatusPill tone={state.tone}>{state.label}</StatusPill>
      </div>
      {integration.problem && (
        <p class="ol-error" data-testid="context-problem">
          {integration.problem}
        </p>
      )}
      <div class="popup__actions">
        <ActionButton
          variant="primary"
          onClick={() => void runWriteJob()}
          busy={starting}
          busyLabel="Starting…"
          deniedReason={runDenied}
          describedBy={runDenied ? 'run-denied-reason' : undefined}
          testId="run-write-job"
        >
          Run Write Job
        </ActionButton>
        {integration.linkState !== 'not-linked' && role !== 'viewer' && (
          <ActionButton onClick={() => void editFieldMap()} testId="edit-field-map">
            Edit field map
          </ActionButton>
        )}
        {integration.linkState !== 'not-linked' && role !== 'viewer' && !confirmUnlink && (
          <ActionButton onClick={() => setConfirmUnlink(true)} testId="unlink-integration">
            Unlink
          </ActionButton>
        )}
        {integration.linkState === 'connection-inactive' && role !== 'viewer' && (
          <ActionButton
            onClick={() => void reauth.reauthorize()}
            busy={reauth.busy}
            busyLabel="Opening…"
            testId="reauthorize"
          >
            Re-authorize
          </ActionButton>
        )}
      </div>
      {confirmUnlink && (
        <div class="popup__confirm" role="alertdialog" aria-labelledby="unlink-question" data-testid="confirm-unlink">
          <p id="unlink-question">
            Unlink {integration.catalogAccountName ?? integration.catalogHost} from {integration.connectionName}? Its
            schedule stops; its job history is kept.
          </p>
          <ActionButton variant="primary" onClick={() => void unlink()} testId="confirm-unlink-yes">
            Unlink
          </ActionButton>
          <ActionButton onClick={() => setConfirmUnlink(false)} testId="confirm-unlink-no">
            Keep it
          </ActionButton>
        </div>
      )}
      {runDenied && (
        <p id="run-denied-reason" class="ol-notice popup__reason">
          {runDenied}
        </p>
      )}
      <FeedbackLine feedback={feedback} />
      <FeedbackLine feedback={reauth.feedback} />
    </section>
  );
}

/** The Salesforce org or Dynamics environment of the active tab: its connection's status and Re-authorize. */
function OrgCard({ connection, role }: { connection: Connection; role: Role }) {
  const reauth = useReauthorize(connection.id);
  const pill = connectionStatusPill(connection.status);
  const needsSignIn = connection.status === 'inactive' || connection.status === 'pending';
  return (
    <section class="popup__context" aria-labelledby="context-title" data-testid="context-org">
      <div class="popup__context-head">
        <div>
          <h2 id="context-title" class="popup__context-title">
            {connection.name}
          </h2>
          <div class="ol-notice">
            {connectionTypeLabel(connection)}
            {connection.orgName ? ` · ${connection.orgName}` : ''}
          </div>
        </div>
        <StatusPill tone={pill.tone} title={connection.statusReason ?? undefined}>
          {pill.label}
        </StatusPill>
      </div>
      {connection.statusReason && <p class="ol-notice">{connection.statusReason}</p>}
      <div class="popup__actions">
        {needsSignIn && (
          <ActionButton
            variant="primary"
            onClick={() => void reauth.reauthorize()}
            busy={reauth.busy}
            busyLabel="Opening…"
            deniedReason={role === 'viewer' ? VIEWER_REASON : undefined}
            testId="reauthorize"
          >
            Re-authorize
          </ActionButton>
        )}
        <a
          class="ol-button ol-button--secondary"
          href={`/connections.html#connection=${encodeURIComponent(connection.id)}`}
          target="_blank"
          rel="noopener"
        >
          Open connection
        </a>
      </div>
      <FeedbackLine feedback={reauth.feedback} />
    </section>
  );
}

/** The active tab's integration or org, or a line saying what OrgLink recognised but the team has not set up. */
export function TabContextView({ context, role }: { context: ActiveTabContext; role: Role }) {
  switch (context.kind) {
    case 'integration':
      return <IntegrationCard integration={context.integration} role={role} />;
    case 'org':
      return <OrgCard connection={context.connection} role={role} />;
    case 'catalog-not-linked':
      return (
        <p class="ol-notice" data-testid="context-unlinked">
          {context.host} is not linked to a CRM. Open the OrgLink Widget on its Integrations page to link it.
        </p>
      );
    case 'org-not-connected':
      return (
        <p class="ol-notice" data-testid="context-unlinked">
          This {context.crm === 'salesforce' ? 'Salesforce org' : 'Dynamics 365 environment'} ({context.host}) is not
          connected to your team. Connect it on the Connections page.
        </p>
      );
    case 'none':
      return null;
  }
}

/** The history a context narrows to: the integration's runs, or every run on the org's connection. */
export function contextScope(context: ActiveTabContext): { integration?: string; connection?: string } | undefined {
  if (context.kind === 'integration') return { integration: context.integration.id };
  if (context.kind === 'org') return { connection: context.connection.id };
  return undefined;
}

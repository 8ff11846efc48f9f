import type { Connection, Job, Role } from '@orglink/shared';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import type { ApiFailure } from '../../api/api-result.ts';
import type { LoginWindow } from '../../api/session.ts';
import { ActionButton } from '../../ui/action-button.tsx';
import { StatusPill } from '../../ui/status-pill.tsx';
import { duplicatesPageUrl } from '../duplicates/dc-format.ts';
import { AutoRunToggle } from './auto-run-toggle.tsx';
import { ClassicLoginEditor } from './classic-connection-dialog.tsx';
import { ConnectionActions } from './connection-actions.tsx';
import { ConnectionJobs } from './connection-jobs.tsx';
import {
  changeDeniedReason,
  connectionStatusPill,
  connectionTypeLabel,
  formatDateTime,
  orgIdLabel,
  pendingOrgChange,
} from './describe-connection.ts';
import { DuplicateCheckDialog } from './duplicate-check-dialog.tsx';
import { EditConnectionForm } from './edit-connection-form.tsx';
import { OrgChangeNotice } from './org-change-notice.tsx';
import { useAction } from './use-action.ts';

interface Props {
  connection: Connection;
  role: Role;
  allConnections: Connection[];
  liveJob: Job | undefined;
  onBack: () => void;
  onChanged: (connection: Connection) => void;
  onDeleted: (connection: Connection) => void;
  onLoginWindow: (login: LoginWindow, connection: Connection) => void;
  onFailure: (failure: ApiFailure) => void;
}

/** One connection: what it is, its state and why, what can be done with it, and the jobs that depend on it. */
export function ConnectionDetails(props: Props) {
  const { connection, role, allConnections, liveJob, onBack, onChanged, onDeleted, onLoginWindow, onFailure } = props;
  const [editing, setEditing] = useState(false);
  const [editClosed, setEditClosed] = useState(0);
  const action = useAction(onFailure);
  const heading = useRef<HTMLHeadingElement>(null);
  const deniedReason = changeDeniedReason(role);
  const pill = connectionStatusPill(connection.status);
  const orgChange = pendingOrgChange(connection);
  const isSalesforce = connection.kind === 'salesforce';
  const [checkingDuplicates, setCheckingDuplicates] = useState(false);
  // The job list follows the live stream, and a job just saved here shows at once, before its event arrives.
  const [latestJob, setLatestJob] = useState(liveJob);
  useEffect(() => setLatestJob(liveJob), [liveJob]);

  // Moving between list and details moves focus to the new heading, so keyboard and screen reader users follow.
  useLayoutEffect(() => heading.current?.focus(), [connection.id]);

  const finishEdit = (updated?: Connection) => {
    setEditing(false);
    if (updated) {
      onChanged(updated);
      action.setFeedback({ tone: 'ok', message: 'Saved.' });
    }
    setEditClosed((count) => count + 1);
  };

  // Closing the edit form hands focus back to the Edit button that opened it, once that is rendered again.
  useLayoutEffect(() => {
    if (editClosed > 0) document.querySelector<HTMLElement>('[data-testid=edit-connection]')?.focus();
  }, [editClosed]);

  return (
    <article class="ol-details" aria-labelledby="details-title" data-testid="connection-details">
      <button type="button" class="ol-link-button ol-back" onClick={onBack}>
        ← All connections
      </button>
      <header class="ol-details__header">
        <h2 id="details-title" ref={heading} tabIndex={-1}>
          {connection.name}
        </h2>
        <span data-testid="details-status">
          <StatusPill tone={pill.tone}>{pill.label}</StatusPill>
        </span>
      </header>
      {connection.description && <p class="ol-details__description">{connection.description}</p>}

      {connection.status === 'inactive' && !orgChange && (
        <p class="ol-callout ol-callout--error" data-testid="inactive-reason">
          <strong>Connection inactive</strong>
          {connection.statusReason ? `: ${connection.statusReason}.` : '.'} Its scheduled jobs are holding. Re-authorize
          to make it active again; the jobs resume.
        </p>
      )}
      {connection.status === 'pending' && (
        <p class="ol-callout ol-callout--pending">
          Waiting for sign-in: finish signing in and accept the Data Processing Agreement in the sign-in window, or
          click Sign in to open it again.
        </p>
      )}
      {orgChange && (
        <OrgChangeNotice
          connection={connection}
          newOrgId={orgChange.newOrgId}
          deniedReason={deniedReason}
          action={action}
          onChanged={onChanged}
        />
      )}

      {editing ? (
        <>
          <EditConnectionForm
            connection={connection}
            productionConnections={allConnections.filter(
              (candidate) => candidate.kind === 'salesforce' && candidate.environment === 'production',
            )}
            onSaved={(updated) => finishEdit(updated)}
            onCancel={() => finishEdit()}
            onFailure={onFailure}
          />
          {connection.authMethod && connection.authMethod !== 'oauth' && (
            <ClassicLoginEditor
              connection={connection}
              onSaved={(updated) => finishEdit(updated)}
              onFailure={onFailure}
            />
          )}
        </>
      ) : (
        <ConnectionActions
          connection={connection}
          deniedReason={deniedReason}
          action={action}
          onEdit={() => {
            action.setFeedback(undefined);
            setEditing(true);
          }}
          onChanged={onChanged}
          onDeleted={onDeleted}
          onLoginWindow={onLoginWindow}
        />
      )}
      {isSalesforce && connection.status === 'active' && (
        <div class="ol-toolbar">
          <ActionButton
            deniedReason={deniedReason}
            onClick={() => {
              action.setFeedback(undefined);
              setCheckingDuplicates(true);
            }}
            testId="duplicate-check"
          >
            Duplicate Check
          </ActionButton>
        </div>
      )}
      <DuplicateCheckDialog
        connection={connection}
        open={checkingDuplicates}
        onClose={() => setCheckingDuplicates(false)}
        onFailure={onFailure}
        onStarted={(run) => {
          setCheckingDuplicates(false);
          void browser.tabs.create({ url: browser.runtime.getURL(duplicatesPageUrl(run.id)) });
          action.setFeedback({
            tone: 'ok',
            message: 'Duplicate Check started: its results page opened in a new tab.',
            testId: 'dc-feedback',
          });
        }}
        onScheduled={(job) => {
          setCheckingDuplicates(false);
          setLatestJob(job);
          action.setFeedback({
            tone: 'ok',
            message: `Saved “${job.name}”: it runs on “${job.schedule ?? ''}” (UTC)${connection.autoRunDuplicateCheck ? '.' : ', and waits in Holding until someone starts it (auto-run is off).'}`,
            testId: 'dc-feedback',
          });
        }}
      />
      {deniedReason && (
        <p class="ol-notice" data-testid="viewer-note">
          You are a viewer: {deniedReason}
        </p>
      )}
      <p
        class={action.feedback?.tone === 'error' ? 'ol-feedback ol-error' : 'ol-feedback ol-ok'}
        role={action.feedback?.tone === 'error' ? 'alert' : 'status'}
        data-testid={action.feedback?.testId ?? 'action-feedback'}
      >
        {action.feedback?.message}
      </p>

      <dl class="ol-facts">
        <dt>Type</dt>
        <dd>{connectionTypeLabel(connection)}</dd>
        <dt>{orgIdLabel(connection)}</dt>
        <dd>
          <code data-testid="details-org-id">{connection.orgId ?? 'Known after the first sign-in'}</code>
        </dd>
        {connection.orgName && (
          <>
            <dt>{isSalesforce ? 'Organization' : 'Environment'}</dt>
            <dd>{connection.orgName}</dd>
          </>
        )}
        <dt>Instance URL</dt>
        <dd>{connection.instanceUrl ?? '—'}</dd>
        {isSalesforce && (
          <>
            <dt>Login host</dt>
            <dd>
              {connection.loginHost ??
                (connection.environment === 'sandbox' ? 'test.salesforce.com' : 'login.salesforce.com')}
            </dd>
          </>
        )}
        <dt>Status</dt>
        <dd>
          {pill.label}
          {connection.statusReason ? `: ${connection.statusReason}` : ''}
        </dd>
        <dt>Created by</dt>
        <dd>{connection.createdBy}</dd>
        <dt>Created at</dt>
        <dd>{formatDateTime(connection.createdAt)}</dd>
        <dt>Data Processing Agreement</dt>
        <dd>
          {connection.dpaAcceptedBy
            ? `Accepted by ${connection.dpaAcceptedBy}, ${formatDateTime(connection.dpaAcceptedAt)}`
            : 'Not accepted yet (accepted at the end of the first sign-in)'}
        </dd>
        {isSalesforce && connection.environment === 'sandbox' && (
          <>
            <dt>Started from production</dt>
            <dd>
              {allConnections.find((candidate) => candidate.id === connection.linkedProductionId)?.name ?? 'None'}
            </dd>
          </>
        )}
      </dl>

      <AutoRunToggle connection={connection} deniedReason={deniedReason} action={action} onChanged={onChanged} />
      <ConnectionJobs connection={connection} liveJob={latestJob} />
    </article>
  );
}

import type { Connection } from '@orglink/shared';
import { useState } from 'preact/hooks';
import type { LoginWindow } from '../../api/session.ts';
import { sendMessage } from '../../messaging.ts';
import { ActionButton } from '../../ui/action-button.tsx';
import { ConfirmDialog } from '../../ui/confirm-dialog.tsx';
import { askBackground } from '../ask-background.ts';
import { availableActions } from './describe-connection.ts';
import type { useAction } from './use-action.ts';

interface Props {
  connection: Connection;
  deniedReason: string | undefined;
  action: ReturnType<typeof useAction>;
  onEdit: () => void;
  onChanged: (connection: Connection) => void;
  onDeleted: (connection: Connection) => void;
  onLoginWindow: (login: LoginWindow, connection: Connection) => void;
}

/** Edit, Pause or Activate, Re-authorize, Test and Delete, as the connection's state allows. */
export function ConnectionActions({
  connection,
  deniedReason,
  action,
  onEdit,
  onChanged,
  onDeleted,
  onLoginWindow,
}: Props) {
  const available = availableActions(connection);
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const [deleteError, setDeleteError] = useState<string>();
  const [deleting, setDeleting] = useState(false);

  async function remove() {
    setDeleting(true);
    setDeleteError(undefined);
    const result = await askBackground(() => sendMessage('deleteConnection', connection.id));
    setDeleting(false);
    if (!result.ok) {
      setDeleteError(result.error.message);
      return;
    }
    setConfirmingDelete(false);
    onDeleted(connection);
  }

  return (
    <div class="ol-toolbar">
      <ActionButton deniedReason={deniedReason} onClick={onEdit} testId="edit-connection">
        Edit
      </ActionButton>
      {available.pause && (
        <ActionButton
          deniedReason={deniedReason}
          busy={action.busy === 'pause'}
          busyLabel="Pausing…"
          testId="pause-connection"
          onClick={() =>
            void action.run(
              'pause',
              () => sendMessage('pauseConnection', connection.id),
              (updated) => {
                onChanged(updated);
                return { tone: 'ok', message: 'Paused: no runs start until you activate it. History is kept.' };
              },
            )
          }
        >
          Pause
        </ActionButton>
      )}
      {available.activate && (
        <ActionButton
          deniedReason={deniedReason}
          busy={action.busy === 'activate'}
          busyLabel="Activating…"
          testId="activate-connection"
          onClick={() =>
            void action.run(
              'activate',
              () => sendMessage('activateConnection', connection.id),
              (updated) => {
                onChanged(updated);
                return { tone: 'ok', message: 'Active again: scheduled runs start as planned.' };
              },
            )
          }
        >
          Activate
        </ActionButton>
      )}
      {/* Password and client-credentials connections log in without the browser: Edit changes their login. */}
      {(connection.authMethod ?? 'oauth') === 'oauth' && (
        <ActionButton
          variant={connection.status === 'inactive' || connection.status === 'pending' ? 'primary' : 'secondary'}
          deniedReason={deniedReason}
          busy={action.busy === 'authorize'}
          busyLabel="Opening sign-in…"
          testId="authorize-connection"
          onClick={() =>
            void action.run(
              'authorize',
              () => sendMessage('authorizeConnection', connection.id),
              (login) => {
                onLoginWindow(login, connection);
                return login.windowId === null
                  ? { tone: 'error', message: login.problem }
                  : { tone: 'ok', message: 'Sign in in the window that opened. This page updates when you finish.' };
              },
            )
          }
        >
          {available.authorizeLabel}
        </ActionButton>
      )}
      {available.test && (
        <ActionButton
          deniedReason={deniedReason}
          busy={action.busy === 'test'}
          busyLabel="Testing…"
          testId="test-connection"
          onClick={() =>
            void action.run(
              'test',
              () => sendMessage('testConnection', connection.id),
              (result) => {
                onChanged(result.connection);
                return {
                  tone: result.ok ? 'ok' : 'error',
                  message: `${result.ok ? 'Test passed' : 'Test failed'} in ${result.latencyMs} ms: ${result.message}`,
                  testId: 'test-result',
                };
              },
            )
          }
        >
          Test
        </ActionButton>
      )}
      <ActionButton
        variant="danger"
        deniedReason={deniedReason}
        testId="delete-connection"
        onClick={() => {
          setDeleteError(undefined);
          setConfirmingDelete(true);
        }}
      >
        Delete
      </ActionButton>
      <ConfirmDialog
        open={confirmingDelete}
        title={`Delete connection “${connection.name}”?`}
        confirmLabel="Delete connection"
        busy={deleting}
        error={deleteError}
        onConfirm={() => void remove()}
        onCancel={() => setConfirmingDelete(false)}
      >
        <p>
          OrgLink stops using “{connection.name}” and forgets its CRM sign-in. Its jobs stop running. Job history is
          kept and still shows the name “{connection.name}”.
        </p>
      </ConfirmDialog>
    </div>
  );
}

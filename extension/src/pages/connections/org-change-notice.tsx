import type { Connection } from '@orglink/shared';
import { sendMessage } from '../../messaging.ts';
import { ActionButton } from '../../ui/action-button.tsx';
import type { useAction } from './use-action.ts';

interface Props {
  connection: Connection;
  newOrgId: string | undefined;
  deniedReason: string | undefined;
  action: ReturnType<typeof useAction>;
  onChanged: (connection: Connection) => void;
}

/**
 * A refreshed sandbox came back with a new Org ID. Re-pointing the connection is the admin's decision, never a
 * silent one: this says what changed and what confirming does.
 */
export function OrgChangeNotice({ connection, newOrgId, deniedReason, action, onChanged }: Props) {
  return (
    <section class="ol-callout ol-callout--warn" aria-labelledby="org-change-title" data-testid="org-change-notice">
      <h3 id="org-change-title">This sandbox was refreshed</h3>
      <p>
        Signing in again reached an org with a different Org ID
        {newOrgId ? (
          <>
            : <code>{newOrgId}</code> instead of <code>{connection.orgId ?? 'the old one'}</code>
          </>
        ) : null}
        . A sandbox refresh does that. Confirm to point this connection at the new org; its settings and jobs stay, and
        jobs that were holding start again. If this is not the sandbox you meant, Re-authorize with another user.
      </p>
      <ActionButton
        variant="primary"
        deniedReason={deniedReason}
        busy={action.busy === 'confirm'}
        busyLabel="Confirming…"
        testId="confirm-org-change"
        onClick={() =>
          void action.run(
            'confirm',
            () => sendMessage('confirmOrgChange', connection.id),
            (updated) => {
              onChanged(updated);
              return { tone: 'ok', message: `Now connected to Org ID ${updated.orgId ?? newOrgId ?? ''}.` };
            },
          )
        }
      >
        Confirm new Org ID
      </ActionButton>
    </section>
  );
}

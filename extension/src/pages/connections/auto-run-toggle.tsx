import type { Connection } from '@orglink/shared';
import { sendMessage } from '../../messaging.ts';
import type { useAction } from './use-action.ts';

interface Props {
  connection: Connection;
  deniedReason: string | undefined;
  action: ReturnType<typeof useAction>;
  onChanged: (connection: Connection) => void;
}

/** The per-connection "Auto-run Duplicate Check jobs" setting, saved as soon as it is switched. */
export function AutoRunToggle({ connection, deniedReason, action, onChanged }: Props) {
  const busy = action.busy === 'auto-run';
  return (
    <div class="ol-toggle" title={deniedReason}>
      <input
        id="auto-run"
        type="checkbox"
        role="switch"
        checked={connection.autoRunDuplicateCheck}
        aria-checked={connection.autoRunDuplicateCheck}
        disabled={deniedReason !== undefined || busy}
        aria-describedby="auto-run-hint"
        data-testid="auto-run-toggle"
        onChange={(event) => {
          const enabled = event.currentTarget.checked;
          void action.run(
            'auto-run',
            () => sendMessage('updateConnection', { id: connection.id, patch: { autoRunDuplicateCheck: enabled } }),
            (updated) => {
              onChanged(updated);
              return {
                tone: 'ok',
                message: updated.autoRunDuplicateCheck
                  ? 'Duplicate Check jobs of this connection now run on their own.'
                  : 'Duplicate Check jobs of this connection now wait for someone to start them.',
              };
            },
          );
          // Until the server agrees, the switch shows the saved value.
          event.currentTarget.checked = connection.autoRunDuplicateCheck;
        }}
      />
      <div>
        <label for="auto-run">Auto-run Duplicate Check jobs</label>
        <p class="ol-hint" id="auto-run-hint">
          {deniedReason ??
            'Duplicate Check jobs of this connection run on their schedule without anyone starting them.'}
        </p>
      </div>
    </div>
  );
}
